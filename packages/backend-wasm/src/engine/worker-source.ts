/**
 * The worker's program, as source text so it needs no file of its own (the package runs from `src/`
 * in tests and from `dist/` when published, and a bundler never has to find it). Each worker
 * instantiates the same module on the shared memory and then sleeps on the control word; the caller
 * thread bumps the generation to hand out a job, and the last worker to finish wakes it.
 *
 * Control words (Int32Array): 0 generation, 1 parts still running, 2 failure flag, 3 kernel index
 * (-1 tells the worker to exit), 4 argument count. Arguments are float64 from byte 64; a failing worker
 * writes its error message as UTF-8 from byte 256 (length in word 5), since the caller reads it while its
 * own event loop is still blocked.
 */
export const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { module, memory, control, names, part, parts } = workerData;
const instance = new WebAssembly.Instance(module, {
  env: { memory, abort: () => { throw new Error('wasm kernel aborted'); } },
});
const ctrl = new Int32Array(control);
const args = new Float64Array(control, 64, 16);
const fns = names.map((name) => instance.exports[name]);
parentPort.postMessage({ ready: true });
let seen = 0;
for (;;) {
  Atomics.wait(ctrl, 0, seen);
  seen = Atomics.load(ctrl, 0);
  const which = Atomics.load(ctrl, 3);
  if (which < 0) break;
  try {
    const argc = ctrl[4];
    const list = [];
    for (let i = 0; i < argc; i++) list.push(args[i]);
    list.push(part, parts);
    fns[which](...list);
  } catch (error) {
    const text = new TextEncoder().encode(String((error && error.message) || error)).subarray(0, 1024);
    new Uint8Array(control, 256, 1024).set(text);
    ctrl[5] = text.length;
    Atomics.store(ctrl, 2, 1);
  }
  if (Atomics.sub(ctrl, 1, 1) === 1) Atomics.notify(ctrl, 1);
}
`;

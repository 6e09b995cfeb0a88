#!/usr/bin/env node
// Where the time of one SHD-MLP training step goes (the `shd-mlp` workload's network and step, in a
// fresh process): the median, min and max step time after warm-up steps, with the process CPU time, its
// system part and the minor page faults per step. With --ops, every op the step runs (grouped by op,
// input dtypes and shapes): runs per step, CPU time per step (process time, so garbage collection lands
// on the op that triggered it) and megabytes of new output arrays per step. --each prints every step.
//
//   node bench/scripts/profile-shd-mlp.mjs [--backend wasm|cpu] [--threads n] [--warmup n] [--steps n] [--ops] [--each]
//   node --cpu-prof bench/scripts/profile-shd-mlp.mjs …   (V8 profile of the same run)
//
// It imports the built packages (`pnpm build` first).
import { wasmBackend } from '@neurite/backend-wasm';
import { shdMlpTrainingStep } from '@neurite/bench';
import { createRuntime } from '@neurite/kernel';
import neuronLif from '@neurite/neuron-lif';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const backend = opt('backend', 'wasm');
const threads = Number(opt('threads', '1'));
const steps = Number(opt('steps', '10'));
const warmup = Number(opt('warmup', '3'));
const perOp = argv.includes('--ops');

const rt = createRuntime({ seed: 1 }).use(neuronLif()).use(wasmBackend({ threads }));
const be = await rt.setBackend(backend);
const trainingStep = shdMlpTrainingStep(rt, {
  batch: 32,
  steps: 100,
  sizes: [700, 256, 256, 20],
  inputRate: 0.05,
});
let loss = 0;
const step = () => {
  loss = trainingStep().itemSync();
};

const stats = new Map();
if (perOp) {
  const run = rt.run.bind(rt);
  rt.run = (op, inputs, attrs, placement) => {
    const c0 = process.cpuUsage();
    const out = run(op, inputs, attrs, placement);
    const c = process.cpuUsage(c0);
    const dt = (c.user + c.system) / 1000;
    const key = `${op} ${inputs.map((t) => `${t.dtype[0]}[${t.shape.join(',')}]`).join(' ')}${op === 'matmul' ? ` ${attrs.transA ? 'T' : 'N'}${attrs.transB ? 'T' : 'N'}` : ''}`;
    const s = stats.get(key) ?? { count: 0, ms: 0, bytes: 0 };
    s.count++;
    s.ms += dt;
    for (const o of out)
      if (!inputs.some((i) => i.storage.handle === o.storage.handle)) s.bytes += o.storage.handle.byteLength;
    stats.set(key, s);
    return out;
  };
}
for (let i = 0; i < warmup; i++) step();
stats.clear();
const times = [];
const cpu = [];
const sys = [];
const faults = [];
for (let i = 0; i < steps; i++) {
  const c0 = process.cpuUsage();
  const f0 = process.resourceUsage().minorPageFault;
  const t0 = performance.now();
  step();
  faults.push(process.resourceUsage().minorPageFault - f0);
  times.push(performance.now() - t0);
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  sys.push(c.system / 1000);
}
const med = (a) => {
  const s = [...a].sort((p, q) => p - q);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
if (argv.includes('--each')) console.log(times.map((t) => t.toFixed(1)).join(' '));
const sorted = [...times].sort((a, b) => a - b);
console.log(
  `${backend}×${threads}: median ${med(times).toFixed(2)} ms (min ${sorted[0].toFixed(2)}, max ${sorted.at(-1).toFixed(2)}), CPU ${med(cpu).toFixed(2)} ms (system ${med(sys).toFixed(2)}), page faults ${med(faults)}, loss ${loss.toFixed(4)}`,
);
if (perOp) {
  let total = 0;
  let count = 0;
  let bytes = 0;
  const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms);
  for (const [, s] of rows) {
    total += s.ms;
    count += s.count;
    bytes += s.bytes;
  }
  console.log(
    `ops per step: ${count / steps}, in ops ${(total / steps).toFixed(2)} ms CPU per step, outputs ${(bytes / steps / 1e6).toFixed(1)} MB per step`,
  );
  for (const [key, s] of rows) {
    console.log(
      `${(s.ms / steps).toFixed(3).padStart(8)} ms ${String(s.count / steps).padStart(4)}× ${(s.bytes / steps / 1e6).toFixed(2).padStart(6)} MB ${key}`,
    );
  }
}
be.dispose?.();

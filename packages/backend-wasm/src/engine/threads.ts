import { BackendError } from '@neurite/kernel';
import { type KernelExports, PARALLEL_KERNELS, type ParallelKernel } from './exports.js';
import { WORKER_SOURCE } from './worker-source.js';

const GENERATION = 0;
const PENDING = 1;
const FAILED = 2;
const WHICH = 3;
const ARGC = 4;
const ERROR_LENGTH = 5;
const MAX_ARGS = 16;
const ERROR_OFFSET = 256;
const ERROR_BYTES = 1024;

interface NodeWorker {
  on(event: 'message', listener: (message: { ready?: boolean }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'exit', listener: (code: number) => void): unknown;
  unref(): void;
  terminate(): Promise<number>;
}

/**
 * Worker threads that share the caller's `WebAssembly.Memory`. A job runs synchronously: the caller
 * publishes it in a small shared control block, computes part 0 itself while the workers compute parts
 * 1…n−1, and sleeps on an atomic counter until they are done. Workers are unref'd, so an idle pool
 * never keeps the process alive; `dispose()` stops them at once.
 */
export class ThreadPool {
  readonly #ctrl: Int32Array;
  readonly #args: Float64Array;
  readonly #workers: NodeWorker[];
  #disposed = false;

  private constructor(
    readonly parts: number,
    control: SharedArrayBuffer,
    workers: NodeWorker[],
    private readonly local: KernelExports,
  ) {
    this.#ctrl = new Int32Array(control);
    this.#args = new Float64Array(control, 64, MAX_ARGS);
    this.#workers = workers;
  }

  /** Starts `parts − 1` workers and resolves once each has instantiated the module. */
  static async start(
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    parts: number,
    local: KernelExports,
  ): Promise<ThreadPool> {
    let threads: typeof import('node:worker_threads');
    try {
      threads = await import('node:worker_threads');
    } catch (cause) {
      throw new BackendError('wasm backend: threads > 1 needs node:worker_threads (Node.js)', {
        hint: 'use threads: 1 in this environment',
        cause,
      });
    }
    const control = new SharedArrayBuffer(ERROR_OFFSET + ERROR_BYTES);
    const workers: NodeWorker[] = [];
    const ready: Promise<void>[] = [];
    for (let part = 1; part < parts; part++) {
      const worker = new threads.Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module, memory, control, names: PARALLEL_KERNELS, part, parts },
      }) as unknown as NodeWorker;
      workers.push(worker);
      ready.push(
        new Promise<void>((resolve, reject) => {
          worker.on('message', (m) => m.ready && resolve());
          worker.on('error', reject);
          worker.on('exit', (code) =>
            reject(new Error(`worker exited with code ${code} before it was ready`)),
          );
        }),
      );
    }
    try {
      await Promise.all(ready);
    } catch (cause) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw new BackendError(`wasm backend: a worker thread failed to start: ${(cause as Error).message}`, {
        cause,
      });
    }
    for (const w of workers) w.unref();
    return new ThreadPool(parts, control, workers, local);
  }

  /** Runs `name` split into `parts` parts; returns when every part has finished. */
  run<K extends ParallelKernel>(name: K, args: readonly number[]): void {
    if (this.#disposed) throw new BackendError('wasm backend: used after dispose()');
    const ctrl = this.#ctrl;
    this.#args.set(args);
    ctrl[WHICH] = PARALLEL_KERNELS.indexOf(name);
    ctrl[ARGC] = args.length;
    ctrl[FAILED] = 0;
    Atomics.store(ctrl, PENDING, this.parts - 1);
    Atomics.add(ctrl, GENERATION, 1);
    Atomics.notify(ctrl, GENERATION);
    let failure: unknown;
    try {
      (this.local[name] as (...a: number[]) => void)(...args, 0, this.parts);
    } catch (error) {
      failure = error;
    }
    for (let p = Atomics.load(ctrl, PENDING); p !== 0; p = Atomics.load(ctrl, PENDING))
      Atomics.wait(ctrl, PENDING, p);
    if (failure) throw failure;
    if (Atomics.load(ctrl, FAILED)) {
      const bytes = new Uint8Array(ctrl.buffer, ERROR_OFFSET, ctrl[ERROR_LENGTH]);
      throw new BackendError(
        `wasm backend: kernel ${name} failed on a worker thread: ${new TextDecoder().decode(bytes.slice())}`,
      );
    }
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    Atomics.store(this.#ctrl, WHICH, -1);
    Atomics.add(this.#ctrl, GENERATION, 1);
    Atomics.notify(this.#ctrl, GENERATION);
    for (const w of this.#workers) void w.terminate();
  }
}

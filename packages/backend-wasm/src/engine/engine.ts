import { Arena } from './arena.js';
import type { KernelArgs, KernelExports, ParallelKernel } from './exports.js';
import { loadKernels } from './load.js';
import { ThreadPool } from './threads.js';

/**
 * Below this many multiply-adds a kernel runs on the calling thread alone: waking the workers and
 * waiting for them costs tens of microseconds, about what a million multiply-adds take.
 */
export const PARALLEL_MIN_WORK = 1 << 20;

/**
 * One instance of the compiled kernels: its memory, the scratch arena in it and, with threads > 1, the
 * worker pool sharing that memory. Kernel calls are synchronous and never overlap, so one arena serves
 * them all.
 */
export class WasmEngine {
  private constructor(
    readonly exports: KernelExports,
    readonly arena: Arena,
    readonly pool: ThreadPool | null,
  ) {}

  static async create(threads: number): Promise<WasmEngine> {
    const shared = threads > 1;
    const module = await loadKernels(shared);
    const memory = new WebAssembly.Memory(
      shared ? { initial: 16, maximum: 65536, shared: true } : { initial: 16 },
    );
    const instance = await WebAssembly.instantiate(module, {
      env: {
        memory,
        abort: () => {
          throw new Error('wasm kernel aborted');
        },
      },
    });
    const exports = instance.exports as unknown as KernelExports;
    const arena = new Arena(memory, exports.heapBase());
    const pool = shared ? await ThreadPool.start(module, memory, threads, exports) : null;
    return new WasmEngine(exports, arena, pool);
  }

  /** How many parts parallel kernels are split into. */
  get threads(): number {
    return this.pool?.parts ?? 1;
  }

  /**
   * Runs a kernel, on every thread when `work` (about the number of multiply-adds) pays for it. Parts own
   * disjoint outputs, so the result is the same on any number of threads.
   */
  run<K extends ParallelKernel>(name: K, args: KernelArgs<K>, work: number): void {
    if (this.pool && work >= PARALLEL_MIN_WORK) this.pool.run(name, args as readonly number[]);
    else (this.exports[name] as (...a: number[]) => void)(...(args as number[]), 0, 1);
  }

  dispose(): void {
    this.pool?.dispose();
  }
}

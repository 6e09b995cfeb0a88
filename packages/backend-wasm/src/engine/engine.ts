import { Arena } from './arena.js';
import type { KernelArgs, KernelExports, ParallelKernel } from './exports.js';
import { loadKernels } from './load.js';
import { Ring } from './ring.js';
import { ThreadPool } from './threads.js';

/**
 * Below this many multiply-adds a kernel runs on the calling thread alone: waking the workers and
 * waiting for them costs tens of microseconds, about what a million multiply-adds take.
 */
export const PARALLEL_MIN_WORK = 1 << 20;

/** Bytes of memory kept for the ring of cached spike indices (touched only as far as it is used). */
const RING_BYTES = 16 << 20;

/**
 * One instance of the compiled kernels: its memory, the scratch arena in it and, with threads > 1, the
 * worker pool sharing that memory. Kernel calls are synchronous and never overlap, so one arena serves
 * them all.
 */
export class WasmEngine {
  private constructor(
    readonly exports: KernelExports,
    readonly arena: Arena,
    readonly ring: Ring,
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
    // [static data | ring of cached indices | per-call scratch arena]
    const ringBase = Math.ceil(exports.heapBase() / 64) * 64;
    const ring = new Ring(ringBase, RING_BYTES);
    const arena = new Arena(memory, ringBase + RING_BYTES);
    const pool = shared ? await ThreadPool.start(module, memory, threads, exports) : null;
    // Static tables are filled once, after every worker has instantiated the module: instantiating
    // applies the module's data segments to the shared memory again.
    exports.initSpikeTables();
    return new WasmEngine(exports, arena, ring, pool);
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

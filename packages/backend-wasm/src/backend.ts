import type { Backend, DataArray } from '@neurite/kernel';
import { WasmEngine } from './engine/engine.js';

/** The wasm backend: host typed arrays as handles (like cpu), plus the engine its kernels run on. */
export interface WasmBackend extends Backend<DataArray> {
  readonly name: 'wasm';
  readonly engine: WasmEngine;
  /** Worker threads in use, the calling thread included. */
  readonly threads: number;
}

export interface WasmBackendOptions {
  /** Threads that share the work of large kernels, the calling thread included (default 1). */
  readonly threads?: number;
}

/**
 * Creates the backend. Handles are plain host typed arrays, so any op without a wasm kernel runs the
 * cpu kernel on them with no transfer; wasm kernels copy their inputs into the module's memory and
 * their result out (a copy costs a few percent of any kernel worth running in wasm).
 */
export async function createWasmBackend(options: WasmBackendOptions = {}): Promise<WasmBackend> {
  const engine = await WasmEngine.create(options.threads ?? 1);
  return {
    name: 'wasm',
    hostMemory: true,
    engine,
    threads: engine.threads,
    fromHost: (data) => data.slice(),
    read: async (handle) => handle.slice(),
    readSync: (handle) => handle.slice(),
    dispose: () => engine.dispose(),
  };
}

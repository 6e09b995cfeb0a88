import { definePlugin } from '@neurite/kernel';
import { type Type, type } from 'arktype';
import { createWasmBackend } from './backend.js';
import { registerKernels } from './kernels/index.js';

export const wasmOptions = type({
  /** Threads sharing large kernels, the calling thread included. */
  threads: '1 <= number.integer <= 64 = 1',
});

export type WasmOptions = typeof wasmOptions.infer;
export type WasmOptionsInput = typeof wasmOptions.inferIn;

/**
 * The plugin: `runtime.use(wasmBackend({ threads: 2 })); await runtime.setBackend('wasm')`. It registers
 * the `wasm` backend (created on first use) and its kernels; ops it has no kernel for run on cpu.
 */
export const wasmBackend = definePlugin<WasmOptions, WasmOptionsInput>({
  name: '@neurite/backend-wasm',
  version: '0.1.0',
  apiVersion: '^1.0.0',
  description: 'SIMD WebAssembly kernels (sgemm, event-driven spike matmul, …) with worker threads',
  // arktype types a schema with defaults by its input side (`threads: Default<number, 1>`); the manifest
  // wants the validated output type, which is what `use()` passes to setup.
  options: wasmOptions as unknown as Type<WasmOptions>,
  setup(ctx, options) {
    ctx.register('backend', {
      name: 'wasm',
      description: `AssemblyScript SIMD kernels on ${options.threads} thread(s), cpu for the rest`,
      create: () => createWasmBackend({ threads: options.threads }),
    });
    registerKernels(ctx);
  },
});

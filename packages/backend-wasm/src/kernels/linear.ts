import { type DataArray, type KernelInput, sizeOf } from '@neurite/kernel';
import type { WasmKernel } from './kernel.js';
import { product } from './matmul.js';

/**
 * The kernel's fused `linear` (x [..., in] · W[out, in]ᵀ + b): the matmul kernels on x's rows (event-driven
 * for spike x), then the bias added in place in wasm memory before the one copy out, with the add kernel's
 * operation, so the result equals matmul then add on this backend and the step allocates one output
 * instead of two. float64 results run on cpu.
 */
export const linear: WasmKernel = ({ inputs, outputs: [o] }, engine) => {
  if (o!.dtype !== 'float32') return null;
  const [x, w, b] = inputs as [KernelInput<DataArray>, KernelInput<DataArray>, KernelInput<DataArray>?];
  const N = w.shape[0]!;
  const K = w.shape[1]!;
  const M = x.handle.length / K;
  const out = new Float32Array(sizeOf(o!.shape));
  if (out.length === 0) return [out];
  const one = new Int32Array(1);
  product(engine, { ...x, shape: [M, K] }, w, out, {
    M,
    K,
    N,
    transA: false,
    transB: true,
    aIndex: one,
    bIndex: one,
    ...(b && {
      epilogue: (c: number) => {
        const bias = engine.arena.alloc(4 * N);
        engine.arena.f32(bias, N).set(b.handle);
        engine.exports.binaryOp(0, c, bias, c, M, N, N, 0, 1, 1);
      },
    }),
  });
  return [out];
};

import type { Runtime } from '../runtime.js';
import type { Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

// Small sample tensors for ops' `examples` (the conformance kit runs them on cpu and gradient-checks
// them). Values are drawn from the runtime's seeded stream and kept away from kinks and singularities.

/** Uniform float32 values in [low, high). */
export const sample = (rt: Runtime, shape: Shape, low = -1, high = 1): Tensor =>
  rt.rand(shape, { low, high });

export const ints = (rt: Runtime, values: readonly number[], shape?: Shape): Tensor =>
  rt.fromArray(Int32Array.from(values), shape ?? [values.length]);

export const spikes = (rt: Runtime, values: readonly number[], shape?: Shape): Tensor =>
  rt.fromArray(Uint8Array.from(values), shape ?? [values.length]);

/** A well-conditioned symmetric positive-definite n×n matrix: M·Mᵀ/n + I. */
export function spdSample(rt: Runtime, n: number): Tensor {
  const m = sample(rt, [n, n]).dataSync();
  const a = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? 1 : 0;
      for (let k = 0; k < n; k++) s += (m[i * n + k]! * m[j * n + k]!) / n;
      a[i * n + j] = s;
    }
  }
  return rt.fromArray(a, [n, n]);
}

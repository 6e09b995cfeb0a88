import { fileURLToPath } from 'node:url';
import { createRuntime, type Runtime, type Tensor } from '@neurite/kernel';
import neuronLif from '@neurite/neuron-lif';
import dcls from '../src/index.js';
import { type DclsVersion, denseKernel } from '../src/ops/bump.js';

/** A runtime with the neuron and delay plugins. */
export function runtime(seed = 1): Runtime {
  return createRuntime({ seed }).use(neuronLif()).use(dcls());
}

/** The project's shared recordings (never copied into the repository). */
export const sharedData = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

/**
 * The reference computation written out plainly: the dense K-long kernel of every synapse, zero padding
 * of K − 1 before and (K − 1)//2 after, and cross-correlation — as F.pad + F.conv1d in SNN-delays.
 */
export function referenceDcls(
  x: ArrayLike<number>,
  [T, B, Cin]: readonly number[],
  w: ArrayLike<number>,
  p: ArrayLike<number>,
  Cout: number,
  K: number,
  version: DclsVersion,
  sig: number,
): Float64Array {
  const left = K - 1;
  const right = Math.floor((K - 1) / 2);
  const Tp = T + right;
  const padded = (t: number, b: number, i: number) => {
    const s = t - left;
    return s >= 0 && s < T ? x[(s * B + b) * Cin + i]! : 0;
  };
  const y = new Float64Array(Tp * B * Cout);
  for (let o = 0; o < Cout; o++) {
    for (let i = 0; i < Cin; i++) {
      const kern = denseKernel(w[o * Cin + i]!, p[o * Cin + i]!, K, version, sig);
      for (let t = 0; t < Tp; t++)
        for (let b = 0; b < B; b++) {
          let s = 0;
          for (let k = 0; k < K; k++) s += kern[k]! * padded(t + k, b, i);
          y[(t * B + b) * Cout + o]! += s;
        }
    }
  }
  return y;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`sizes differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let k = 0; k < a.length; k++) m = Math.max(m, Math.abs(a[k]! - b[k]!));
  return m;
}

export const data = (t: Tensor) => Array.from(t.dataSync());

import type { KernelSurrogate } from './attrs.js';

/**
 * φ(z) of the canonical surrogates (OPS.md table), evaluated in place over a scratch row: `z[j]` becomes
 * φ(z[j]) for j < n. Each surrogate has its own loop so V8 compiles a tight, monomorphic loop per kind.
 * `sigma` and `sigmaStride` serve PDSG: σ for neuron j is `sigma[sigmaOffset + (sigmaStride ? j % P : 0)]`.
 */
export function surrogateInPlace(
  z: Float64Array,
  n: number,
  s: KernelSurrogate,
  pdsg: { sigma: ArrayLike<number>; offset: number; perNeuron: boolean; P: number } | null,
  given: { phi: ArrayLike<number>; offset: number } | null,
): void {
  switch (s.name) {
    case 'atan': {
      const half = s.alpha / 2;
      const k = (Math.PI / 2) * s.alpha;
      for (let j = 0; j < n; j++) {
        const u = k * z[j]!;
        z[j] = half / (1 + u * u);
      }
      return;
    }
    case 'fast-sigmoid': {
      const k = s.slope;
      for (let j = 0; j < n; j++) {
        const d = 1 + k * Math.abs(z[j]!);
        z[j] = 1 / (d * d);
      }
      return;
    }
    case 'sigmoid': {
      const k = s.slope;
      for (let j = 0; j < n; j++) {
        const g = 1 / (1 + Math.exp(-k * z[j]!));
        z[j] = k * g * (1 - g);
      }
      return;
    }
    case 'triangle': {
      const inv = 1 / s.width;
      const scale = s.scale;
      for (let j = 0; j < n; j++) {
        const r = 1 - Math.abs(z[j]!) * inv;
        z[j] = r > 0 ? scale * r : 0;
      }
      return;
    }
    case 'straight-through': {
      z.fill(s.scale, 0, n);
      return;
    }
    case 'pdsg': {
      const { sigma, offset, perNeuron, P } = pdsg!;
      const invSqrt2Pi = 1 / Math.sqrt(2 * Math.PI);
      for (let j = 0; j < n; j++) {
        const sd = sigma[offset + (perNeuron ? j % P : 0)]!;
        const u = (z[j]! - sd / 2) / (Math.SQRT2 * sd);
        z[j] = (Math.exp(-u * u) * invSqrt2Pi) / sd;
      }
      return;
    }
    case 'given': {
      const { phi, offset } = given!;
      for (let j = 0; j < n; j++) z[j] = phi[offset + j]!;
      return;
    }
  }
}

import type { Tensor } from '@neurite/kernel';
import { type } from 'arktype';
import { erf } from './erf.js';
import { defineSurrogate, type SurrogateDef } from './types.js';

const positive = 'number > 0';

/** The constant φ = scale, shaped like z. */
const constantLike = (z: Tensor, value: number): Tensor =>
  z.runtime.full(z.shape, value, {
    dtype: z.dtype === 'float64' ? 'float64' : 'float32',
    backend: z.backend,
  });

/** snnTorch's and SpikingJelly's ATan: φ(z) = (α/2) / (1 + (π/2·α·z)²), primitive atan(π/2·α·z)/π + 1/2. */
export const atanSurrogate = defineSurrogate({
  name: 'atan',
  description: 'arc-tangent: (α/2)/(1 + (π/2·α·z)²) (snnTorch, SpikingJelly; α = 2)',
  options: type({ alpha: `${positive} = 2` }),
  derivative: (z, { alpha }) =>
    z
      .mul((Math.PI / 2) * alpha)
      .square()
      .add(1)
      .reciprocal()
      .mul(alpha / 2),
  primitive: (z, { alpha }) => Math.atan((Math.PI / 2) * alpha * z) / Math.PI + 0.5,
  fused: ({ alpha }) => ({ name: 'atan', alpha }),
});

/** snnTorch's fast sigmoid (Zenke & Ganguli's SuperSpike): φ(z) = 1/(1 + k|z|)², primitive z/(1 + k|z|). */
export const fastSigmoidSurrogate = defineSurrogate({
  name: 'fast-sigmoid',
  description: 'fast sigmoid: 1/(1 + k·|z|)² (snnTorch, k = 25)',
  options: type({ slope: `${positive} = 25` }),
  derivative: (z, { slope }) => z.abs().mul(slope).add(1).square().reciprocal(),
  primitive: (z, { slope }) => z / (1 + slope * Math.abs(z)),
  fused: ({ slope }) => ({ name: 'fast-sigmoid', slope }),
});

/** SuperSpike as Norse parametrises it: the fast sigmoid with a steeper default (α = 100). */
export const superSpikeSurrogate = defineSurrogate({
  ...fastSigmoidSurrogate,
  name: 'superspike',
  description: 'SuperSpike: 1/(1 + α·|z|)² (Zenke & Ganguli 2018; Norse, α = 100)',
  options: type({ slope: `${positive} = 100` }),
});

/** Logistic: φ(z) = k·σ(kz)·(1 − σ(kz)), primitive σ(kz). */
export const sigmoidSurrogate = defineSurrogate({
  name: 'sigmoid',
  description: 'sigmoid: k·σ(k·z)·(1 − σ(k·z)) (snnTorch k = 25; SpikingJelly uses α = 4)',
  options: type({ slope: `${positive} = 25` }),
  derivative: (z, { slope }) => {
    const s = z.mul(slope).sigmoid();
    return s.mul(s.neg().add(1)).mul(slope);
  },
  primitive: (z, { slope }) => 1 / (1 + Math.exp(-slope * z)),
  fused: ({ slope }) => ({ name: 'sigmoid', slope }),
});

/** Triangle (Esser et al.; Bellec et al. with scale 0.3): φ(z) = scale·max(0, 1 − |z|/width). */
export const triangleSurrogate = defineSurrogate({
  name: 'triangle',
  description: 'triangle: scale·max(0, 1 − |z|/width) (area scale·width)',
  options: type({ width: `${positive} = 1`, scale: `${positive} = 1` }),
  derivative: (z, { width, scale }) =>
    z
      .abs()
      .mul(-1 / width)
      .add(1)
      .relu()
      .mul(scale),
  primitive: (z, { width: w, scale }) => {
    if (z <= -w) return 0;
    if (z >= w) return scale * w;
    if (z <= 0) return (scale * (z + w) * (z + w)) / (2 * w);
    return scale * (w / 2 + z - (z * z) / (2 * w));
  },
  fused: ({ width, scale }) => ({ name: 'triangle', width, scale }),
});

/** Straight-through estimator: φ(z) = scale everywhere (snnTorch's STE with scale 1). */
export const straightThroughSurrogate = defineSurrogate({
  name: 'straight-through',
  description: 'straight-through estimator: φ = scale',
  options: type({ scale: `${positive} = 1` }),
  derivative: (z, { scale }) => constantLike(z, scale),
  primitive: (z, { scale }) => scale * z,
  fused: ({ scale }) => ({ name: 'straight-through', scale }),
});

/**
 * PDSG (potential-dependent surrogate gradient, CVPR 2025): a Gaussian density with mean σ/2 and standard
 * deviation σ, σ the running standard deviation of the membrane (see `membraneStd`).
 * `scope: 'channel'` follows the paper's code (per channel for conv layers, per neuron for linear ones);
 * `'layer'` takes one σ over all neurons.
 */
export const pdsgSurrogate = defineSurrogate({
  name: 'pdsg',
  description: 'PDSG: Gaussian density N(σ/2, σ²), σ the running std of the membrane (CVPR 2025)',
  options: type({ scope: "'channel' | 'layer' = 'channel'" }),
  membraneStd: true,
  derivative: (z, _p, sigma) => {
    const sd = sigma ?? constantLike(z, 1);
    const u = z.sub(sd.mul(0.5)).div(sd.mul(Math.SQRT2));
    return u
      .square()
      .neg()
      .exp()
      .div(sd.mul(Math.sqrt(2 * Math.PI)));
  },
  primitive: (z, _p, sigma = 1) => 0.5 * (1 + erf((z - sigma / 2) / (Math.SQRT2 * sigma))),
  fused: () => ({ name: 'pdsg' }),
});

export const builtinSurrogates: SurrogateDef[] = [
  atanSurrogate,
  fastSigmoidSurrogate,
  superSpikeSurrogate,
  sigmoidSurrogate,
  triangleSurrogate,
  straightThroughSurrogate,
  pdsgSurrogate,
];

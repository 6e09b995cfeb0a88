import type { Rng } from '../random/rng.js';
import type { Runtime } from '../runtime.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Weight initialisers with PyTorch's conventions (fan_in = in_features × receptive field for layers
 * whose weight is [out, in, …]), so models start from the same distributions as their PyTorch twins.
 */
export type Nonlinearity = 'linear' | 'relu' | 'leaky_relu' | 'tanh' | 'sigmoid';

export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length < 2) return { fanIn: shape[0] ?? 1, fanOut: shape[0] ?? 1 };
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

export function gain(nonlinearity: Nonlinearity, negativeSlope = 0.01): number {
  switch (nonlinearity) {
    case 'relu':
      return Math.SQRT2;
    case 'leaky_relu':
      return Math.sqrt(2 / (1 + negativeSlope * negativeSlope));
    case 'tanh':
      return 5 / 3;
    default:
      return 1;
  }
}

export interface InitOptions {
  readonly rng: Rng;
  readonly dtype?: 'float32' | 'float64';
}

export function uniform(
  rt: Runtime,
  shape: readonly number[],
  low: number,
  high: number,
  o: InitOptions,
): Tensor {
  return rt.rand(shape, { low, high, rng: o.rng, dtype: o.dtype ?? 'float32' });
}

export function normal(
  rt: Runtime,
  shape: readonly number[],
  mean: number,
  std: number,
  o: InitOptions,
): Tensor {
  return rt.randn(shape, { mean, std, rng: o.rng, dtype: o.dtype ?? 'float32' });
}

/** He et al.: U(−b, b) with b = gain·√(3 / fan_in). PyTorch's layer default is `a = √5`, leaky_relu. */
export function kaimingUniform(
  rt: Runtime,
  shape: readonly number[],
  o: InitOptions & { a?: number; nonlinearity?: Nonlinearity; mode?: 'fanIn' | 'fanOut' },
): Tensor {
  const fan = fans(shape)[o.mode ?? 'fanIn'];
  const bound = gain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0) * Math.sqrt(3 / fan);
  return uniform(rt, shape, -bound, bound, o);
}

export function kaimingNormal(
  rt: Runtime,
  shape: readonly number[],
  o: InitOptions & { a?: number; nonlinearity?: Nonlinearity; mode?: 'fanIn' | 'fanOut' },
): Tensor {
  const fan = fans(shape)[o.mode ?? 'fanIn'];
  return normal(rt, shape, 0, gain(o.nonlinearity ?? 'leaky_relu', o.a ?? 0) / Math.sqrt(fan), o);
}

/** Glorot: U(−b, b) with b = gain·√(6 / (fan_in + fan_out)). */
export function xavierUniform(
  rt: Runtime,
  shape: readonly number[],
  o: InitOptions & { gain?: number },
): Tensor {
  const { fanIn, fanOut } = fans(shape);
  const bound = (o.gain ?? 1) * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(rt, shape, -bound, bound, o);
}

export function xavierNormal(
  rt: Runtime,
  shape: readonly number[],
  o: InitOptions & { gain?: number },
): Tensor {
  const { fanIn, fanOut } = fans(shape);
  return normal(rt, shape, 0, (o.gain ?? 1) * Math.sqrt(2 / (fanIn + fanOut)), o);
}

/** PyTorch's default for Linear/Conv weights: kaiming_uniform with a = √5, i.e. U(−1/√fan_in, 1/√fan_in). */
export function defaultWeight(rt: Runtime, shape: readonly number[], o: InitOptions): Tensor {
  return kaimingUniform(rt, shape, { ...o, a: Math.sqrt(5) });
}

/** PyTorch's default for biases: U(−1/√fan_in, 1/√fan_in). */
export function defaultBias(rt: Runtime, size: number, fanIn: number, o: InitOptions): Tensor {
  const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return uniform(rt, [size], -bound, bound, o);
}

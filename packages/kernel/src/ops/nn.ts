import { DTypeError, NeuriteError, ShapeError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import { normalizeAxes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Normalisation, dropout and embedding as compositions of the kernel's ops (as PyTorch's
 * `torch.nn.functional` forms), so their gradients come from the ops they are made of and every
 * backend runs them.
 */

export interface BatchNormOptions {
  /** Running statistics [C], updated in place (with `assign`) in training; used instead of batch statistics in eval. */
  readonly runningMean?: Tensor | null;
  readonly runningVar?: Tensor | null;
  /** Affine scale and shift [C]. */
  readonly weight?: Tensor | null;
  readonly bias?: Tensor | null;
  /** Normalise with the batch's statistics (and update the running ones). Default false, as PyTorch's functional form. */
  readonly training?: boolean;
  /** Weight of the new batch in the running statistics. Default 0.1. */
  readonly momentum?: number;
  readonly eps?: number;
}

/**
 * Batch normalisation of x [B, C, …] per channel (axis 1), as PyTorch's `F.batch_norm`: in training,
 * y = (x − mean) / √(var + eps) · weight + bias with the batch's mean and biased variance over every
 * axis but 1, and the running statistics move towards the batch's by `momentum` (the running variance
 * with the unbiased estimate n/(n−1)·var). Otherwise the running statistics normalise. Without running
 * statistics the batch's are always used.
 */
export function batchNorm(x: Tensor, options: BatchNormOptions = {}): Tensor {
  if (x.rank < 2) throw new ShapeError('batch_norm', 'input must be [batch, channels, …]', [x.shape]);
  const rt = x.runtime;
  const c = x.shape[1]!;
  const { runningMean = null, runningVar = null, weight = null, bias = null } = options;
  const eps = options.eps ?? 1e-5;
  const momentum = options.momentum ?? 0.1;
  for (const [name, t] of [
    ['runningMean', runningMean],
    ['runningVar', runningVar],
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (t && (t.rank !== 1 || t.shape[0] !== c))
      throw new ShapeError('batch_norm', `${name} must be [${c}]`, [x.shape, t.shape]);
  }
  const statShape = x.shape.map((d, i) => (i === 1 ? d : 1));
  const axes = x.shape.flatMap((_, i) => (i === 1 ? [] : [i]));
  let centred: Tensor;
  let inv: Tensor;
  if (options.training || !runningMean || !runningVar) {
    const n = x.size / c;
    if (options.training && n <= 1) {
      throw new ShapeError('batch_norm', `expected more than 1 value per channel when training, found ${n}`, [
        x.shape,
      ]);
    }
    const mean = x.mean(axes, true);
    centred = x.sub(mean);
    const variance = centred.square().mean(axes, true);
    inv = variance.add(eps).sqrt().reciprocal();
    if (options.training) {
      rt.noGrad(() => {
        const blend = (running: Tensor | null, batch: Tensor) =>
          running?.assign(
            running
              .mul(1 - momentum)
              .add(batch.reshape([c]).mul(momentum))
              .cast(running.dtype),
          );
        blend(runningMean, mean);
        blend(runningVar, variance.mul(n / (n - 1)));
      });
    }
  } else {
    centred = x.sub(runningMean.reshape(statShape));
    inv = runningVar.reshape(statShape).add(eps).sqrt().reciprocal();
  }
  // Scale and shift fold into the per-channel factor, so the full-size tensor is touched once more each.
  const scale = weight ? inv.mul(weight.reshape(statShape)) : inv;
  const y = centred.mul(scale);
  return bias ? y.add(bias.reshape(statShape)) : y;
}

/**
 * Layer normalisation over the last axes (those of `normalizedShape`), as PyTorch's `F.layer_norm`:
 * (x − mean) / √(var + eps) · weight + bias, biased variance, weight and bias of `normalizedShape`.
 */
export function layerNorm(
  x: Tensor,
  normalizedShape: number | readonly number[],
  options: { weight?: Tensor | null; bias?: Tensor | null; eps?: number } = {},
): Tensor {
  const shape = typeof normalizedShape === 'number' ? [normalizedShape] : [...normalizedShape];
  const lead = x.rank - shape.length;
  if (lead < 0 || shape.some((d, i) => x.shape[lead + i] !== d)) {
    throw new ShapeError('layer_norm', `the input's last axes must be [${shape.join(', ')}]`, [x.shape]);
  }
  for (const t of [options.weight, options.bias]) {
    if (t && (t.rank !== shape.length || t.shape.some((d, i) => d !== shape[i]))) {
      throw new ShapeError('layer_norm', `weight and bias must be [${shape.join(', ')}]`, [x.shape, t.shape]);
    }
  }
  const axes = normalizeAxes(
    'layer_norm',
    shape.map((_, i) => lead + i),
    x.rank,
  );
  const centred = x.sub(x.mean(axes, true));
  let y = centred.mul(
    centred
      .square()
      .mean(axes, true)
      .add(options.eps ?? 1e-5)
      .sqrt()
      .reciprocal(),
  );
  if (options.weight) y = y.mul(options.weight);
  if (options.bias) y = y.add(options.bias);
  return y;
}

export interface DropoutOptions {
  /** Identity when false. Default true. */
  readonly training?: boolean;
  /** The stream the mask is drawn from (the runtime's by default). */
  readonly rng?: Rng;
  /**
   * Axes along which one mask value is shared: [0] on a time-major [T, B, …] sequence drops the same
   * units at every time step (SpikingJelly's multi-step dropout).
   */
  readonly sharedAxes?: readonly number[];
}

/** Inverted dropout: zeroes each element with probability p and scales the rest by 1/(1 − p). */
export function dropout(x: Tensor, p: number, options: DropoutOptions = {}): Tensor {
  if (!(p >= 0 && p <= 1)) throw new NeuriteError(`dropout: probability ${p} is outside [0, 1]`);
  if (options.training === false || p === 0) return x;
  const shared = normalizeAxes('dropout', options.sharedAxes ?? [], x.rank);
  const maskShape = x.shape.map((d, i) => (shared.includes(i) ? 1 : d));
  if (p === 1) return x.mul(0);
  const keep = x.runtime.bernoulli(1 - p, maskShape, {
    ...(options.rng ? { rng: options.rng } : {}),
    backend: x.backend,
  });
  return x.mul(keep).mul(1 / (1 - p));
}

/** Rows of `weight` [num, dim] at int32 `indices` of any shape: [...indices.shape, dim]. */
export function embedding(indices: Tensor, weight: Tensor): Tensor {
  if (indices.dtype !== 'int32')
    throw new DTypeError('embedding', `indices must be int32, found ${indices.dtype}`);
  if (weight.rank !== 2)
    throw new ShapeError('embedding', 'weight must be [num embeddings, dim]', [weight.shape]);
  return weight.indexSelect(0, indices.reshape([-1])).reshape([...indices.shape, weight.shape[1]!]);
}

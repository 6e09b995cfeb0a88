import { type Type, type } from 'arktype';
import { DTypeError, ShapeError } from '../errors.js';
import type { Tensor } from '../tensor/tensor.js';

export type Reduction = 'mean' | 'sum' | 'none';

function reduce(x: Tensor, reduction: Reduction): Tensor {
  return reduction === 'mean' ? x.mean() : reduction === 'sum' ? x.sum() : x;
}

function classIndices(op: string, logits: Tensor, target: Tensor): Tensor {
  if (target.dtype !== 'int32')
    throw new DTypeError(op, `targets must be int32 class indices, found ${target.dtype}`);
  if (logits.rank !== 2 || target.rank !== 1 || target.shape[0] !== logits.shape[0]) {
    throw new ShapeError(op, 'expects logits [B, C] and targets [B]', [logits.shape, target.shape]);
  }
  return target.reshape([target.size, 1]);
}

/** Negative log-likelihood of log-probabilities [B, C] at int32 targets [B]. */
export function nllLoss(logProbs: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  const index = classIndices('nll_loss', logProbs, target);
  return reduce(logProbs.gather(1, index).reshape([target.size]).neg(), reduction);
}

/**
 * Cross-entropy from logits [B, C] and int32 targets [B], with PyTorch's label smoothing:
 * (1−ε)·(−log p_y) + ε·mean_c(−log p_c).
 */
export function crossEntropy(
  logits: Tensor,
  target: Tensor,
  options: { labelSmoothing?: number; reduction?: Reduction } = {},
): Tensor {
  const eps = options.labelSmoothing ?? 0;
  const logp = logits.logSoftmax(1);
  const nll = nllLoss(logp, target, 'none');
  const perSample = eps > 0 ? nll.mul(1 - eps).add(logp.mean(1).neg().mul(eps)) : nll;
  return reduce(perSample, options.reduction ?? 'mean');
}

export function mseLoss(prediction: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  return reduce(prediction.sub(target).square(), reduction);
}

/** Binary cross-entropy on logits, computed stably: max(x,0) − x·y + log(1 + e^−|x|). */
export function bceWithLogits(logits: Tensor, target: Tensor, reduction: Reduction = 'mean'): Tensor {
  const stable = logits.relu().sub(logits.mul(target)).add(logits.abs().neg().exp().add(1).log());
  return reduce(stable, reduction);
}

/** A loss a config names as `{"loss": {"type": name, …options}}`: (model output, target) → scalar. */
export interface LossDef<O = any> {
  readonly name: string;
  readonly description: string;
  readonly options: Type<O>;
  create(options: O): (output: Tensor, target: Tensor) => Tensor;
  /**
   * Class scores [B, C] from the model output, for accuracy (e.g. spike counts summed over time for
   * an output of [T, B, C]). Absent: the output already is [B, C] scores.
   */
  predict?(output: Tensor): Tensor;
}

export const coreLosses: LossDef[] = [
  {
    name: 'cross-entropy',
    description: 'cross-entropy from logits [B, C] and class indices, with optional label smoothing',
    options: type({ labelSmoothing: '0 <= number < 1 = 0' }),
    create: (o) => (out, y) => crossEntropy(out, y, { labelSmoothing: o.labelSmoothing }),
  },
  {
    name: 'nll',
    description: 'negative log-likelihood of log-probabilities [B, C]',
    options: type({}),
    create: () => (out, y) => nllLoss(out, y),
  },
  {
    name: 'mse',
    description: 'mean squared error against a target of the output shape',
    options: type({}),
    create: () => (out, y) => mseLoss(out, y),
  },
  {
    name: 'bce-with-logits',
    description: 'binary cross-entropy on logits',
    options: type({}),
    create: () => (out, y) => bceWithLogits(out, y),
  },
];

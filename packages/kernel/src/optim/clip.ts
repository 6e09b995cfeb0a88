import { NeuriteError } from '../errors.js';
import { div } from '../ops/elementwise.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * Scales the gradients of `params` so that their total norm (the `normType`-norm of all gradient
 * elements together; `Infinity` for the largest magnitude) is at most `maxNorm`, as PyTorch's
 * `clip_grad_norm_`: every gradient is multiplied by min(1, maxNorm / (total + 1e-6)). Returns the total
 * norm before clipping as a scalar tensor. Everything stays on the gradients' backend: nothing is read
 * back, so a device backend never waits; read the norm with `await norm.item()` when you need it (for
 * instance to skip a step whose norm is not finite).
 */
export function clipGradNorm(params: Iterable<Tensor>, maxNorm: number, normType = 2): Tensor {
  if (!(maxNorm >= 0)) throw new NeuriteError(`clipGradNorm: maxNorm must be ≥ 0, found ${maxNorm}`);
  if (!(normType > 0))
    throw new NeuriteError(`clipGradNorm: normType must be > 0 or Infinity, found ${normType}`);
  const list = [...params];
  const withGrad = list.filter((p) => p.grad);
  if (withGrad.length === 0) {
    const first = list[0];
    if (!first) throw new NeuriteError('clipGradNorm: no parameters');
    return first.runtime.scalar(0);
  }
  let total: Tensor | null = null;
  for (const p of withGrad) {
    const g = p.grad!;
    const part = normType === Number.POSITIVE_INFINITY ? g.abs().max() : powerSum(g, normType);
    total =
      total === null ? part : normType === Number.POSITIVE_INFINITY ? total.maximum(part) : total.add(part);
  }
  const norm =
    normType === Number.POSITIVE_INFINITY
      ? total!
      : normType === 2
        ? total!.sqrt()
        : total!.pow(1 / normType);
  const scale = div(maxNorm, norm.add(1e-6)).minimum(1);
  for (const p of withGrad) p.grad = p.grad!.mul(scale.cast(p.grad!.dtype));
  return norm;
}

/** Σ|g|^p over all elements. */
function powerSum(g: Tensor, p: number): Tensor {
  if (p === 2) return g.square().sum();
  if (p === 1) return g.abs().sum();
  return g.abs().pow(p).sum();
}

/** Clamps every gradient element of `params` to [−clipValue, clipValue], as PyTorch's `clip_grad_value_`. */
export function clipGradValue(params: Iterable<Tensor>, clipValue: number): void {
  if (!(clipValue >= 0)) throw new NeuriteError(`clipGradValue: clipValue must be ≥ 0, found ${clipValue}`);
  for (const p of params) if (p.grad) p.grad = p.grad.clamp(-clipValue, clipValue);
}

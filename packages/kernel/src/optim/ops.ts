import type { TensorMeta } from '../backend/contract.js';
import { DTypeError, ShapeError } from '../errors.js';
import { sample } from '../ops/examples.js';
import { defineOp, type OpDef } from '../ops/op.js';
import { isFloat } from '../tensor/dtype.js';
import { sameShape } from '../tensor/shape.js';

/**
 * One SGD step for one parameter, PyTorch's rule (d is the gradient, negated when maximising):
 *   d ← d + weightDecay·p
 *   b ← momentum·b + (1 − dampening)·d;  d ← nesterov ? d + momentum·b : b      (when momentum ≠ 0)
 *   p ← p − lr·d
 * Inputs [param, grad] without momentum, [param, grad, buffer] with it; outputs [param] or
 * [param, buffer]. PyTorch starts the buffer as a copy of d; the optimiser gets the same result by
 * passing a zero buffer with dampening 0 on the first step, so kernels need no special case.
 */
export interface SgdUpdateAttrs {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly maximize: boolean;
}

/**
 * One Adam or AdamW step for one parameter, PyTorch's rule at step t (1-based), g the gradient
 * (negated when maximising):
 *   AdamW (decoupled): p ← p·(1 − lr·weightDecay);  Adam: g ← g + weightDecay·p
 *   m ← β1·m + (1 − β1)·g;  v ← β2·v + (1 − β2)·g²;  v̂ ← amsgrad ? max(v̂, v) : v
 *   p ← p − (lr / (1 − β1ᵗ)) · m / (√v̂ / √(1 − β2ᵗ) + eps)
 * Inputs [param, grad, m, v] (and v̂ with amsgrad); outputs [param, m, v] (and v̂).
 */
export interface AdamUpdateAttrs {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  readonly amsgrad: boolean;
  readonly maximize: boolean;
  /** The step being taken, from 1. */
  readonly step: number;
}

/** Every input has the parameter's shape and (float) dtype; returns `outputs` copies of its meta. */
function sameAsParam(
  op: string,
  inputs: readonly TensorMeta[],
  expected: number,
  outputs: number,
): TensorMeta[] {
  if (inputs.length !== expected)
    throw new ShapeError(op, `expects ${expected} inputs, found ${inputs.length}`);
  const param = inputs[0]!;
  if (!isFloat(param.dtype))
    throw new DTypeError(op, `parameters must be float32 or float64, found ${param.dtype}`);
  for (const t of inputs) {
    if (!sameShape(t.shape, param.shape)) {
      throw new ShapeError(
        op,
        'every input must have the parameter’s shape',
        inputs.map((i) => i.shape),
      );
    }
    if (t.dtype !== param.dtype) {
      throw new DTypeError(
        op,
        `every input must have the parameter’s dtype ${param.dtype}, found ${t.dtype}`,
      );
    }
  }
  return Array.from({ length: outputs }, () => ({ shape: param.shape, dtype: param.dtype }));
}

export const sgdUpdateOp = defineOp<SgdUpdateAttrs>({
  name: 'sgd_update',
  infer: (inputs, attrs) => {
    const withBuffer = attrs.momentum !== 0;
    return sameAsParam('sgd_update', inputs, withBuffer ? 3 : 2, withBuffer ? 2 : 1);
  },
  examples: (rt) => {
    const base = { lr: 0.1, dampening: 0, weightDecay: 0.01, nesterov: false, maximize: false };
    return [
      { inputs: [sample(rt, [2, 3]), sample(rt, [2, 3])], attrs: { ...base, momentum: 0 } },
      {
        label: 'momentum',
        inputs: [sample(rt, [4]), sample(rt, [4]), sample(rt, [4])],
        attrs: { ...base, momentum: 0.9, nesterov: true },
      },
    ];
  },
});

export const adamUpdateOp = defineOp<AdamUpdateAttrs>({
  name: 'adam_update',
  infer: (inputs, attrs) => {
    if (!(Number.isInteger(attrs.step) && attrs.step >= 1)) {
      throw new ShapeError('adam_update', `step must be an integer from 1, found ${attrs.step}`);
    }
    return sameAsParam('adam_update', inputs, attrs.amsgrad ? 5 : 4, attrs.amsgrad ? 4 : 3);
  },
  examples: (rt) => {
    const base = {
      lr: 0.01,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0.01,
      maximize: false,
      step: 3,
    };
    const state = () => [
      sample(rt, [2, 3]),
      sample(rt, [2, 3]),
      sample(rt, [2, 3]),
      sample(rt, [2, 3], 0, 1),
    ];
    return [
      { label: 'adamw', inputs: state(), attrs: { ...base, decoupled: true, amsgrad: false } },
      {
        label: 'adam, amsgrad',
        inputs: [...state(), sample(rt, [2, 3], 0, 1)],
        attrs: { ...base, decoupled: false, amsgrad: true },
      },
    ];
  },
});

/** The fused update ops; not differentiable (they run outside the tape). */
export const optimOps: OpDef[] = [sgdUpdateOp, adamUpdateOp];

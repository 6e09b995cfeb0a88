import { DTypeError } from '../errors.js';
import { type DType, isFloat } from '../tensor/dtype.js';
import { normalizeAxes, normalizeAxis, type Shape, sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { sample, spikes } from './examples.js';
import { defineOp, type OpDef } from './op.js';

export interface ReduceAttrs {
  /** Normalised, sorted axes. */
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

export function reducedShape(shape: Shape, axes: readonly number[], keepDims: boolean): number[] {
  const out: number[] = [];
  shape.forEach((d, i) => {
    if (!axes.includes(i)) out.push(d);
    else if (keepDims) out.push(1);
  });
  return out;
}

/** The shape with reduced axes kept as 1, so a reduced tensor broadcasts back against its input. */
function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function reduceOp(
  name: 'sum' | 'max' | 'min',
  grad: NonNullable<OpDef<ReduceAttrs>['grad']>,
): OpDef<ReduceAttrs> {
  return defineOp<ReduceAttrs>({
    name,
    infer: ([x], { axes, keepDims }) => {
      const dtype: DType = name === 'sum' && x!.dtype === 'spike' ? 'float32' : x!.dtype;
      return [{ shape: reducedShape(x!.shape, axes, keepDims), dtype }];
    },
    grad,
    examples: (rt) => [
      { inputs: [sample(rt, [2, 3, 4])], attrs: { axes: [1], keepDims: false } },
      { label: 'keepDims', inputs: [sample(rt, [2, 3, 4])], attrs: { axes: [0, 2], keepDims: true } },
      {
        label: 'spike',
        inputs: [spikes(rt, [1, 0, 1, 1, 0, 0], [2, 3])],
        attrs: { axes: [1], keepDims: false },
      },
    ],
  });
}

const sumOp = reduceOp('sum', ({ inputs: [x], attrs, grads: [g] }) => [
  g!.reshape(keptShape(x!.shape, attrs.axes)).broadcastTo(x!.shape),
]);

/** Max and min pass the gradient to every element equal to the extreme (split evenly between ties). */
const extremeGrad: NonNullable<OpDef<ReduceAttrs>['grad']> = ({
  inputs: [x],
  outputs: [y],
  attrs,
  grads: [g],
}) => {
  const kept = keptShape(x!.shape, attrs.axes);
  const mask = x!.eq(y!.reshape(kept)).cast(g!.dtype);
  const count = mask.sum(attrs.axes, true);
  return [mask.div(count).mul(g!.reshape(kept))];
};

const maxOp = reduceOp('max', extremeGrad);
const minOp = reduceOp('min', extremeGrad);

const argmaxOp = defineOp<{ axis: number; keepDims: boolean }>({
  name: 'argmax',
  infer: ([x], { axis, keepDims }) => [{ shape: reducedShape(x!.shape, [axis], keepDims), dtype: 'int32' }],
  examples: (rt) => [{ inputs: [sample(rt, [2, 3])], attrs: { axis: 1, keepDims: false } }],
});

function softmaxFamily(name: 'softmax' | 'log_softmax'): OpDef<{ axis: number }> {
  return defineOp<{ axis: number }>({
    name,
    infer: ([x]) => {
      if (!isFloat(x!.dtype)) throw new DTypeError(name, `expects a float tensor, found ${x!.dtype}`);
      return [{ shape: x!.shape, dtype: x!.dtype }];
    },
    grad: ({ outputs: [y], attrs: { axis }, grads: [g] }) => {
      if (name === 'softmax') return [y!.mul(g!.sub(g!.mul(y!).sum(axis, true)))];
      return [g!.sub(y!.exp().mul(g!.sum(axis, true)))];
    },
    examples: (rt) => [{ inputs: [sample(rt, [2, 3], -2, 2)], attrs: { axis: 1 } }],
  });
}

export const reduceOps: OpDef[] = [
  sumOp,
  maxOp,
  minOp,
  argmaxOp,
  softmaxFamily('softmax'),
  softmaxFamily('log_softmax'),
];

// ------------------------------------------------------------------ functional API

function reduce(
  name: 'sum' | 'max' | 'min',
  x: Tensor,
  axes: number | readonly number[] | undefined,
  keepDims: boolean,
) {
  const list = normalizeAxes(name, axes, x.rank);
  if (list.length === 0) return x;
  return x.runtime.run1(name, [x], { axes: list, keepDims } satisfies ReduceAttrs);
}

export function sum(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return reduce('sum', x, axes, keepDims);
}

export function mean(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const list = normalizeAxes('mean', axes, x.rank);
  let count = 1;
  for (const a of list) count *= x.shape[a]!;
  return sum(x, list, keepDims).div(count);
}

export function max(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return reduce('max', x, axes, keepDims);
}

export function min(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  return reduce('min', x, axes, keepDims);
}

/** Index (int32) of the largest element along `axis`; the first one on ties. */
export function argmax(x: Tensor, axis = -1, keepDims = false): Tensor {
  return x.runtime.run1('argmax', [x], { axis: normalizeAxis('argmax', axis, x.rank), keepDims });
}

/** log Σ exp(x), computed stably by factoring out the maximum. */
export function logsumexp(x: Tensor, axes?: number | readonly number[], keepDims = false): Tensor {
  const list = normalizeAxes('logsumexp', axes, x.rank);
  const m = max(x, list, true).detach();
  const out = x.sub(m).exp().sum(list, true).log().add(m);
  return keepDims ? out : out.reshape(reducedShape(x.shape, list, false));
}

/** Variance with `correction` (0: population, 1: sample). */
export function variance(
  x: Tensor,
  axes?: number | readonly number[],
  keepDims = false,
  correction = 0,
): Tensor {
  const list = normalizeAxes('variance', axes, x.rank);
  let count = 1;
  for (const a of list) count *= x.shape[a]!;
  const centred = x.sub(mean(x, list, true));
  return centred
    .square()
    .sum(list, keepDims)
    .div(Math.max(count - correction, 1));
}

export function softmax(x: Tensor, axis = -1): Tensor {
  return x.runtime.run1('softmax', [x], { axis: normalizeAxis('softmax', axis, x.rank) });
}

export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return x.runtime.run1('log_softmax', [x], { axis: normalizeAxis('log_softmax', axis, x.rank) });
}

/**
 * Sums a broadcast gradient back to the shape of the operand it came from: leading axes the operand
 * lacked, and axes where it had size 1.
 */
export function sumTo(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length ? sum(g, axes, true) : g;
  return summed.reshape(shape);
}

import { DTypeError, NeuriteError, ShapeError } from '../errors.js';
import { promote } from '../tensor/dtype.js';
import {
  broadcastShapes,
  normalizeAxes,
  normalizeAxis,
  resolveReshape,
  type Shape,
  sameShape,
} from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { ints, sample } from './examples.js';
import { defineOp, type OpDef } from './op.js';
import { sumTo } from './reduce.js';

const reshapeOp = defineOp<{ shape: readonly number[] }>({
  name: 'reshape',
  infer: ([x], { shape }) => [{ shape: resolveReshape('reshape', x!.shape, shape), dtype: x!.dtype }],
  grad: ({ inputs: [x], grads: [g] }) => [g!.reshape(x!.shape)],
  examples: (rt) => [
    { inputs: [sample(rt, [2, 3])], attrs: { shape: [3, 2] } },
    { label: 'inferred axis', inputs: [sample(rt, [2, 3])], attrs: { shape: [-1] } },
  ],
});

const permuteOp = defineOp<{ order: readonly number[] }>({
  name: 'permute',
  infer: ([x], { order }) => {
    const sorted = [...order].sort((a, b) => a - b);
    if (order.length !== x!.shape.length || sorted.some((a, i) => a !== i)) {
      throw new ShapeError('permute', `order [${order.join(', ')}] is not a permutation of the axes`, [
        x!.shape,
      ]);
    }
    return [{ shape: order.map((a) => x!.shape[a]!), dtype: x!.dtype }];
  },
  grad: ({ attrs: { order }, grads: [g] }) => {
    const inverse = new Array<number>(order.length);
    order.forEach((a, i) => {
      inverse[a] = i;
    });
    return [g!.permute(inverse)];
  },
  examples: (rt) => [{ inputs: [sample(rt, [2, 3, 4])], attrs: { order: [2, 0, 1] } }],
});

export interface SliceAttrs {
  readonly begin: readonly number[];
  readonly end: readonly number[];
  readonly step: readonly number[];
}

function slicedShape(attrs: SliceAttrs): number[] {
  return attrs.begin.map((b, i) => Math.max(0, Math.ceil((attrs.end[i]! - b) / attrs.step[i]!)));
}

const sliceOp = defineOp<SliceAttrs>({
  name: 'slice',
  infer: ([x], attrs) => [{ shape: slicedShape(attrs), dtype: x!.dtype }],
  grad: ({ inputs: [x], attrs, grads: [g] }) => [
    g!.runtime.run1('slice_grad', [g!], { ...attrs, inputShape: x!.shape }),
  ],
  examples: (rt) => [{ inputs: [sample(rt, [4, 5])], attrs: { begin: [1, 0], end: [3, 5], step: [1, 2] } }],
});

/** Scatters a slice's gradient back into zeros of the sliced tensor's shape. */
const sliceGradOp = defineOp<SliceAttrs & { inputShape: Shape }>({
  name: 'slice_grad',
  infer: ([g], attrs) => [{ shape: attrs.inputShape, dtype: g!.dtype }],
  grad: ({ attrs, grads: [g] }) => [
    g!.runtime.run1('slice', [g!], { begin: attrs.begin, end: attrs.end, step: attrs.step }),
  ],
  examples: (rt) => [
    { inputs: [sample(rt, [2, 3])], attrs: { begin: [1, 0], end: [3, 5], step: [1, 2], inputShape: [4, 5] } },
  ],
});

function checkIndex(op: string, index: { dtype: string }) {
  if (index.dtype !== 'int32') throw new DTypeError(op, `indices must be int32, found ${index.dtype}`);
}

const indexSelectOp = defineOp<{ axis: number }>({
  name: 'index_select',
  infer: ([x, index], { axis }) => {
    checkIndex('index_select', index!);
    if (index!.shape.length !== 1)
      throw new ShapeError('index_select', 'indices must be 1-D', [x!.shape, index!.shape]);
    const shape = [...x!.shape];
    shape[axis] = index!.shape[0]!;
    return [{ shape, dtype: x!.dtype }];
  },
  grad: ({ inputs: [x, index], attrs, grads: [g] }) => [
    g!.runtime.run1('index_add', [g!, index!], { axis: attrs.axis, size: x!.shape[attrs.axis]! }),
    null,
  ],
  examples: (rt) => [{ inputs: [sample(rt, [4, 3]), ints(rt, [0, 2, 2])], attrs: { axis: 0 } }],
});

/** Sums slices of `g` into a zero tensor at the given indices (the adjoint of index_select). */
const indexAddOp = defineOp<{ axis: number; size: number }>({
  name: 'index_add',
  infer: ([g, index], { axis, size }) => {
    checkIndex('index_add', index!);
    const shape = [...g!.shape];
    shape[axis] = size;
    return [{ shape, dtype: g!.dtype }];
  },
  grad: ({ inputs: [, index], attrs, grads: [g] }) => [g!.indexSelect(attrs.axis, index!), null],
  examples: (rt) => [{ inputs: [sample(rt, [3, 3]), ints(rt, [0, 2, 2])], attrs: { axis: 0, size: 4 } }],
});

const gatherOp = defineOp<{ axis: number }>({
  name: 'gather',
  infer: ([x, index], { axis }) => {
    checkIndex('gather', index!);
    if (index!.shape.length !== x!.shape.length)
      throw new ShapeError('gather', 'indices must have the rank of the input', [x!.shape, index!.shape]);
    for (let i = 0; i < x!.shape.length; i++) {
      if (i !== axis && index!.shape[i]! > x!.shape[i]!) {
        throw new ShapeError('gather', `index axis ${i} is longer than the input's`, [
          x!.shape,
          index!.shape,
        ]);
      }
    }
    return [{ shape: index!.shape, dtype: x!.dtype }];
  },
  grad: ({ inputs: [x, index], attrs, grads: [g] }) => [
    g!.runtime.run1('scatter_add', [g!, index!], { axis: attrs.axis, shape: x!.shape }),
    null,
  ],
  examples: (rt) => [
    { inputs: [sample(rt, [3, 4]), ints(rt, [0, 3, 1, 1, 2, 0], [3, 2])], attrs: { axis: 1 } },
  ],
});

/** Adds each element of `g` into zeros of `shape` at the position `index` names (adjoint of gather). */
const scatterAddOp = defineOp<{ axis: number; shape: Shape }>({
  name: 'scatter_add',
  infer: ([g, index], { shape }) => {
    checkIndex('scatter_add', index!);
    return [{ shape, dtype: g!.dtype }];
  },
  grad: ({ inputs: [, index], attrs, grads: [g] }) => [g!.gather(attrs.axis, index!), null],
  examples: (rt) => [
    { inputs: [sample(rt, [3, 2]), ints(rt, [0, 3, 1, 1, 2, 0], [3, 2])], attrs: { axis: 1, shape: [3, 4] } },
  ],
});

const concatOp = defineOp<{ axis: number }>({
  name: 'concat',
  infer: (inputs, { axis }) => {
    const first = inputs[0]!;
    let total = 0;
    let dtype = first.dtype;
    for (const t of inputs) {
      if (
        t.shape.length !== first.shape.length ||
        t.shape.some((d, i) => i !== axis && d !== first.shape[i])
      ) {
        throw new ShapeError(
          'concat',
          `shapes differ outside axis ${axis}`,
          inputs.map((x) => x.shape),
        );
      }
      total += t.shape[axis]!;
      dtype = promote(dtype, t.dtype);
    }
    const shape = [...first.shape];
    shape[axis] = total;
    return [{ shape, dtype }];
  },
  grad: ({ inputs, attrs: { axis }, grads: [g] }) => {
    let offset = 0;
    return inputs.map((t) => {
      const begin = t.shape.map((_, i) => (i === axis ? offset : 0));
      const end = t.shape.map((d, i) => (i === axis ? offset + d : g!.shape[i]!));
      offset += t.shape[axis]!;
      return t.requiresGrad ? g!.slice(begin, end) : null;
    });
  },
  examples: (rt) => [{ inputs: [sample(rt, [2, 3]), sample(rt, [2, 2])], attrs: { axis: 1 } }],
});

const padOp = defineOp<{ padding: readonly (readonly [number, number])[]; value: number }>({
  name: 'pad',
  infer: ([x], { padding }) => {
    if (padding.length !== x!.shape.length)
      throw new ShapeError('pad', `needs one [before, after] pair per axis`, [x!.shape]);
    const shape = x!.shape.map((d, i) => d + padding[i]![0] + padding[i]![1]);
    if (shape.some((d) => d < 0))
      throw new ShapeError('pad', 'negative padding removes more than the axis holds', [x!.shape]);
    return [{ shape, dtype: x!.dtype }];
  },
  grad: ({ inputs: [x], attrs: { padding }, grads: [g] }) => [
    g!.slice(
      padding.map((p) => p[0]),
      padding.map((p, i) => p[0] + x!.shape[i]!),
    ),
  ],
  examples: (rt) => [
    {
      inputs: [sample(rt, [2, 3])],
      attrs: {
        padding: [
          [1, 0],
          [0, 2],
        ],
        value: 0.5,
      },
    },
  ],
});

const flipOp = defineOp<{ axes: readonly number[] }>({
  name: 'flip',
  infer: ([x]) => [{ shape: x!.shape, dtype: x!.dtype }],
  grad: ({ attrs: { axes }, grads: [g] }) => [g!.flip(axes)],
  examples: (rt) => [{ inputs: [sample(rt, [2, 3])], attrs: { axes: [1] } }],
});

const broadcastToOp = defineOp<{ shape: readonly number[] }>({
  name: 'broadcast_to',
  infer: ([x], { shape }) => {
    const out = broadcastShapes('broadcast_to', x!.shape, shape);
    if (!sameShape(out, shape))
      throw new ShapeError('broadcast_to', 'cannot broadcast to the target', [x!.shape, shape]);
    return [{ shape, dtype: x!.dtype }];
  },
  grad: ({ inputs: [x], grads: [g] }) => [sumTo(g!, x!.shape)],
  examples: (rt) => [
    { inputs: [sample(rt, [3])], attrs: { shape: [2, 3] } },
    { label: 'size-1 axis', inputs: [sample(rt, [2, 1])], attrs: { shape: [2, 3] } },
  ],
});

export const movementOps: OpDef[] = [
  reshapeOp,
  permuteOp,
  sliceOp,
  sliceGradOp,
  indexSelectOp,
  indexAddOp,
  gatherOp,
  scatterAddOp,
  concatOp,
  padOp,
  flipOp,
  broadcastToOp,
];

// ------------------------------------------------------------------ functional API

export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(x.shape, shape)) return x;
  return x.runtime.run1('reshape', [x], { shape });
}

export function flatten(x: Tensor, startAxis = 0, endAxis = -1): Tensor {
  if (x.rank === 0) return x.reshape([1]);
  const s = normalizeAxis('flatten', startAxis, x.rank);
  const e = normalizeAxis('flatten', endAxis, x.rank);
  if (e < s)
    throw new ShapeError('flatten', `end axis ${endAxis} precedes start axis ${startAxis}`, [x.shape]);
  const merged = x.shape.slice(s, e + 1).reduce((a, b) => a * b, 1);
  return reshape(x, [...x.shape.slice(0, s), merged, ...x.shape.slice(e + 1)]);
}

export function squeeze(x: Tensor, axes?: number | readonly number[]): Tensor {
  const list =
    axes === undefined
      ? x.shape.flatMap((d, i) => (d === 1 ? [i] : []))
      : normalizeAxes('squeeze', axes, x.rank);
  for (const a of list) {
    if (x.shape[a] !== 1)
      throw new ShapeError('squeeze', `axis ${a} has size ${x.shape[a]}, not 1`, [x.shape]);
  }
  return reshape(
    x,
    x.shape.filter((_, i) => !list.includes(i)),
  );
}

export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('unsqueeze', axis, x.rank + 1);
  const shape = [...x.shape];
  shape.splice(a, 0, 1);
  return reshape(x, shape);
}

export function permute(x: Tensor, order: readonly number[]): Tensor {
  const normalised = order.map((a) => normalizeAxis('permute', a, x.rank));
  if (normalised.every((a, i) => a === i)) return x;
  return x.runtime.run1('permute', [x], { order: normalised });
}

export function transpose(x: Tensor, axisA = -2, axisB = -1): Tensor {
  const a = normalizeAxis('transpose', axisA, x.rank);
  const b = normalizeAxis('transpose', axisB, x.rank);
  const order = x.shape.map((_, i) => i);
  order[a] = b;
  order[b] = a;
  return permute(x, order);
}

/**
 * Python-style slicing per axis: `begin` and `end` may be negative (from the end) and are clamped;
 * `end` undefined means to the end. Axes beyond the given lists are taken whole. Steps are positive.
 */
export function slice(
  x: Tensor,
  begin: readonly number[],
  end?: readonly (number | undefined)[],
  step?: readonly number[],
): Tensor {
  if (begin.length > x.rank)
    throw new ShapeError('slice', `${begin.length} begin values for rank ${x.rank}`, [x.shape]);
  const b: number[] = [];
  const e: number[] = [];
  const s: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    const d = x.shape[i]!;
    const st = step?.[i] ?? 1;
    if (!Number.isInteger(st) || st <= 0)
      throw new ShapeError('slice', `step ${st} must be a positive integer`, [x.shape]);
    const resolve = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
    const bi = resolve(begin[i] ?? 0);
    b.push(bi);
    e.push(Math.max(bi, resolve(end?.[i] ?? d)));
    s.push(st);
  }
  if (b.every((v) => v === 0) && e.every((v, i) => v === x.shape[i]) && s.every((v) => v === 1)) return x;
  return x.runtime.run1('slice', [x], { begin: b, end: e, step: s } satisfies SliceAttrs);
}

export function indexSelect(x: Tensor, axis: number, index: Tensor): Tensor {
  return x.runtime.run1('index_select', [x, index], { axis: normalizeAxis('index_select', axis, x.rank) });
}

export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  return x.runtime.run1('gather', [x, index], { axis: normalizeAxis('gather', axis, x.rank) });
}

export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  const first = tensors[0];
  if (!first) throw new NeuriteError('concat: needs at least one tensor');
  if (tensors.length === 1) return first;
  return first.runtime.run1('concat', tensors, { axis: normalizeAxis('concat', axis, first.rank) });
}

export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  const first = tensors[0];
  if (!first) throw new NeuriteError('stack: needs at least one tensor');
  const a = normalizeAxis('stack', axis, first.rank + 1);
  for (const t of tensors) {
    if (!sameShape(t.shape, first.shape))
      throw new ShapeError(
        'stack',
        'all tensors must have one shape',
        tensors.map((x) => x.shape),
      );
  }
  return concat(
    tensors.map((t) => unsqueeze(t, a)),
    a,
  );
}

export function pad(x: Tensor, padding: readonly (readonly [number, number])[], value = 0): Tensor {
  if (padding.every((p) => p[0] === 0 && p[1] === 0)) return x;
  return x.runtime.run1('pad', [x], { padding, value });
}

export function flip(x: Tensor, axes: number | readonly number[]): Tensor {
  return x.runtime.run1('flip', [x], { axes: normalizeAxes('flip', axes, x.rank) });
}

export function broadcastTo(x: Tensor, shape: readonly number[]): Tensor {
  if (sameShape(x.shape, shape)) return x;
  return x.runtime.run1('broadcast_to', [x], { shape });
}

import { NeuriteError } from '../../errors.js';
import type { SliceAttrs } from '../../ops/movement.js';
import { arrayFor, type DataArray } from '../../tensor/dtype.js';
import { type Shape, sizeOf, stridesOf } from '../../tensor/shape.js';
import type { KernelFn } from '../contract.js';
import { splitAround, stridedCopy } from './strided.js';

type K<A = any> = KernelFn<DataArray, A>;

const reshape: K = ({ inputs: [x] }) => [x!.handle];

const permute: K<{ order: readonly number[] }> = ({ inputs: [x], attrs: { order }, outputs: [o] }) => {
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  const inStrides = stridesOf(x!.shape);
  stridedCopy(
    x!.handle,
    0,
    order.map((a) => inStrides[a]!),
    out,
    0,
    stridesOf(o!.shape),
    o!.shape,
  );
  return [out];
};

function sliceLayout(shape: Shape, { begin, step }: SliceAttrs): [number, number[]] {
  const strides = stridesOf(shape);
  return [begin.reduce((acc, b, i) => acc + b * strides[i]!, 0), strides.map((s, i) => s * step[i]!)];
}

const slice: K<SliceAttrs> = ({ inputs: [x], attrs, outputs: [o] }) => {
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  const [offset, strides] = sliceLayout(x!.shape, attrs);
  stridedCopy(x!.handle, offset, strides, out, 0, stridesOf(o!.shape), o!.shape);
  return [out];
};

const sliceGrad: K<SliceAttrs & { inputShape: Shape }> = ({ inputs: [g], attrs, outputs: [o] }) => {
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  const [offset, strides] = sliceLayout(attrs.inputShape, attrs);
  stridedCopy(g!.handle, 0, stridesOf(g!.shape), out, offset, strides, g!.shape);
  return [out];
};

function checkedIndex(op: string, index: DataArray, limit: number): void {
  for (let i = 0; i < index.length; i++) {
    const v = index[i]!;
    if (v < 0 || v >= limit)
      throw new NeuriteError(`${op}: index ${v} at position ${i} is outside [0, ${limit})`);
  }
}

const indexSelect: K<{ axis: number }> = ({ inputs: [x, index], attrs: { axis }, outputs: [o] }) => {
  const [outer, d, inner] = splitAround(x!.shape, axis);
  const idx = index!.handle;
  checkedIndex('index_select', idx, d);
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  const src = x!.handle;
  const k = idx.length;
  for (let a = 0; a < outer; a++) {
    for (let j = 0; j < k; j++) {
      const from = (a * d + idx[j]!) * inner;
      out.set(src.subarray(from, from + inner), (a * k + j) * inner);
    }
  }
  return [out];
};

const indexAdd: K<{ axis: number; size: number }> = ({
  inputs: [g, index],
  attrs: { axis, size },
  outputs: [o],
}) => {
  const [outer, k, inner] = splitAround(g!.shape, axis);
  const idx = index!.handle;
  checkedIndex('index_add', idx, size);
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  const src = g!.handle;
  for (let a = 0; a < outer; a++) {
    for (let j = 0; j < k; j++) {
      const to = (a * size + idx[j]!) * inner;
      const from = (a * k + j) * inner;
      for (let i = 0; i < inner; i++) out[to + i]! += src[from + i]!;
    }
  }
  return [out];
};

/** Visits every index position, giving the flat offsets into `shapeA` and `shapeB` along with it. */
function gatherWalk(
  indexShape: Shape,
  axis: number,
  index: DataArray,
  dataShape: Shape,
  visit: (indexPos: number, dataPos: number) => void,
): void {
  const dataStrides = stridesOf(dataShape);
  const idxStrides = stridesOf(indexShape);
  const limit = dataShape[axis]!;
  const n = index.length;
  for (let p = 0; p < n; p++) {
    let rem = p;
    let dataPos = 0;
    for (let a = 0; a < indexShape.length; a++) {
      const c = Math.floor(rem / idxStrides[a]!);
      rem -= c * idxStrides[a]!;
      if (a === axis) {
        const v = index[p]!;
        if (v < 0 || v >= limit)
          throw new NeuriteError(`gather: index ${v} at position ${p} is outside [0, ${limit})`);
        dataPos += v * dataStrides[a]!;
      } else dataPos += c * dataStrides[a]!;
    }
    visit(p, dataPos);
  }
}

const gather: K<{ axis: number }> = ({ inputs: [x, index], attrs: { axis }, outputs: [o] }) => {
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  const src = x!.handle;
  gatherWalk(index!.shape, axis, index!.handle, x!.shape, (p, d) => (out[p] = src[d]!));
  return [out];
};

const scatterAdd: K<{ axis: number; shape: Shape }> = ({
  inputs: [g, index],
  attrs: { axis, shape },
  outputs: [o],
}) => {
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  const src = g!.handle;
  gatherWalk(index!.shape, axis, index!.handle, shape, (p, d) => (out[d]! += src[p]!));
  return [out];
};

const concat: K<{ axis: number }> = ({ inputs, attrs: { axis }, outputs: [o] }) => {
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  const outStrides = stridesOf(o!.shape);
  let offset = 0;
  for (const t of inputs) {
    stridedCopy(t.handle, 0, stridesOf(t.shape), out, offset * outStrides[axis]!, outStrides, t.shape);
    offset += t.shape[axis]!;
  }
  return [out];
};

const pad: K<{ padding: readonly (readonly [number, number])[]; value: number }> = ({
  inputs: [x],
  attrs,
  outputs: [o],
}) => {
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  if (attrs.value !== 0) out.fill(attrs.value);
  const outStrides = stridesOf(o!.shape);
  const inStrides = stridesOf(x!.shape);
  // Negative padding crops: start the source later instead of the destination.
  let srcOffset = 0;
  let dstOffset = 0;
  const copyShape = x!.shape.map((d, i) => {
    const [before, after] = attrs.padding[i]!;
    if (before >= 0) dstOffset += before * outStrides[i]!;
    else srcOffset -= before * inStrides[i]!;
    return d + Math.min(before, 0) + Math.min(after, 0);
  });
  stridedCopy(x!.handle, srcOffset, inStrides, out, dstOffset, outStrides, copyShape);
  return [out];
};

const flip: K<{ axes: readonly number[] }> = ({ inputs: [x], attrs: { axes }, outputs: [o] }) => {
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  const strides = stridesOf(x!.shape);
  let offset = 0;
  const srcStrides = strides.map((s, i) => {
    if (!axes.includes(i)) return s;
    offset += (x!.shape[i]! - 1) * s;
    return -s;
  });
  stridedCopy(x!.handle, offset, srcStrides, out, 0, strides, x!.shape);
  return [out];
};

const broadcastTo: K<{ shape: readonly number[] }> = ({ inputs: [x], outputs: [o] }) => {
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  const rank = o!.shape.length;
  const lead = rank - x!.shape.length;
  const inStrides = stridesOf(x!.shape);
  const srcStrides = o!.shape.map((_, i) =>
    i < lead || x!.shape[i - lead] === 1 ? 0 : inStrides[i - lead]!,
  );
  stridedCopy(x!.handle, 0, srcStrides, out, 0, stridesOf(o!.shape), o!.shape);
  return [out];
};

export const movementKernels: Record<string, K> = {
  reshape,
  permute,
  slice,
  slice_grad: sliceGrad,
  index_select: indexSelect,
  index_add: indexAdd,
  gather,
  scatter_add: scatterAdd,
  concat,
  pad,
  flip,
  broadcast_to: broadcastTo,
};

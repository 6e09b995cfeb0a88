import type { DataArray } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';

/**
 * Copies an n-d block of `shape` from `src` to `dst`, each addressed by an offset and one stride per
 * axis (strides may be 0 to broadcast or negative to flip). Every movement op reduces to this: permute,
 * slice and its gradient, pad, flip, broadcast and concat differ only in their strides and offsets.
 */
export function stridedCopy(
  src: DataArray,
  srcOffset: number,
  srcStrides: readonly number[],
  dst: DataArray,
  dstOffset: number,
  dstStrides: readonly number[],
  shape: Shape,
  accumulate = false,
): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[dstOffset] = accumulate ? dst[dstOffset]! + src[srcOffset]! : src[srcOffset]!;
    return;
  }
  for (const d of shape) if (d === 0) return;
  const n = shape[rank - 1]!;
  const ss = srcStrides[rank - 1]!;
  const ds = dstStrides[rank - 1]!;
  const counter = new Array<number>(rank - 1).fill(0);
  let so = srcOffset;
  let dof = dstOffset;
  for (;;) {
    if (accumulate) for (let i = 0; i < n; i++) dst[dof + i * ds]! += src[so + i * ss]!;
    else if (ss === 1 && ds === 1) dst.set(src.subarray(so, so + n), dof);
    else for (let i = 0; i < n; i++) dst[dof + i * ds] = src[so + i * ss]!;
    let axis = rank - 2;
    for (; axis >= 0; axis--) {
      so += srcStrides[axis]!;
      dof += dstStrides[axis]!;
      if (++counter[axis]! < shape[axis]!) break;
      so -= srcStrides[axis]! * shape[axis]!;
      dof -= dstStrides[axis]! * shape[axis]!;
      counter[axis] = 0;
    }
    if (axis < 0) return;
  }
}

/**
 * Splits a shape around a block of axes [first, last] into (outer, block, inner) sizes: the layout
 * reductions, softmax, index_select and concat loop over.
 */
export function splitAround(shape: Shape, first: number, last = first): [number, number, number] {
  let outer = 1;
  let block = 1;
  let inner = 1;
  shape.forEach((d, i) => {
    if (i < first) outer *= d;
    else if (i <= last) block *= d;
    else inner *= d;
  });
  return [outer, block, inner];
}

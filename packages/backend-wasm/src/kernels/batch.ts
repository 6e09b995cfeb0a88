import type { Shape } from '@neurite/kernel';

/**
 * For each batch of an output with leading axes `out`, the index of the batch an operand with leading
 * axes `operand` supplies (NumPy broadcasting: missing and size-1 axes repeat).
 */
export function batchIndex(out: Shape, operand: Shape): Int32Array {
  const rank = out.length;
  let total = 1;
  for (const d of out) total *= d;
  const index = new Int32Array(total);
  const strides = new Array<number>(rank).fill(0);
  let stride = 1;
  for (let i = rank - 1; i >= 0; i--) {
    const d = operand[operand.length - rank + i] ?? 1;
    strides[i] = d === 1 ? 0 : stride;
    stride *= d;
  }
  const counter = new Array<number>(rank).fill(0);
  let at = 0;
  for (let b = 0; b < total; b++) {
    index[b] = at;
    for (let axis = rank - 1; axis >= 0; axis--) {
      at += strides[axis]!;
      if (++counter[axis]! < out[axis]!) break;
      at -= strides[axis]! * out[axis]!;
      counter[axis] = 0;
    }
  }
  return index;
}

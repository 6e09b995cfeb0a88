import type { TensorMeta } from '../../backend/contract.js';
import { DTypeError, ShapeError } from '../../errors.js';
import { type DType, isFloat } from '../../tensor/dtype.js';

/** Throws a DTypeError unless the tensor is float32 or float64 (linear algebra has no integer form). */
export function checkFloat(op: string, t: TensorMeta): DType {
  if (!isFloat(t.dtype)) throw new DTypeError(op, `expects float32 or float64 tensors, found ${t.dtype}`);
  return t.dtype;
}

/** The size n of a batch of square matrices [..., n, n], with a ShapeError otherwise. */
export function squareSize(op: string, t: TensorMeta): number {
  const s = t.shape;
  if (s.length < 2 || s.at(-1) !== s.at(-2)) {
    throw new ShapeError(op, 'expects a (batch of) square matrices [..., n, n]', [s]);
  }
  checkFloat(op, t);
  return s.at(-1)!;
}

import type { KernelInput } from '../../backend/contract.js';
import { NeuriteError } from '../../errors.js';
import type { DataArray } from '../../tensor/dtype.js';
import { NotPositiveDefiniteError, SingularMatrixError } from '../errors.js';

/**
 * Block `index` (of `size` values) of a kernel input as float64: a view for float64 data, a widened
 * copy for float32. Host routines never write to their inputs, so views are safe.
 */
export function block(input: KernelInput<DataArray>, index: number, size: number): Float64Array {
  const data = input.handle;
  const start = index * size;
  if (data instanceof Float64Array) return data.subarray(start, start + size);
  return Float64Array.from(data.subarray(start, start + size));
}

/**
 * Runs `body` for batch entry `batch`, rethrowing the linear-algebra errors with the tensor op's name
 * and the batch index, so the message points at the offending matrix of the tensor.
 */
export function inBatch<T>(op: string, batch: number, body: () => T): T {
  try {
    return body();
  } catch (e) {
    if (e instanceof SingularMatrixError) throw new SingularMatrixError(op, e.pivot, batch);
    if (e instanceof NotPositiveDefiniteError) {
      throw new NotPositiveDefiniteError(op, e.pivot, e.value, e.kind, batch);
    }
    if (e instanceof NeuriteError)
      throw new NeuriteError(`${op} (batch index ${batch}): ${e.message}`, { cause: e });
    throw e;
  }
}

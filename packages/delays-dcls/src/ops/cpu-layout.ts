import type { DataArray, FloatArray } from '@neurite/kernel';

/**
 * The cpu kernels work channel by channel over the flattened (time, batch) axis j = t·B + b: a delay of
 * d steps is then a shift of d·B along one contiguous row, and each synapse's taps are short filters
 * along a row (or along its non-zero entries). Rows carry zero margins wide enough for every shift, so the
 * inner loops need no bounds tests. These helpers move [T, B, C] tensors into and out of that layout.
 */

/** An input's channels as rows over j: sparse (CSR, indices ascending) or dense with zero margins. */
export type ChannelRows =
  | {
      readonly sparse: true;
      /** Row i holds entries start[i] … start[i+1] − 1. */
      readonly start: Int32Array;
      readonly index: Int32Array;
      readonly value: Float64Array;
    }
  | {
      readonly sparse: false;
      readonly rows: FloatArray;
      /** Length of a row: before + J + after. */
      readonly stride: number;
      /** Zeros before each row's data (the data of row i starts at i·stride + before). */
      readonly before: number;
    };

/**
 * Rows of x [J, C] (row-major): sparse when at most `maxDensity` of the entries are non-zero (spikes and
 * dropout-scaled spikes, the usual inputs of a delay layer), so the kernels cost in proportion to the
 * events; dense otherwise, with `before` and `after` zeros around each row.
 */
export function channelRows(
  x: DataArray,
  J: number,
  C: number,
  before: number,
  after: number,
  maxDensity = 0.35,
): ChannelRows {
  const counts = new Int32Array(C + 1);
  let nnz = 0;
  for (let j = 0, q = 0; j < J; j++) {
    for (let i = 0; i < C; i++, q++) {
      if (x[q] !== 0) {
        counts[i + 1]!++;
        nnz++;
      }
    }
  }
  if (nnz > maxDensity * J * C) {
    const stride = before + J + after;
    const rows = (
      x instanceof Float64Array ? new Float64Array(stride * C) : new Float32Array(stride * C)
    ) as FloatArray;
    for (let j = 0, q = 0; j < J; j++) for (let i = 0; i < C; i++, q++) rows[i * stride + before + j] = x[q]!;
    return { sparse: false, rows, stride, before };
  }
  const start = new Int32Array(C + 1);
  for (let i = 0; i < C; i++) start[i + 1] = start[i]! + counts[i + 1]!;
  const fill = start.slice(0, C);
  const index = new Int32Array(nnz);
  const value = new Float64Array(nnz);
  // Walking j in order leaves every row's indices ascending.
  for (let j = 0, q = 0; j < J; j++) {
    for (let i = 0; i < C; i++, q++) {
      const v = x[q]!;
      if (v !== 0) {
        const at = fill[i]!++;
        index[at] = j;
        value[at] = v;
      }
    }
  }
  return { sparse: true, start, index, value };
}

/** [J, C] (row-major) → C rows of `stride` ≥ J (zeros after J). */
export function toRows(src: DataArray, J: number, C: number, stride: number, out: FloatArray): FloatArray {
  for (let j = 0, q = 0; j < J; j++) for (let c = 0; c < C; c++, q++) out[c * stride + j] = src[q]!;
  return out;
}

/** C rows of `stride` → [J, C] (row-major), from the first J entries of each row. */
export function fromRows(
  rows: FloatArray,
  J: number,
  C: number,
  stride: number,
  out: FloatArray,
): FloatArray {
  for (let j = 0, q = 0; j < J; j++) for (let c = 0; c < C; c++, q++) out[q] = rows[c * stride + j]!;
  return out;
}

import { SingularMatrixError } from '../errors.js';
import { checkMatrix, columnsOf, type Matrix } from './matrix.js';

export interface TriangularOptions {
  /** T is lower triangular (the default); otherwise upper. Only that triangle of T is read. */
  readonly lower?: boolean;
  /** Solve Tᵀ·X = B instead of T·X = B. */
  readonly transpose?: boolean;
}

/**
 * Solves T·X = B (or Tᵀ·X = B) for a triangular n×n T and an n×k B, by substitution. Only the named
 * triangle of T is read (the other may hold anything, e.g. an LU factor). Throws SingularMatrixError
 * for a zero on the diagonal.
 */
export function solveTriangular(
  t: Matrix,
  b: Matrix,
  n: number,
  options: TriangularOptions = {},
): Float64Array {
  const op = 'linalg.dense.solveTriangular';
  checkMatrix(op, t, n, n);
  const k = columnsOf(op, b, n);
  const x = Float64Array.from(b);
  substitute(op, t, x, n, k, options.lower ?? true, options.transpose ?? false);
  return x;
}

/**
 * In-place substitution on x (n×k). The effective matrix is lower when `lower` differs from
 * `transpose` (the transpose of a lower matrix is upper), so that decides the sweep direction; entry
 * (i, j) of the effective matrix is t[i, j], or t[j, i] when transposed.
 */
export function substitute(
  op: string,
  t: Matrix,
  x: Float64Array,
  n: number,
  k: number,
  lower: boolean,
  transpose: boolean,
): void {
  const forward = lower !== transpose;
  const rs = transpose ? 1 : n; // stride between rows of the effective matrix
  const cs = transpose ? n : 1; // stride between its columns
  for (let step = 0; step < n; step++) {
    const i = forward ? step : n - 1 - step;
    const d = t[i * rs + i * cs]!;
    if (d === 0) throw new SingularMatrixError(op, i);
    const from = forward ? 0 : i + 1;
    const to = forward ? i : n;
    for (let j = from; j < to; j++) {
      const tij = t[i * rs + j * cs]!;
      if (tij === 0) continue;
      for (let c = 0; c < k; c++) x[i * k + c]! -= tij * x[j * k + c]!;
    }
    for (let c = 0; c < k; c++) x[i * k + c]! /= d;
  }
}

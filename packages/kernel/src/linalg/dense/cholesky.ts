import { NotPositiveDefiniteError } from '../errors.js';
import { checkMatrix, columnsOf, type Matrix } from './matrix.js';
import { substitute } from './triangular.js';

/**
 * The Cholesky factor of a symmetric positive-definite n×n matrix: the lower-triangular L with a
 * positive diagonal and A = L·Lᵀ (zeros above the diagonal). Only the lower triangle of A is read, as
 * in LAPACK. Throws NotPositiveDefiniteError naming the first pivot that is not positive.
 */
export function cholesky(a: Matrix, n: number): Float64Array {
  checkMatrix('linalg.dense.cholesky', a, n, n);
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    for (let k = 0; k < j; k++) d -= l[j * n + k]! * l[j * n + k]!;
    // `!(d > 0)` also catches NaN, so a corrupt input is reported rather than propagated.
    if (!(d > 0)) throw new NotPositiveDefiniteError('linalg.dense.cholesky', j, d);
    const ljj = Math.sqrt(d);
    l[j * n + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j]!;
      for (let k = 0; k < j; k++) s -= l[i * n + k]! * l[j * n + k]!;
      l[i * n + j] = s / ljj;
    }
  }
  return l;
}

/** Solves A·X = B from A's Cholesky factor L (A = L·Lᵀ); B is n×k. */
export function choleskySolve(l: Matrix, b: Matrix, n: number): Float64Array {
  const op = 'linalg.dense.choleskySolve';
  checkMatrix(op, l, n, n, 'factor');
  const k = columnsOf(op, b, n);
  const x = Float64Array.from(b);
  substitute(op, l, x, n, k, true, false);
  substitute(op, l, x, n, k, true, true);
  return x;
}

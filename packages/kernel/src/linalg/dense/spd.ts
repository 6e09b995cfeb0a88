import { NotPositiveDefiniteError } from '../errors.js';
import { eigh } from './eigh.js';
import { eighGeneralized } from './eigh-generalized.js';
import { checkMatrix, type Matrix, product, scaledGram } from './matrix.js';

/**
 * f(A) = V·diag(f(λ))·Vᵀ for a symmetric positive-definite n×n matrix A = V·diag(λ)·Vᵀ. Only the lower
 * triangle of A is read. Throws NotPositiveDefiniteError when the smallest eigenvalue is not positive
 * (a positive semi-definite matrix is refused too: add εI first if that is what you have).
 */
export function spdFunction(
  a: Matrix,
  n: number,
  f: (lambda: number) => number,
  op = 'linalg.dense.spdFunction',
): Float64Array {
  checkMatrix(op, a, n, n);
  const { values, vectors } = eigh(a, n);
  assertPositive(op, values);
  return scaledGram(vectors, values.map(f), n);
}

/** Throws unless the (ascending) eigenvalues are all positive. */
export function assertPositive(op: string, ascending: ArrayLike<number>, batch?: number): void {
  const smallest = ascending[0];
  if (smallest !== undefined && !(smallest > 0)) {
    throw new NotPositiveDefiniteError(op, 0, smallest, 'eigenvalue', batch);
  }
}

/** The principal matrix logarithm of an SPD matrix (a symmetric matrix). */
export function logmSpd(a: Matrix, n: number): Float64Array {
  return spdFunction(a, n, Math.log, 'linalg.dense.logmSpd');
}

/** The SPD square root A^{1/2} (the unique SPD S with S·S = A). */
export function sqrtmSpd(a: Matrix, n: number): Float64Array {
  return spdFunction(a, n, Math.sqrt, 'linalg.dense.sqrtmSpd');
}

/** A^{-1/2}, the whitening matrix of a covariance. */
export function invsqrtmSpd(a: Matrix, n: number): Float64Array {
  return spdFunction(a, n, (x) => 1 / Math.sqrt(x), 'linalg.dense.invsqrtmSpd');
}

/** A^p for any real p. */
export function powmSpd(a: Matrix, n: number, p: number): Float64Array {
  return spdFunction(a, n, (x) => x ** p, 'linalg.dense.powmSpd');
}

/** The exponential of a symmetric matrix (any symmetric matrix; the result is SPD), the inverse of logmSpd. */
export function expmSym(a: Matrix, n: number): Float64Array {
  checkMatrix('linalg.dense.expmSym', a, n, n);
  const { values, vectors } = eigh(a, n);
  return scaledGram(vectors, values.map(Math.exp), n);
}

/**
 * The affine-invariant Riemannian distance between SPD matrices, δ(A, B) = ‖log(A^{-1/2}·B·A^{-1/2})‖_F
 * = √(Σ log² λᵢ), λᵢ the generalised eigenvalues of B·v = λ·A·v (pyriemann's `distance_riemann`).
 */
export function riemannDistance(a: Matrix, b: Matrix, n: number): number {
  const op = 'linalg.dense.riemannDistance';
  checkMatrix(op, a, n, n, 'matrix A');
  checkMatrix(op, b, n, n, 'matrix B');
  const { values } = eighGeneralized(b, a, n);
  assertPositive(op, values);
  let s = 0;
  for (const l of values) s += Math.log(l) ** 2;
  return Math.sqrt(s);
}

/**
 * The point at fraction t along the affine-invariant geodesic from A (t = 0) to B (t = 1):
 * A^{1/2}·(A^{-1/2}·B·A^{-1/2})^t·A^{1/2}. At t = ½ it is the geometric mean A # B, the Riemannian
 * mean of two matrices (for commuting A and B it equals (A·B)^{1/2}).
 */
export function geodesic(a: Matrix, b: Matrix, n: number, t: number): Float64Array {
  const op = 'linalg.dense.geodesic';
  checkMatrix(op, a, n, n, 'matrix A');
  checkMatrix(op, b, n, n, 'matrix B');
  const { values, vectors } = eigh(a, n);
  assertPositive(op, values);
  const half = scaledGram(vectors, values.map(Math.sqrt), n);
  const invHalf = scaledGram(
    vectors,
    values.map((x) => 1 / Math.sqrt(x)),
    n,
  );
  const full = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) full[i * n + j] = full[j * n + i] = b[i * n + j]!;
  const inner = product(product(invHalf, full, n, n, n), invHalf, n, n, n);
  const powered = spdFunction(inner, n, (x) => x ** t, op);
  const out = product(product(half, powered, n, n, n), half, n, n, n);
  // Symmetrise away rounding so the result can go straight into Cholesky or eigh.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) out[i * n + j] = out[j * n + i] = 0.5 * (out[i * n + j]! + out[j * n + i]!);
  }
  return out;
}

/** The geometric mean A # B of two SPD matrices: the midpoint of their geodesic. */
export function geometricMean(a: Matrix, b: Matrix, n: number): Float64Array {
  return geodesic(a, b, n, 0.5);
}

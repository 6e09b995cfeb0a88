import { cholesky } from './cholesky.js';
import { eigh, fixSigns, type SymmetricEigen } from './eigh.js';
import { checkMatrix, type Matrix } from './matrix.js';
import { substitute } from './triangular.js';

/**
 * The symmetric-definite generalised eigenproblem A·v = λ·B·v for symmetric A and symmetric
 * positive-definite B (both n×n; only their lower triangles are read), as CCA, TRCA and CSP need.
 * Reduces to a standard problem with B = L·Lᵀ: C = L⁻¹·A·L⁻ᵀ, C·w = λ·w, v = L⁻ᵀ·w.
 *
 * Eigenvalues ascend; the eigenvectors (columns) are B-orthonormal, Vᵀ·B·V = I, as in scipy's
 * `eigh(a, b)`, with each column's largest-magnitude entry positive. Throws NotPositiveDefiniteError
 * when B is not positive definite.
 */
export function eighGeneralized(a: Matrix, b: Matrix, n: number): SymmetricEigen {
  const op = 'linalg.dense.eighGeneralized';
  checkMatrix(op, a, n, n, 'matrix A');
  checkMatrix(op, b, n, n, 'matrix B');
  const l = cholesky(b, n);
  // Y = L⁻¹·A (A symmetrised from its lower triangle), then C = L⁻¹·Yᵀ = L⁻¹·A·L⁻ᵀ.
  const y = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) y[i * n + j] = y[j * n + i] = a[i * n + j]!;
  substitute(op, l, y, n, n, true, false);
  const c = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) c[i * n + j] = y[j * n + i]!;
  substitute(op, l, c, n, n, true, false);
  const { values, vectors } = eigh(c, n);
  substitute(op, l, vectors, n, n, true, true);
  fixSigns(vectors, n, n);
  return { values, vectors };
}

import { NeuriteError } from '../../errors.js';
import { checkFinite, checkMatrix, type Matrix } from './matrix.js';

/** Eigenvalues in ascending order and the matching orthonormal eigenvectors as columns. */
export interface SymmetricEigen {
  readonly values: Float64Array;
  /** n×n row-major; column k (entries `vectors[i * n + k]`) is the eigenvector of `values[k]`. */
  readonly vectors: Float64Array;
}

/**
 * Eigendecomposition of a symmetric n×n matrix, A = V·diag(λ)·Vᵀ, by Householder reduction to
 * tridiagonal form followed by the implicit QL algorithm with Wilkinson-type shifts (the EISPACK
 * tred2/tql2 pair). Backward stable: residuals ‖A·v − λ·v‖ are a small multiple of ε·‖A‖.
 *
 * Only the lower triangle of A is read. Eigenvalues are sorted ascending. Each eigenvector's sign is
 * fixed so that its entry of largest magnitude is positive (the first such entry on ties), which makes
 * the result deterministic and, away from ties, continuous in A.
 */
export function eigh(a: Matrix, n: number): SymmetricEigen {
  const op = 'linalg.dense.eigh';
  checkMatrix(op, a, n, n);
  checkFinite(op, a, n);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) v[i * n + j] = v[j * n + i] = a[i * n + j]!;
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  if (n > 0) {
    tridiagonalize(v, d, e, n);
    diagonalize(v, d, e, n, op);
  }
  sortAscending(v, d, n);
  fixSigns(v, n, n);
  return { values: d, vectors: v };
}

/**
 * Householder reduction of the symmetric matrix in `v` to tridiagonal form: on return `d` holds the
 * diagonal, `e[1..n-1]` the subdiagonal, and `v` the accumulated orthogonal transformation.
 */
function tridiagonalize(v: Float64Array, d: Float64Array, e: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) d[j] = v[(n - 1) * n + j]!;
  for (let i = n - 1; i > 0; i--) {
    // Scale the row to avoid under- and overflow in the norm.
    let scale = 0;
    let h = 0;
    for (let k = 0; k < i; k++) scale += Math.abs(d[k]!);
    if (scale === 0) {
      e[i] = d[i - 1]!;
      for (let j = 0; j < i; j++) {
        d[j] = v[(i - 1) * n + j]!;
        v[i * n + j] = 0;
        v[j * n + i] = 0;
      }
    } else {
      // The Householder vector that annihilates row i left of the subdiagonal.
      for (let k = 0; k < i; k++) {
        d[k]! /= scale;
        h += d[k]! * d[k]!;
      }
      let f = d[i - 1]!;
      let g = Math.sqrt(h);
      if (f > 0) g = -g;
      e[i] = scale * g;
      h -= f * g;
      d[i - 1] = f - g;
      for (let j = 0; j < i; j++) e[j] = 0;
      // Apply the similarity transformation to the remaining columns.
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        v[j * n + i] = f;
        g = e[j]! + v[j * n + j]! * f;
        for (let k = j + 1; k <= i - 1; k++) {
          g += v[k * n + j]! * d[k]!;
          e[k]! += v[k * n + j]! * f;
        }
        e[j] = g;
      }
      f = 0;
      for (let j = 0; j < i; j++) {
        e[j]! /= h;
        f += e[j]! * d[j]!;
      }
      const hh = f / (h + h);
      for (let j = 0; j < i; j++) e[j]! -= hh * d[j]!;
      for (let j = 0; j < i; j++) {
        f = d[j]!;
        g = e[j]!;
        for (let k = j; k <= i - 1; k++) v[k * n + j]! -= f * e[k]! + g * d[k]!;
        d[j] = v[(i - 1) * n + j]!;
        v[i * n + j] = 0;
      }
    }
    d[i] = h;
  }
  // Accumulate the transformations.
  for (let i = 0; i < n - 1; i++) {
    v[(n - 1) * n + i] = v[i * n + i]!;
    v[i * n + i] = 1;
    const h = d[i + 1]!;
    if (h !== 0) {
      for (let k = 0; k <= i; k++) d[k] = v[k * n + i + 1]! / h;
      for (let j = 0; j <= i; j++) {
        let g = 0;
        for (let k = 0; k <= i; k++) g += v[k * n + i + 1]! * v[k * n + j]!;
        for (let k = 0; k <= i; k++) v[k * n + j]! -= g * d[k]!;
      }
    }
    for (let k = 0; k <= i; k++) v[k * n + i + 1] = 0;
  }
  for (let j = 0; j < n; j++) {
    d[j] = v[(n - 1) * n + j]!;
    v[(n - 1) * n + j] = 0;
  }
  v[(n - 1) * n + n - 1] = 1;
  e[0] = 0;
}

/** Implicit QL iterations on the tridiagonal (d, e), rotating the columns of v along. */
function diagonalize(v: Float64Array, d: Float64Array, e: Float64Array, n: number, op: string): void {
  for (let i = 1; i < n; i++) e[i - 1] = e[i]!;
  e[n - 1] = 0;
  let f = 0;
  let tst1 = 0;
  const eps = 2 ** -52;
  for (let l = 0; l < n; l++) {
    // Find a negligible subdiagonal element; e[n-1] = 0 bounds the search.
    tst1 = Math.max(tst1, Math.abs(d[l]!) + Math.abs(e[l]!));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]!) > eps * tst1) m++;
    if (m > l) {
      let iterations = 0;
      do {
        // QL converges cubically; 60 sweeps per eigenvalue means something is badly wrong.
        if (++iterations > 60)
          throw new NeuriteError(`${op}: the QL iteration did not converge for eigenvalue ${l}`);
        // Implicit shift from the leading 2×2 block.
        let g = d[l]!;
        let p = (d[l + 1]! - g) / (2 * e[l]!);
        let r = Math.hypot(p, 1);
        if (p < 0) r = -r;
        d[l] = e[l]! / (p + r);
        d[l + 1] = e[l]! * (p + r);
        const dl1 = d[l + 1]!;
        let h = g - d[l]!;
        for (let i = l + 2; i < n; i++) d[i]! -= h;
        f += h;
        // The QL sweep, as a chain of plane rotations.
        p = d[m]!;
        let c = 1;
        let c2 = c;
        let c3 = c;
        const el1 = e[l + 1]!;
        let s = 0;
        let s2 = 0;
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i]!;
          h = c * p;
          r = Math.hypot(p, e[i]!);
          e[i + 1] = s * r;
          s = e[i]! / r;
          c = p / r;
          p = c * d[i]! - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]!);
          for (let k = 0; k < n; k++) {
            const row = k * n;
            h = v[row + i + 1]!;
            v[row + i + 1] = s * v[row + i]! + c * h;
            v[row + i] = c * v[row + i]! - s * h;
          }
        }
        p = (-s * s2 * c3 * el1 * e[l]!) / dl1;
        e[l] = s * p;
        d[l] = c * p;
      } while (Math.abs(e[l]!) > eps * tst1);
    }
    d[l] = d[l]! + f;
    e[l] = 0;
  }
}

/** Sorts eigenvalues ascending, permuting the eigenvector columns to match (selection sort, n swaps). */
export function sortAscending(v: Float64Array, d: Float64Array, n: number): void {
  for (let i = 0; i < n - 1; i++) {
    let k = i;
    let p = d[i]!;
    for (let j = i + 1; j < n; j++) {
      if (d[j]! < p) {
        k = j;
        p = d[j]!;
      }
    }
    if (k === i) continue;
    d[k] = d[i]!;
    d[i] = p;
    for (let j = 0; j < n; j++) {
      const t = v[j * n + i]!;
      v[j * n + i] = v[j * n + k]!;
      v[j * n + k] = t;
    }
  }
}

/** Flips each column of a rows×cols matrix so that its entry of largest magnitude is positive. */
export function fixSigns(v: Float64Array, rows: number, cols: number): void {
  for (let k = 0; k < cols; k++) {
    let best = 0;
    let at = 0;
    for (let i = 0; i < rows; i++) {
      const a = Math.abs(v[i * cols + k]!);
      if (a > best) {
        best = a;
        at = i;
      }
    }
    if (v[at * cols + k]! < 0) for (let i = 0; i < rows; i++) v[i * cols + k] = -v[i * cols + k]!;
  }
}

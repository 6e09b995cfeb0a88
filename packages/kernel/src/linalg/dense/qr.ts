import { checkMatrix, type Matrix } from './matrix.js';

/** A thin QR factorisation A = Q·R with k = min(m, n). */
export interface Qr {
  /** m×k with orthonormal columns. */
  readonly q: Float64Array;
  /** k×n upper triangular (trapezoidal when n > m) with a non-negative diagonal. */
  readonly r: Float64Array;
}

/**
 * Thin QR of an m×n matrix by Householder reflections. The signs are normalised so that R's diagonal
 * is non-negative, which makes the factorisation unique for a full-rank A.
 */
export function qr(a: Matrix, m: number, n: number): Qr {
  checkMatrix('linalg.dense.qr', a, m, n);
  const k = Math.min(m, n);
  const r = Float64Array.from(a);
  const reflectors: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const len = m - j;
    const v = new Float64Array(len);
    let norm = 0;
    for (let i = 0; i < len; i++) {
      v[i] = r[(j + i) * n + j]!;
      norm += v[i]! ** 2;
    }
    norm = Math.sqrt(norm);
    if (norm === 0) {
      reflectors.push(v); // all zero: no reflection
      continue;
    }
    // Reflect x onto −sign(x₀)·‖x‖·e₁, the choice that avoids cancellation in v = x − α·e₁.
    const alpha = v[0]! >= 0 ? -norm : norm;
    v[0] = v[0]! - alpha;
    let vnorm = 0;
    for (let i = 0; i < len; i++) vnorm += v[i]! ** 2;
    vnorm = Math.sqrt(vnorm);
    for (let i = 0; i < len; i++) v[i]! /= vnorm;
    reflectors.push(v);
    reflect(r, v, j, n, j);
  }
  // Q = H₀·H₁·…·H_{k−1} applied to the first k columns of the identity.
  const q = new Float64Array(m * k);
  for (let i = 0; i < k; i++) q[i * k + i] = 1;
  for (let j = k - 1; j >= 0; j--) reflect(q, reflectors[j]!, j, k, 0);
  const rThin = new Float64Array(k * n);
  for (let i = 0; i < k; i++) {
    const flip = r[i * n + i]! < 0;
    for (let c = i; c < n; c++) rThin[i * n + c] = flip ? -r[i * n + c]! : r[i * n + c]!;
    if (flip) for (let row = 0; row < m; row++) q[row * k + i] = -q[row * k + i]!;
  }
  return { q, r: rThin };
}

/** Applies I − 2·v·vᵀ to rows start.. of x (row length `cols`), columns from `firstCol` on. */
function reflect(x: Float64Array, v: Float64Array, start: number, cols: number, firstCol: number): void {
  for (let c = firstCol; c < cols; c++) {
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += v[i]! * x[(start + i) * cols + c]!;
    if (dot === 0) continue;
    dot *= 2;
    for (let i = 0; i < v.length; i++) x[(start + i) * cols + c]! -= dot * v[i]!;
  }
}

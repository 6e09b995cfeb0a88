import { NeuriteError } from '../../errors.js';
import { checkFinite, checkMatrix, type Matrix } from './matrix.js';

/** A thin singular value decomposition A = U·diag(s)·Vᵀ with k = min(m, n). */
export interface Svd {
  /** m×k, orthonormal columns. */
  readonly u: Float64Array;
  /** k singular values, descending, non-negative. */
  readonly s: Float64Array;
  /** k×n, orthonormal rows. */
  readonly vt: Float64Array;
}

/**
 * Thin SVD of an m×n matrix by one-sided Jacobi rotations (Hestenes): columns are rotated pairwise
 * until mutually orthogonal. It needs no bidiagonalisation and computes small singular values to high
 * relative accuracy, which squaring into an eigenproblem of AᵀA would lose. Meant for the small
 * matrices decoders use (cost grows as n²·m per sweep, with a handful of sweeps).
 *
 * Singular values descend. Signs are fixed so that each column of U has its largest-magnitude entry
 * positive (V follows). Columns of U for exactly zero singular values are completed to an orthonormal
 * set.
 */
export function svd(a: Matrix, m: number, n: number): Svd {
  const op = 'linalg.dense.svd';
  checkMatrix(op, a, m, n);
  checkFinite(op, a, n);
  if (m >= n) return tallSvd(a, m, n, op);
  // A = (Aᵀ)ᵀ = (U'·S·V'ᵀ)ᵀ = V'·S·U'ᵀ.
  const at = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) at[j * m + i] = a[i * n + j]!;
  const r = tallSvd(at, n, m, op);
  const k = m;
  const u = new Float64Array(m * k);
  for (let i = 0; i < k; i++) for (let j = 0; j < m; j++) u[j * k + i] = r.vt[i * m + j]!;
  const vt = new Float64Array(k * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) vt[j * n + i] = r.u[i * k + j]!;
  fixPairSigns(u, vt, m, k, n);
  return { u, s: r.s, vt };
}

function tallSvd(a: Matrix, m: number, n: number, op: string): Svd {
  // Work on columns stored as rows: w (n×m) holds the columns of A·V, z (n×n) holds Vᵀ.
  const w = new Float64Array(n * m);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) w[j * m + i] = a[i * n + j]!;
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) z[i * n + i] = 1;
  const tol = 4 * 2 ** -52;
  for (let sweep = 0; ; sweep++) {
    if (sweep > 80) throw new NeuriteError(`${op}: the Jacobi sweeps did not converge`);
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = w[p * m + i]!;
          const y = w[q * m + i]!;
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= tol * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        // The rotation that zeroes the (p, q) entry of the 2×2 Gram matrix.
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        rotateRows(w, p, q, m, c, s);
        rotateRows(z, p, q, n, c, s);
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let i = 0; i < m; i++) s += w[j * m + i]! ** 2;
    return Math.sqrt(s);
  });
  const order = norms.map((_, j) => j).sort((x, y) => norms[y]! - norms[x]! || x - y);
  const u = new Float64Array(m * n);
  const s = new Float64Array(n);
  const vt = new Float64Array(n * n);
  const zero: number[] = [];
  order.forEach((j, col) => {
    const sj = norms[j]!;
    s[col] = sj;
    if (sj > 0) for (let i = 0; i < m; i++) u[i * n + col] = w[j * m + i]! / sj;
    else zero.push(col);
    for (let i = 0; i < n; i++) vt[col * n + i] = z[j * n + i]!;
  });
  completeColumns(u, m, n, zero);
  fixPairSigns(u, vt, m, n, n);
  return { u, s, vt };
}

function rotateRows(x: Float64Array, p: number, q: number, len: number, c: number, s: number): void {
  for (let i = 0; i < len; i++) {
    const xp = x[p * len + i]!;
    const xq = x[q * len + i]!;
    x[p * len + i] = c * xp - s * xq;
    x[q * len + i] = s * xp + c * xq;
  }
}

/** Fills the listed (zero) columns of the m×k matrix u with unit vectors orthogonal to all others. */
function completeColumns(u: Float64Array, m: number, k: number, columns: readonly number[]): void {
  let candidate = 0;
  for (const col of columns) {
    for (; candidate < m; candidate++) {
      const v = new Float64Array(m);
      v[candidate] = 1;
      // Two passes of Gram-Schmidt against every column (the zero ones contribute nothing).
      for (let pass = 0; pass < 2; pass++) {
        for (let j = 0; j < k; j++) {
          let dot = 0;
          for (let i = 0; i < m; i++) dot += u[i * k + j]! * v[i]!;
          for (let i = 0; i < m; i++) v[i]! -= dot * u[i * k + j]!;
        }
      }
      let norm = 0;
      for (let i = 0; i < m; i++) norm += v[i]! ** 2;
      norm = Math.sqrt(norm);
      if (norm > 0.5) {
        for (let i = 0; i < m; i++) u[i * k + col] = v[i]! / norm;
        candidate++;
        break;
      }
    }
  }
}

/** Flips column j of U (m×k) and row j of Vᵀ (k×n) together so that U's column has a positive peak. */
function fixPairSigns(u: Float64Array, vt: Float64Array, m: number, k: number, n: number): void {
  for (let j = 0; j < k; j++) {
    let best = 0;
    let at = 0;
    for (let i = 0; i < m; i++) {
      const x = Math.abs(u[i * k + j]!);
      if (x > best) {
        best = x;
        at = i;
      }
    }
    if (u[at * k + j]! >= 0) continue;
    for (let i = 0; i < m; i++) u[i * k + j] = -u[i * k + j]!;
    for (let i = 0; i < n; i++) vt[j * n + i] = -vt[j * n + i]!;
  }
}

import { SingularMatrixError } from '../errors.js';
import { checkMatrix, columnsOf, type Matrix } from './matrix.js';

/**
 * An LU factorisation with partial pivoting, P·A = L·U. `lu` holds L below the diagonal (unit
 * diagonal implied) and U on and above it; row i of P·A is row `pivots[i]` of A.
 */
export interface LuFactors {
  readonly n: number;
  readonly lu: Float64Array;
  readonly pivots: Int32Array;
  /** The sign of the permutation (+1 or −1), for the determinant. */
  readonly sign: 1 | -1;
  /** The first column whose pivot is exactly zero, or −1: the matrix is singular when ≥ 0. */
  readonly zeroPivot: number;
}

/** Factorises an n×n matrix. Never throws for a singular matrix (its determinant is simply 0). */
export function lu(a: Matrix, n: number): LuFactors {
  checkMatrix('linalg.dense.lu', a, n, n);
  const f = Float64Array.from(a);
  const pivots = new Int32Array(n);
  for (let i = 0; i < n; i++) pivots[i] = i;
  let sign: 1 | -1 = 1;
  let zeroPivot = -1;
  for (let k = 0; k < n; k++) {
    // Partial pivoting: the largest magnitude in column k at or below the diagonal.
    let p = k;
    let best = Math.abs(f[k * n + k]!);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(f[i * n + k]!);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = f[k * n + j]!;
        f[k * n + j] = f[p * n + j]!;
        f[p * n + j] = t;
      }
      const t = pivots[k]!;
      pivots[k] = pivots[p]!;
      pivots[p] = t;
      sign = -sign as 1 | -1;
    }
    const pivot = f[k * n + k]!;
    if (pivot === 0) {
      if (zeroPivot < 0) zeroPivot = k;
      continue;
    }
    for (let i = k + 1; i < n; i++) {
      const l = (f[i * n + k]! /= pivot);
      if (l === 0) continue;
      for (let j = k + 1; j < n; j++) f[i * n + j]! -= l * f[k * n + j]!;
    }
  }
  return { n, lu: f, pivots, sign, zeroPivot };
}

/**
 * Solves A·X = B (or Aᵀ·X = B with `transpose`) from A's LU factors; B is n×k row-major.
 * Throws SingularMatrixError when A has a zero pivot.
 */
export function luSolve(factors: LuFactors, b: Matrix, options: { transpose?: boolean } = {}): Float64Array {
  const { n, lu: f, pivots, zeroPivot } = factors;
  const k = columnsOf('linalg.dense.luSolve', b, n);
  if (zeroPivot >= 0) throw new SingularMatrixError('linalg.dense.luSolve', zeroPivot);
  const x = new Float64Array(n * k);
  if (!options.transpose) {
    // P·A = L·U, so A·X = B ⇔ L·U·X = P·B.
    for (let i = 0; i < n; i++) {
      const src = pivots[i]! * k;
      for (let c = 0; c < k; c++) x[i * k + c] = b[src + c]!;
    }
    forwardUnitLower(f, x, n, k);
    backUpper(f, x, n, k);
    return x;
  }
  // Aᵀ = Uᵀ·Lᵀ·P, so Aᵀ·X = B ⇔ Uᵀ·(Lᵀ·(P·X)) = B.
  for (let i = 0; i < n * k; i++) x[i] = b[i]!;
  for (let i = 0; i < n; i++) {
    const d = f[i * n + i]!;
    for (let c = 0; c < k; c++) {
      let s = x[i * k + c]!;
      for (let j = 0; j < i; j++) s -= f[j * n + i]! * x[j * k + c]!;
      x[i * k + c] = s / d;
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let c = 0; c < k; c++) {
      let s = x[i * k + c]!;
      for (let j = i + 1; j < n; j++) s -= f[j * n + i]! * x[j * k + c]!;
      x[i * k + c] = s;
    }
  }
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    const dst = pivots[i]! * k;
    for (let c = 0; c < k; c++) out[dst + c] = x[i * k + c]!;
  }
  return out;
}

function forwardUnitLower(f: Float64Array, x: Float64Array, n: number, k: number): void {
  for (let i = 1; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const l = f[i * n + j]!;
      if (l === 0) continue;
      for (let c = 0; c < k; c++) x[i * k + c]! -= l * x[j * k + c]!;
    }
  }
}

function backUpper(f: Float64Array, x: Float64Array, n: number, k: number): void {
  for (let i = n - 1; i >= 0; i--) {
    for (let j = i + 1; j < n; j++) {
      const u = f[i * n + j]!;
      if (u === 0) continue;
      for (let c = 0; c < k; c++) x[i * k + c]! -= u * x[j * k + c]!;
    }
    const d = f[i * n + i]!;
    for (let c = 0; c < k; c++) x[i * k + c]! /= d;
  }
}

/**
 * Solves A·X = B for an n×n A and an n×k B (k = B.length / n), by LU with partial pivoting.
 * `transpose` solves Aᵀ·X = B instead. Throws SingularMatrixError for a singular A.
 */
export function solve(a: Matrix, b: Matrix, n: number, options: { transpose?: boolean } = {}): Float64Array {
  checkMatrix('linalg.dense.solve', a, n, n);
  columnsOf('linalg.dense.solve', b, n);
  const factors = lu(a, n);
  if (factors.zeroPivot >= 0) throw new SingularMatrixError('linalg.dense.solve', factors.zeroPivot);
  return luSolve(factors, b, options);
}

/** A⁻¹ of an n×n matrix. Throws SingularMatrixError for a singular A. */
export function inverse(a: Matrix, n: number): Float64Array {
  checkMatrix('linalg.dense.inverse', a, n, n);
  const factors = lu(a, n);
  if (factors.zeroPivot >= 0) throw new SingularMatrixError('linalg.dense.inverse', factors.zeroPivot);
  const eye = new Float64Array(n * n);
  for (let i = 0; i < n; i++) eye[i * n + i] = 1;
  return luSolve(factors, eye);
}

/** det(A) of an n×n matrix (0 for a singular one). Overflows for large n: prefer `slogdet`. */
export function det(a: Matrix, n: number): number {
  checkMatrix('linalg.dense.det', a, n, n);
  const factors = lu(a, n);
  let d: number = factors.sign;
  for (let i = 0; i < n; i++) d *= factors.lu[i * n + i]!;
  return d === 0 ? 0 : d; // no −0 for a singular matrix
}

/**
 * The sign and natural log of |det(A)| (as numpy's `slogdet`): sign 0 and logAbs −∞ for a singular
 * matrix. Stays finite where det itself would overflow or underflow.
 */
export function slogdet(a: Matrix, n: number): { sign: -1 | 0 | 1; logAbs: number } {
  checkMatrix('linalg.dense.slogdet', a, n, n);
  const factors = lu(a, n);
  if (factors.zeroPivot >= 0) return { sign: 0, logAbs: Number.NEGATIVE_INFINITY };
  let sign: number = factors.sign;
  let logAbs = 0;
  for (let i = 0; i < n; i++) {
    const d = factors.lu[i * n + i]!;
    if (d < 0) sign = -sign;
    logAbs += Math.log(Math.abs(d));
  }
  return { sign: sign as -1 | 1, logAbs };
}

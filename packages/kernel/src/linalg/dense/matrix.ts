import { NeuriteError, ShapeError } from '../../errors.js';

/**
 * Host-level matrices are plain arrays of numbers in row-major order: entry (i, j) of an m×n matrix is
 * `a[i * n + j]`. Inputs may be any `ArrayLike<number>` (a `Float64Array`, a `Float32Array` view, a
 * number[]); results are fresh `Float64Array`s and inputs are never modified.
 */
export type Matrix = ArrayLike<number>;

/** Throws a ShapeError unless `a` holds exactly rows×cols values and the sizes are valid. */
export function checkMatrix(op: string, a: Matrix, rows: number, cols: number, what = 'matrix'): void {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new ShapeError(op, `invalid ${what} size ${rows}×${cols}`);
  }
  if (a.length !== rows * cols) {
    throw new ShapeError(
      op,
      `the ${what} should hold ${rows}×${cols} = ${rows * cols} values, found ${a.length}`,
    );
  }
}

/** The number of right-hand-side columns of `b` (n×k), checking that it divides evenly. */
export function columnsOf(op: string, b: Matrix, n: number): number {
  const k = n === 0 ? 0 : b.length / n;
  if (!Number.isInteger(k)) {
    throw new ShapeError(op, `the right-hand side should hold n×k values for n = ${n}, found ${b.length}`);
  }
  return k;
}

/** Throws a NeuriteError naming the first non-finite entry: iterative methods must never loop on NaN. */
export function checkFinite(op: string, a: Matrix, cols: number): void {
  for (let i = 0; i < a.length; i++) {
    if (!Number.isFinite(a[i]!)) {
      const row = Math.floor(i / Math.max(cols, 1));
      throw new NeuriteError(`${op}: entry (${row}, ${i - row * cols}) is ${a[i]}, expected a finite number`);
    }
  }
}

/** The n×n identity. */
export function identity(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

/** The n×m transpose of an m×n matrix. */
export function transpose(a: Matrix, rows: number, cols: number): Float64Array {
  checkMatrix('linalg.dense.transpose', a, rows, cols);
  const out = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j]!;
  return out;
}

/** The m×n product of an m×k matrix `a` and a k×n matrix `b`. */
export function matmul(a: Matrix, b: Matrix, m: number, k: number, n: number): Float64Array {
  checkMatrix('linalg.dense.matmul', a, m, k, 'left operand');
  checkMatrix('linalg.dense.matmul', b, k, n, 'right operand');
  return product(a, b, m, k, n);
}

/** `matmul` without the checks, for callers that already know the sizes (i-k-j order, row-major). */
export function product(a: Matrix, b: Matrix, m: number, k: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const o = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      if (aip === 0) continue;
      const r = p * n;
      for (let j = 0; j < n; j++) out[o + j]! += aip * b[r + j]!;
    }
  }
  return out;
}

/** ½(A + Aᵀ) of an n×n matrix: the symmetric part, which the symmetric routines work on. */
export function symmetricPart(a: Matrix, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    out[i * n + i] = a[i * n + i]!;
    for (let j = 0; j < i; j++) out[i * n + j] = out[j * n + i] = 0.5 * (a[i * n + j]! + a[j * n + i]!);
  }
  return out;
}

/** V diag(d) Vᵀ for an n×n V and n values d: rebuilds a symmetric matrix from an eigendecomposition. */
export function scaledGram(v: Matrix, d: ArrayLike<number>, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += v[i * n + k]! * d[k]! * v[j * n + k]!;
      out[i * n + j] = out[j * n + i] = s;
    }
  }
  return out;
}

/** The 1-norm (largest absolute column sum) of an n×n matrix. */
export function norm1(a: Matrix, n: number): number {
  let best = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += Math.abs(a[i * n + j]!);
    if (s > best || Number.isNaN(s)) best = s;
  }
  return best;
}

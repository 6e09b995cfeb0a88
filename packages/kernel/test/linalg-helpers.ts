import type { Rng } from '@neurite/kernel';
import { expect } from 'vitest';

/** Largest absolute difference between two equally long arrays. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Asserts |a − b| ≤ tol elementwise, reporting the worst entry. */
export function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol: number): void {
  const d = maxAbsDiff(a, b);
  expect(d, `max abs difference ${d} exceeds ${tol}`).toBeLessThanOrEqual(tol);
}

/** Row-major product of an m×k and a k×n matrix (a plain reference, independent of the code under test). */
export function mul(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      out[i * n + j] = s;
    }
  return out;
}

export function transposed(a: ArrayLike<number>, m: number, n: number): Float64Array {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) out[j * m + i] = a[i * n + j]!;
  return out;
}

export function eye(n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = 1;
  return out;
}

export function diag(values: readonly number[]): Float64Array {
  const n = values.length;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) out[i * n + i] = values[i]!;
  return out;
}

/** Standard normal entries from a seeded stream. */
export function randomMatrix(rng: Rng, m: number, n: number): Float64Array {
  return Float64Array.from({ length: m * n }, () => rng.normal());
}

/** A random symmetric n×n matrix. */
export function randomSymmetric(rng: Rng, n: number): Float64Array {
  const a = randomMatrix(rng, n, n);
  const s = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) s[i * n + j] = 0.5 * (a[i * n + j]! + a[j * n + i]!);
  return s;
}

/** A random well-conditioned SPD matrix M·Mᵀ + n·I. */
export function randomSpd(rng: Rng, n: number): Float64Array {
  const m = randomMatrix(rng, n, n);
  const s = mul(m, transposed(m, n, n), n, n, n);
  for (let i = 0; i < n; i++) s[i * n + i]! += n;
  return s;
}

/** The LMU's continuous-time (A, B) for order d and window θ (methods.md §3). */
export function lmuMatrices(d: number, theta: number): { a: Float64Array; b: Float64Array } {
  const a = new Float64Array(d * d);
  const b = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const r = (2 * i + 1) / theta;
    for (let j = 0; j < d; j++) a[i * d + j] = r * (i < j ? -1 : (-1) ** (i - j + 1));
    b[i] = r * (-1) ** i;
  }
  return { a, b };
}

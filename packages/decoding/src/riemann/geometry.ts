import { linalg } from '@neurite/kernel';

const { dense } = linalg;

/** Affine-invariant Riemannian distance δ(A, B) = √Σ log² λ(A⁻¹B). */
export function riemannDistance(a: Float64Array, b: Float64Array, n: number): number {
  return dense.riemannDistance(a, b, n);
}

function symmetrise(a: Float64Array, n: number): Float64Array {
  for (let i = 0; i < n; i++)
    for (let j = 0; j < i; j++) a[i * n + j] = a[j * n + i] = 0.5 * (a[i * n + j]! + a[j * n + i]!);
  return a;
}

/** P^{−1/2} C P^{−1/2} given P^{−1/2}. */
function whiten(c: Float64Array, invHalf: Float64Array, n: number): Float64Array {
  return symmetrise(dense.matmul(dense.matmul(invHalf, c, n, n, n), invHalf, n, n, n), n);
}

/**
 * The Riemannian (Karcher) mean of SPD matrices: the fixed point of
 * M ← M^{1/2}·exp(mean_i log(M^{−1/2} C_i M^{−1/2}))·M^{1/2}, from the arithmetic mean, until the
 * tangent step's norm falls below `tolerance` (pyriemann's `mean_riemann`).
 */
export function riemannMean(
  mats: readonly Float64Array[],
  n: number,
  options: { tolerance?: number; maxIterations?: number } = {},
): Float64Array {
  let m: Float64Array = new Float64Array(n * n);
  for (const c of mats) for (let i = 0; i < m.length; i++) m[i] = m[i]! + c[i]! / mats.length;
  const tolerance = options.tolerance ?? 1e-9;
  for (let iter = 0; iter < (options.maxIterations ?? 100); iter++) {
    const half = dense.sqrtmSpd(m, n);
    const invHalf = dense.invsqrtmSpd(m, n);
    const step = new Float64Array(n * n);
    for (const c of mats) {
      const log = dense.logmSpd(whiten(c, invHalf, n), n);
      for (let i = 0; i < step.length; i++) step[i] = step[i]! + log[i]! / mats.length;
    }
    m = symmetrise(
      dense.matmul(dense.matmul(half, dense.expmSym(symmetrise(step, n), n), n, n, n), half, n, n, n),
      n,
    );
    let norm = 0;
    for (const v of step) norm += v * v;
    if (Math.sqrt(norm) < tolerance) break;
  }
  return m;
}

/**
 * Tangent-space vector of C at reference P: the upper triangle of log(P^{−1/2} C P^{−1/2}), off-diagonal
 * entries × √2 so the Euclidean norm of the vector is the Riemannian distance (pyriemann's TangentSpace).
 */
export function tangentVector(c: Float64Array, invHalfRef: Float64Array, n: number): Float64Array {
  const log = dense.logmSpd(whiten(c, invHalfRef, n), n);
  const out = new Float64Array((n * (n + 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) out[k++] = i === j ? log[i * n + j]! : Math.SQRT2 * log[i * n + j]!;
  }
  return out;
}

import { linalg, NotPositiveDefiniteError, Rng, ShapeError, SingularMatrixError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import {
  diag,
  expectClose,
  eye,
  lmuMatrices,
  maxAbsDiff,
  mul,
  randomMatrix,
  randomSpd,
  randomSymmetric,
  transposed,
} from './linalg-helpers.js';

const { dense } = linalg;

describe('LU, solve, inverse, determinants', () => {
  it('solves a known system and its transpose', () => {
    const a = [2, 1, 1, 1, 3, 2, 1, 0, 0];
    // x = [1, 2, 3] → A·x = [7, 13, 1]; Aᵀ·y for y = [1, 1, 1] = [4, 4, 3].
    expectClose(dense.solve(a, [7, 13, 1], 3), [1, 2, 3], 1e-14);
    expectClose(dense.solve(a, [4, 4, 3], 3, { transpose: true }), [1, 1, 1], 1e-14);
  });

  it('solves several right-hand sides and inverts, needing row exchanges', () => {
    const rng = new Rng(1);
    const n = 12;
    const a = randomMatrix(rng, n, n);
    a[0] = 0; // a zero leading pivot forces partial pivoting
    const x = randomMatrix(rng, n, 3);
    expectClose(dense.solve(a, mul(a, x, n, n, 3), n), x, 1e-11);
    const inv = dense.inverse(a, n);
    expectClose(mul(a, inv, n, n, n), eye(n), 1e-12);
    expectClose(mul(inv, a, n, n, n), eye(n), 1e-12);
  });

  it('computes determinants, and slogdet beyond the range of doubles', () => {
    expect(dense.det([1, 2, 3, 4], 2)).toBeCloseTo(-2, 14);
    expect(dense.det([0, 1, 1, 0], 2)).toBe(-1);
    expect(dense.det([1, 2, 2, 4], 2)).toBe(0);
    // det of the 3×3 Vandermonde matrix on (1, 2, 3) is (2−1)(3−1)(3−2) = 2.
    expect(dense.det([1, 1, 1, 1, 2, 4, 1, 3, 9], 3)).toBeCloseTo(2, 13);
    const n = 400;
    const big = eye(n).map((v) => v * 10);
    big[1] = 3; // upper-triangular entry: the determinant stays 10^400
    big[n] = 0;
    expect(dense.det(big, n)).toBe(Number.POSITIVE_INFINITY);
    const s = dense.slogdet(big, n);
    expect(s.sign).toBe(1);
    expect(s.logAbs).toBeCloseTo(n * Math.LN10, 9);
    expect(dense.slogdet([-2, 0, 0, 3], 2)).toEqual({ sign: -1, logAbs: Math.log(6) });
    expect(dense.slogdet([1, 2, 2, 4], 2)).toEqual({ sign: 0, logAbs: Number.NEGATIVE_INFINITY });
  });

  it('reports a singular matrix with the pivot, and wrong sizes as ShapeError', () => {
    expect(() => dense.solve([1, 2, 2, 4], [1, 1], 2)).toThrow(SingularMatrixError);
    expect(() => dense.inverse([1, 2, 3, 2, 4, 6, 1, 0, 1], 3)).toThrow(/singular \(zero pivot at row 2\)/);
    expect(() => dense.solve([1, 2, 3], [1, 1], 2)).toThrow(ShapeError);
    expect(() => dense.solve([1, 0, 0, 1], [1, 1, 1], 2)).toThrow(ShapeError);
    expect(() => dense.cholesky(new Float64Array(5), 2)).toThrow(/should hold 2×2 = 4 values, found 5/);
  });

  it('solves triangular systems reading only the named triangle', () => {
    const rng = new Rng(2);
    const n = 6;
    const full = randomMatrix(rng, n, n);
    for (let i = 0; i < n; i++) full[i * n + i] = 3 + i;
    const lower = full.map((v, idx) => (Math.floor(idx / n) >= idx % n ? v : 0));
    const upper = full.map((v, idx) => (Math.floor(idx / n) <= idx % n ? v : 0));
    const b = randomMatrix(rng, n, 2);
    expectClose(mul(lower, dense.solveTriangular(full, b, n), n, n, 2), b, 1e-13);
    expectClose(mul(upper, dense.solveTriangular(full, b, n, { lower: false }), n, n, 2), b, 1e-13);
    const lt = transposed(lower, n, n);
    expectClose(mul(lt, dense.solveTriangular(full, b, n, { transpose: true }), n, n, 2), b, 1e-13);
    expect(() => dense.solveTriangular([1, 0, 5, 0], [1, 1], 2)).toThrow(SingularMatrixError);
  });
});

describe('Cholesky', () => {
  it('reconstructs the ill-conditioned Hilbert matrix', () => {
    const n = 8;
    const h = Float64Array.from({ length: n * n }, (_, k) => 1 / (Math.floor(k / n) + (k % n) + 1));
    const l = dense.cholesky(h, n);
    for (let i = 0; i < n; i++) {
      expect(l[i * n + i]).toBeGreaterThan(0);
      for (let j = i + 1; j < n; j++) expect(l[i * n + j]).toBe(0);
    }
    // Backward stable: L·Lᵀ matches H to rounding, although cond(H₈) ≈ 1.5e10.
    expectClose(mul(l, transposed(l, n, n), n, n, n), h, 1e-15);
    // L₀₀ = 1 and L₁₀ = 1/2, L₁₁ = √(1/3 − 1/4) = 1/√12 in closed form.
    expect(l[0]).toBe(1);
    expect(l[n]).toBeCloseTo(0.5, 15);
    expect(l[n + 1]).toBeCloseTo(1 / Math.sqrt(12), 15);
  });

  it('solves through the factor', () => {
    const rng = new Rng(3);
    const n = 10;
    const a = randomSpd(rng, n);
    const x = randomMatrix(rng, n, 2);
    expectClose(dense.choleskySolve(dense.cholesky(a, n), mul(a, x, n, n, 2), n), x, 1e-12);
  });

  it('names the failing pivot of a matrix that is not positive definite', () => {
    let caught: unknown;
    try {
      dense.cholesky([1, 2, 2, 1], 2);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NotPositiveDefiniteError);
    const err = caught as NotPositiveDefiniteError;
    expect(err.pivot).toBe(1);
    expect(err.value).toBe(-3);
    expect(err.message).toMatch(/not positive definite \(pivot 1 is -3, expected > 0\)/);
    expect(() => dense.cholesky([1, 0, 0, Number.NaN], 2)).toThrow(NotPositiveDefiniteError);
  });
});

describe('symmetric eigendecomposition', () => {
  it('finds the closed-form spectrum of tridiagonal Toeplitz matrices', () => {
    for (const n of [1, 2, 10, 60, 200]) {
      const a = 2;
      const b = -1.5;
      const t = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        t[i * n + i] = a;
        if (i + 1 < n) t[i * n + i + 1] = t[(i + 1) * n + i] = b;
      }
      const { values, vectors } = dense.eigh(t, n);
      // λ_k = a + 2b·cos(kπ/(n+1)), k = 1..n; ascending for b < 0.
      const expected = Array.from(
        { length: n },
        (_, i) => a + 2 * b * Math.cos(((i + 1) * Math.PI) / (n + 1)),
      );
      expectClose(values, expected, 1e-13 * n);
      // Eigenvector k ∝ sin(j·kπ/(n+1)), with the sign convention (largest entry positive).
      const k = 1;
      const v = Array.from({ length: n }, (_, j) => Math.sin(((j + 1) * k * Math.PI) / (n + 1)));
      const norm = Math.hypot(...v);
      expectClose(
        Array.from({ length: n }, (_, j) => vectors[j * n + k - 1]!),
        v.map((x) => x / norm),
        1e-12,
      );
    }
  });

  it('is accurate to ~1e-12 on a random 200×200 matrix', () => {
    const rng = new Rng(4);
    const n = 200;
    const a = randomSymmetric(rng, n);
    const { values, vectors } = dense.eigh(a, n);
    for (let i = 1; i < n; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1]!);
    const av = mul(a, vectors, n, n, n);
    const vl = vectors.map((x, idx) => x * values[idx % n]!);
    const scale = Math.max(Math.abs(values[0]!), Math.abs(values[n - 1]!));
    expect(maxAbsDiff(av, vl) / scale).toBeLessThan(1e-12);
    expect(maxAbsDiff(mul(transposed(vectors, n, n), vectors, n, n, n), eye(n))).toBeLessThan(1e-12);
    // Trace and Frobenius norm are invariants of the spectrum.
    let trace = 0;
    let frob = 0;
    for (let i = 0; i < n; i++) trace += a[i * n + i]!;
    for (const x of a) frob += x * x;
    expect(values.reduce((s, x) => s + x, 0)).toBeCloseTo(trace, 9);
    expect(values.reduce((s, x) => s + x * x, 0)).toBeCloseTo(frob, 8);
  });

  it('handles repeated eigenvalues and zero matrices, and signs deterministically', () => {
    const { values, vectors } = dense.eigh(diag([3, 1, 3, 2]), 4);
    expect(Array.from(values)).toEqual([1, 2, 3, 3]);
    expect(maxAbsDiff(mul(transposed(vectors, 4, 4), vectors, 4, 4, 4), eye(4))).toBeLessThan(1e-15);
    const zero = dense.eigh(new Float64Array(9), 3);
    expect(Array.from(zero.values)).toEqual([0, 0, 0]);
    const e = dense.eigh([2, -1, -1, 2], 2);
    expectClose(e.values, [1, 3], 1e-15);
    const s = Math.SQRT1_2;
    // Columns [1, 1]/√2 and [1, −1]/√2 up to sign; the convention makes the first entry of each
    // (the first of two equal magnitudes) positive.
    expectClose(e.vectors, [s, s, s, -s], 1e-15);
    expect(() => dense.eigh([1, Number.NaN, Number.NaN, 1], 2)).toThrow(/entry \(0, 1\) is NaN/);
  });

  it('solves the generalised problem A·v = λ·B·v with B-orthonormal vectors', () => {
    // Diagonal pair: λ = a_i / b_i, sorted.
    const g = dense.eighGeneralized(diag([2, 9, 1]), diag([4, 3, 0.5]), 3);
    expectClose(g.values, [0.5, 2, 3], 1e-15);
    const rng = new Rng(5);
    const n = 9;
    const a = randomSymmetric(rng, n);
    const b = randomSpd(rng, n);
    const { values, vectors } = dense.eighGeneralized(a, b, n);
    const av = mul(a, vectors, n, n, n);
    const bvl = mul(b, vectors, n, n, n).map((x, idx) => x * values[idx % n]!);
    expectClose(av, bvl, 1e-12);
    expectClose(mul(transposed(vectors, n, n), mul(b, vectors, n, n, n), n, n, n), eye(n), 1e-13);
    expect(() => dense.eighGeneralized(a, diag([1, -1, 1, 1, 1, 1, 1, 1, 1]), n)).toThrow(
      NotPositiveDefiniteError,
    );
  });
});

describe('SVD and QR', () => {
  it('has the closed-form singular values of [[3, 0], [4, 5]]', () => {
    // AᵀA = [[25, 20], [20, 25]] has eigenvalues 45 and 5.
    const { s } = dense.svd([3, 0, 4, 5], 2, 2);
    expectClose(s, [Math.sqrt(45), Math.sqrt(5)], 1e-14);
  });

  it('factorises tall, wide and rank-deficient matrices', () => {
    const rng = new Rng(6);
    for (const [m, n] of [
      [7, 4],
      [4, 7],
      [5, 5],
    ] as const) {
      const a = randomMatrix(rng, m, n);
      const { u, s, vt } = dense.svd(a, m, n);
      const k = Math.min(m, n);
      for (let i = 1; i < k; i++) expect(s[i]).toBeLessThanOrEqual(s[i - 1]!);
      const us = u.map((x, idx) => x * s[idx % k]!);
      expectClose(mul(us, vt, m, k, n), a, 1e-13);
      expectClose(mul(transposed(u, m, k), u, k, m, k), eye(k), 1e-14);
      expectClose(mul(vt, transposed(vt, k, n), k, n, k), eye(k), 1e-14);
    }
    // Rank one: x·yᵀ has one singular value ‖x‖·‖y‖, and U stays orthonormal.
    const x = [1, 2, 2];
    const y = [3, 4];
    const r1 = x.flatMap((xi) => y.map((yj) => xi * yj));
    const { u, s } = dense.svd(r1, 3, 2);
    expectClose(s, [15, 0], 1e-14);
    expectClose(mul(transposed(u, 3, 2), u, 2, 3, 2), eye(2), 1e-15);
  });

  it('QR: orthonormal Q, upper R with non-negative diagonal, Q·R = A', () => {
    const rng = new Rng(7);
    for (const [m, n] of [
      [6, 4],
      [4, 6],
      [5, 5],
    ] as const) {
      const a = randomMatrix(rng, m, n);
      const { q, r } = dense.qr(a, m, n);
      const k = Math.min(m, n);
      expectClose(mul(q, r, m, k, n), a, 1e-14);
      expectClose(mul(transposed(q, m, k), q, k, m, k), eye(k), 4e-15);
      for (let i = 0; i < k; i++) {
        expect(r[i * n + i]).toBeGreaterThanOrEqual(0);
        for (let j = 0; j < i; j++) expect(r[i * n + j]).toBe(0);
      }
    }
    // [[3], [4]] = [[0.6], [0.8]]·[5].
    const { q, r } = dense.qr([3, 4], 2, 1);
    expectClose(q, [0.6, 0.8], 2e-16);
    expectClose(r, [5], 1e-15);
  });
});

describe('matrix exponential', () => {
  it('exponentiates diagonal and nilpotent matrices exactly', () => {
    const d = [1, -2, 0.5, 3, -7];
    expectClose(dense.expm(diag(d), 5), diag(d.map(Math.exp)), 1e-15 * Math.exp(3) * 4);
    // N with ones on the superdiagonal: e^N = I + N + N²/2 + N³/6 (N⁴ = 0).
    const n = new Float64Array(16);
    for (let i = 0; i < 3; i++) n[i * 4 + i + 1] = 1;
    expectClose(dense.expm(n, 4), [1, 1, 1 / 2, 1 / 6, 0, 1, 1, 1 / 2, 0, 0, 1, 1, 0, 0, 0, 1], 1e-15);
    expectClose(dense.expm([], 0), [], 0);
  });

  it('gives rotations for skew matrices on every Padé branch', () => {
    // ‖A‖₁ = θ picks degrees 3, 5, 7, 9 and 13 (with and without squaring).
    for (const theta of [0.01, 0.2, 0.9, 2, 5, 20, 100]) {
      const r = dense.expm([0, -theta, theta, 0], 2);
      const c = Math.cos(theta);
      const s = Math.sin(theta);
      expectClose(r, [c, -s, s, c], 4e-15 * Math.max(1, theta));
    }
  });

  it('has the closed form for complex eigenvalues α ± iβ: e^α·(cos β·I + sin β/β·(A − α·I))', () => {
    // The LMU's d = 2, θ = 1 matrix, with eigenvalues −2 ± i√2 (methods.md §3).
    const { a, b } = lmuMatrices(2, 1);
    expect(Array.from(a)).toEqual([-1, -1, 3, -3]);
    expect(Array.from(b)).toEqual([1, -3]);
    const alpha = -2;
    const beta = Math.SQRT2;
    const f = Math.sin(beta) / beta;
    const expected = [
      Math.exp(alpha) * (Math.cos(beta) + f * (a[0]! - alpha)),
      Math.exp(alpha) * f * a[1]!,
      Math.exp(alpha) * f * a[2]!,
      Math.exp(alpha) * (Math.cos(beta) + f * (a[3]! - alpha)),
    ];
    expectClose(dense.expm(a, 2), expected, 1e-15);
  });

  it('discretises the LMU: d = 1 closed form and the fixed point A·e₀ = −B', () => {
    const one = lmuMatrices(1, 4);
    const abar = dense.expm(one.a, 1)[0]!;
    expect(abar).toBeCloseTo(0.7788007830714049, 15);
    const bbar = dense.solve(one.a, [(abar - 1) * one.b[0]!], 1)[0]!;
    expect(bbar).toBeCloseTo(1 - 0.7788007830714049, 15);

    const d = 4;
    const { a, b } = lmuMatrices(d, 10);
    // The invariant A·e₀ = −B holds exactly in the construction.
    for (let i = 0; i < d; i++) expect(a[i * d]).toBe(-b[i]!);
    const ad = dense.expm(a, d);
    const rhs = mul(
      ad.map((x, idx) => x - (idx % (d + 1) === 0 ? 1 : 0)),
      b,
      d,
      d,
      1,
    );
    const bd = dense.solve(a, rhs, d); // B̄ = A⁻¹·(e^A − I)·B
    // Hence B̄ = e₀ − Ā·e₀, and a constant input of 1 drives the memory to e₀.
    expectClose(
      bd,
      Array.from({ length: d }, (_, i) => (i === 0 ? 1 : 0) - ad[i * d]!),
      1e-14,
    );
    let m = new Float64Array(d);
    for (let t = 0; t < 400; t++) m = mul(ad, m, d, d, 1).map((x, i) => x + bd[i]!);
    expectClose(m, [1, 0, 0, 0], 1e-10);
  });

  it('refuses non-finite input', () => {
    expect(() => dense.expm([0, Number.POSITIVE_INFINITY, 0, 0], 2)).toThrow(/is Infinity/);
  });
});

describe('SPD matrix functions and Riemannian geometry', () => {
  const rng = new Rng(8);
  const n = 6;
  const a = randomSpd(rng, n);

  it('logm, sqrtm, invsqrtm and powm satisfy their defining identities', () => {
    expectClose(dense.logmSpd(diag([1, Math.E, Math.exp(-2)]), 3), diag([0, 1, -2]), 1e-15);
    const s = dense.sqrtmSpd(a, n);
    expectClose(mul(s, s, n, n, n), a, 1e-12);
    const w = dense.invsqrtmSpd(a, n);
    expectClose(mul(mul(w, a, n, n, n), w, n, n, n), eye(n), 1e-13);
    expectClose(dense.powmSpd(a, n, 3), mul(mul(a, a, n, n, n), a, n, n, n), 1e-9);
    expectClose(dense.expmSym(dense.logmSpd(a, n), n), a, 1e-12);
    // expmSym agrees with the general expm on a symmetric matrix.
    const sym = dense.logmSpd(a, n);
    expectClose(dense.expmSym(sym, n), dense.expm(sym, n), 1e-12);
    expect(() => dense.logmSpd([1, 2, 2, 1], 2)).toThrow(/eigenvalue 0 is -0\.99/);
  });

  it('δ(I, diag(e, 1/e)) = √2, and the distance is affine-invariant', () => {
    expect(dense.riemannDistance(eye(2), diag([Math.E, 1 / Math.E]), 2)).toBeCloseTo(Math.SQRT2, 15);
    const b = randomSpd(rng, n);
    const g = randomMatrix(rng, n, n);
    const congruence = (x: Float64Array) => mul(mul(g, x, n, n, n), transposed(g, n, n), n, n, n);
    const d1 = dense.riemannDistance(a, b, n);
    expect(dense.riemannDistance(congruence(a), congruence(b), n)).toBeCloseTo(d1, 10);
    expect(dense.riemannDistance(b, a, n)).toBeCloseTo(d1, 12);
    expect(dense.riemannDistance(a, a, n)).toBeLessThan(1e-7);
  });

  it('the geometric mean of commuting SPD matrices is Q·diag(√(aᵢbᵢ))·Qᵀ', () => {
    const { q } = dense.qr(randomMatrix(rng, n, n), n, n);
    const da = [1, 2, 3, 4, 5, 6];
    const db = [9, 0.5, 3, 1, 20, 0.1];
    const sandwich = (d: number[]) => mul(mul(q, diag(d), n, n, n), transposed(q, n, n), n, n, n);
    const mean = dense.geometricMean(sandwich(da), sandwich(db), n);
    expectClose(mean, sandwich(da.map((x, i) => Math.sqrt(x * db[i]!))), 1e-12);
    // The mean is the midpoint: equidistant from both ends, at half the distance.
    const b = randomSpd(rng, n);
    const mid = dense.geodesic(a, b, n, 0.5);
    const total = dense.riemannDistance(a, b, n);
    expect(dense.riemannDistance(a, mid, n)).toBeCloseTo(total / 2, 10);
    expect(dense.riemannDistance(mid, b, n)).toBeCloseTo(total / 2, 10);
    expectClose(dense.geodesic(a, b, n, 1), b, 1e-11);
  });
});

import {
  assertGradcheck,
  createRuntime,
  linalg,
  NotPositiveDefiniteError,
  type Runtime,
  ShapeError,
  SingularMatrixError,
  type Tensor,
} from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { expectClose, lmuMatrices, mul, randomSpd, transposed } from './linalg-helpers.js';

const { dense } = linalg;

function f64(rt: Runtime, data: ArrayLike<number>, shape: number[]): Tensor {
  return rt.fromArray(Float64Array.from(data), shape, { dtype: 'float64' });
}

/** A batch of random well-conditioned SPD matrices [batch, n, n]. */
function spdBatch(rt: Runtime, batch: number, n: number): Tensor {
  const data: number[] = [];
  for (let b = 0; b < batch; b++) data.push(...randomSpd(rt.rng, n));
  return f64(rt, data, [batch, n, n]);
}

function randn64(rt: Runtime, shape: number[]): Tensor {
  return rt.randn(shape, { dtype: 'float64' });
}

describe('solve, solveTriangular, inv', () => {
  it('solves batched systems with broadcast batch axes and vectors', () => {
    const rt = createRuntime({ seed: 1 });
    const a = randn64(rt, [2, 1, 3, 3]).add(f64(rt, [4, 0, 0, 0, 4, 0, 0, 0, 4], [3, 3]));
    const b = randn64(rt, [4, 3, 2]);
    const x = linalg.solve(a, b);
    expect(x.shape).toEqual([2, 4, 3, 2]);
    // A·X reproduces B in every batch entry.
    const ab = a.matmul(x).sub(b.broadcastTo([2, 4, 3, 2]));
    expect(Math.max(...Array.from(ab.abs().dataSync()))).toBeLessThan(1e-13);
    // Aᵀ·X = B with `transpose`, and a vector right-hand side.
    const a0 = a.slice([0, 0], [1, 1]).reshape([3, 3]);
    const v = randn64(rt, [3]);
    const xt = linalg.solve(a0, v, { transpose: true });
    expect(xt.shape).toEqual([3]);
    expectClose(a0.transpose().matmul(xt).dataSync(), v.dataSync(), 1e-13);
  });

  it('inverts batches and keeps float32 as float32', () => {
    const rt = createRuntime({ seed: 2 });
    const a = spdBatch(rt, 3, 4);
    const inv = linalg.inv(a);
    const eye = rt.fromArray(Float64Array.from(dense.identity(4)), [4, 4], { dtype: 'float64' });
    expectClose(a.matmul(inv).dataSync(), eye.broadcastTo([3, 4, 4]).dataSync(), 1e-13);
    const a32 = a.cast('float32');
    const inv32 = linalg.inv(a32);
    expect(inv32.dtype).toBe('float32');
    expectClose(inv32.dataSync(), inv.dataSync(), 1e-6);
  });

  it('solves triangular systems reading one triangle', () => {
    const rt = createRuntime({ seed: 3 });
    const t = f64(rt, [2, 9, 9, 1, 3, 9, 4, 5, 6], [3, 3]); // the 9s lie outside the lower triangle
    const b = f64(rt, [2, 7, 32], [3]);
    expectClose(linalg.solveTriangular(t, b).dataSync(), [1, 2, 3], 1e-15);
    const u = f64(rt, [1, 2, 3, 9, 4, 5, 9, 9, 6], [3, 3]);
    expectClose(
      linalg.solveTriangular(u, f64(rt, [14, 23, 18], [3]), { lower: false }).dataSync(),
      [1, 2, 3],
      1e-15,
    );
  });

  it('reports shape errors, dtype errors and singular batch entries', () => {
    const rt = createRuntime();
    expect(() =>
      linalg.solve(rt.zeros([2, 3], { dtype: 'float64' }), rt.zeros([2, 1], { dtype: 'float64' })),
    ).toThrow(ShapeError);
    expect(() =>
      linalg.solve(rt.zeros([3, 3], { dtype: 'float64' }), rt.zeros([2, 1], { dtype: 'float64' })),
    ).toThrow(/right-hand side has 2 rows, the matrix is 3×3/);
    expect(() => linalg.inv(rt.zeros([2, 2], { dtype: 'int32' }))).toThrow(/float32 or float64/);
    const a = f64(rt, [1, 0, 0, 1, 1, 2, 2, 4], [2, 2, 2]);
    expect(() => linalg.inv(a)).toThrow(SingularMatrixError);
    expect(() => linalg.inv(a)).toThrow(/inv: the matrix at batch index 1 is singular/);
  });

  it('passes gradcheck', () => {
    const rt = createRuntime({ seed: 4 });
    const shift = f64(rt, [3, 0, 0, 0, 3, 0, 0, 0, 3], [3, 3]);
    const a = randn64(rt, [2, 3, 3]).add(shift);
    const b = randn64(rt, [2, 3, 2]);
    assertGradcheck('solve', (x, y) => linalg.solve(x, y), [a, b]);
    assertGradcheck('solve transpose', (x, y) => linalg.solve(x, y, { transpose: true }), [a, b]);
    // Broadcast: one A for a batch of B, and a vector B for a batch of A.
    assertGradcheck('solve broadcast', (x, y) => linalg.solve(x, y), [a.slice([0], [1]).reshape([3, 3]), b]);
    assertGradcheck('solve vector', (x, y) => linalg.solve(x, y), [a, randn64(rt, [3])]);
    assertGradcheck('inv', (x) => linalg.inv(x), [a]);
    for (const lower of [true, false]) {
      for (const transpose of [false, true]) {
        assertGradcheck(
          `solveTriangular ${lower} ${transpose}`,
          (x, y) => linalg.solveTriangular(x, y, { lower, transpose }),
          [a, b],
        );
      }
    }
  });
});

describe('cholesky and eigh', () => {
  it('factor batches, symmetrising the input', () => {
    const rt = createRuntime({ seed: 5 });
    const a = spdBatch(rt, 2, 5);
    const l = linalg.cholesky(a);
    expectClose(l.matmul(l, { transB: true }).dataSync(), a.dataSync(), 1e-12);
    // Only the symmetric part matters: a skew perturbation changes nothing.
    const skew = randn64(rt, [5, 5]);
    const l2 = linalg.cholesky(a.add(skew.sub(skew.transpose())));
    expectClose(l2.dataSync(), l.dataSync(), 1e-13);
  });

  it('names the batch entry and pivot that is not positive definite', () => {
    const rt = createRuntime();
    const a = f64(rt, [4, 0, 0, 9, 1, 2, 2, 1], [2, 2, 2]);
    let caught: unknown;
    try {
      linalg.cholesky(a);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(NotPositiveDefiniteError);
    expect((caught as NotPositiveDefiniteError).batch).toBe(1);
    expect((caught as NotPositiveDefiniteError).pivot).toBe(1);
    expect((caught as Error).message).toMatch(
      /cholesky: the matrix at batch index 1 is not positive definite \(pivot 1 is -3/,
    );
  });

  it('eigh matches the host routine and the Toeplitz closed form', () => {
    const rt = createRuntime();
    const n = 7;
    const data = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      data[i * n + i] = 1;
      if (i + 1 < n) data[i * n + i + 1] = data[(i + 1) * n + i] = 0.5;
    }
    const { values, vectors } = linalg.eigh(f64(rt, data, [1, n, n]));
    expect(values.shape).toEqual([1, n]);
    expect(vectors.shape).toEqual([1, n, n]);
    const expected = Array.from({ length: n }, (_, k) => 1 + Math.cos(((n - k) * Math.PI) / (n + 1)));
    expectClose(values.dataSync(), expected, 1e-14);
    expectClose(vectors.dataSync(), dense.eigh(data, n).vectors, 0);
  });

  it('passes gradcheck (distinct eigenvalues for eigh)', () => {
    const rt = createRuntime({ seed: 6 });
    const a = spdBatch(rt, 2, 3);
    assertGradcheck('cholesky', (x) => linalg.cholesky(x), [a]);
    const s = randn64(rt, [2, 4, 4]);
    assertGradcheck('eigh values', (x) => linalg.eigh(x).values, [s]);
    assertGradcheck('eigh vectors', (x) => linalg.eigh(x).vectors, [s]);
    assertGradcheck(
      'eigh both',
      (x) => {
        const { values, vectors } = linalg.eigh(x);
        return vectors.mul(values.unsqueeze(-2)).sum(-1);
      },
      [s],
    );
  });
});

describe('expm and SPD matrix functions', () => {
  it('expm: rotations, the LMU discretisation and float32', () => {
    const rt = createRuntime();
    const theta = 0.7;
    const r = linalg.expm(f64(rt, [0, -theta, theta, 0, 0, -2 * theta, 2 * theta, 0], [2, 2, 2]));
    const c = Math.cos;
    const s = Math.sin;
    expectClose(
      r.dataSync(),
      [c(theta), -s(theta), s(theta), c(theta), c(2 * theta), -s(2 * theta), s(2 * theta), c(2 * theta)],
      1e-15,
    );
    const { a } = lmuMatrices(1, 4);
    const abar = linalg.expm(f64(rt, a, [1, 1]).cast('float32'));
    expect(abar.dtype).toBe('float32');
    expect(abar.itemSync()).toBeCloseTo(0.7788007830714049, 7);
  });

  it('logm, sqrtm, invsqrtm and powm agree with the host routines; logdetSpd with slogdet', () => {
    const rt = createRuntime({ seed: 7 });
    const n = 4;
    const a = spdBatch(rt, 2, n);
    const first = a.slice([0], [1]).reshape([n, n]).dataSync();
    const head = (t: Tensor) => t.slice([0], [1]).reshape([n, n]).dataSync();
    expectClose(head(linalg.logmSpd(a)), dense.logmSpd(first, n), 1e-13);
    expectClose(head(linalg.sqrtmSpd(a)), dense.sqrtmSpd(first, n), 1e-13);
    expectClose(head(linalg.invsqrtmSpd(a)), dense.invsqrtmSpd(first, n), 1e-13);
    expectClose(head(linalg.powmSpd(a, 0.3)), dense.powmSpd(first, n, 0.3), 1e-13);
    expect(linalg.logdetSpd(a).dataSync()[0]).toBeCloseTo(dense.slogdet(first, n).logAbs, 12);
    expect(() => linalg.logmSpd(f64(rt, [1, 2, 2, 1], [2, 2]))).toThrow(NotPositiveDefiniteError);
  });

  it('the SPD gradient stays finite for repeated eigenvalues: d logm at c·I is G/c', () => {
    const rt = createRuntime({ seed: 8 });
    const c = 2.5;
    const a = f64(rt, [c, 0, 0, 0, c, 0, 0, 0, c], [3, 3]).requireGrad();
    const g = randn64(rt, [3, 3]);
    linalg.logmSpd(a).mul(g).sum().backward();
    const gd = g.dataSync();
    const want = Array.from(gd, (_, k) => (gd[k]! + gd[(k % 3) * 3 + Math.floor(k / 3)]!) / (2 * c));
    expectClose(a.grad!.dataSync(), want, 1e-14);
  });

  it('passes gradcheck', () => {
    const rt = createRuntime({ seed: 9 });
    const m = randn64(rt, [2, 3, 3]).mul(0.7);
    assertGradcheck('expm', (x) => linalg.expm(x), [m]);
    // A larger norm exercises the scaling-and-squaring branch in both passes.
    assertGradcheck('expm scaled', (x) => linalg.expm(x), [m.mul(6)], { rtol: 1e-4, atol: 1e-4 });
    const a = spdBatch(rt, 2, 3);
    assertGradcheck('logmSpd', (x) => linalg.logmSpd(x), [a]);
    assertGradcheck('sqrtmSpd', (x) => linalg.sqrtmSpd(x), [a]);
    assertGradcheck('invsqrtmSpd', (x) => linalg.invsqrtmSpd(x), [a]);
    assertGradcheck('powmSpd', (x) => linalg.powmSpd(x, -1.7), [a]);
    assertGradcheck('logdetSpd', (x) => linalg.logdetSpd(x), [a]);
  });
});

describe('rfft, irfft and fftConv1d on tensors', () => {
  it('uses a trailing (real, imaginary) axis and matches the host transform', () => {
    const rt = createRuntime({ seed: 10 });
    for (const n of [8, 9, 12]) {
      const x = randn64(rt, [2, 3, n]);
      const y = linalg.rfft(x);
      expect(y.shape).toEqual([2, 3, (n >> 1) + 1, 2]);
      const row = x.slice([1, 2], [2, 3]).reshape([n]).dataSync();
      const host = linalg.fft.rfft(row);
      const got = y
        .slice([1, 2], [2, 3])
        .reshape([(n >> 1) + 1, 2])
        .dataSync();
      expectClose(
        got,
        Array.from(host.re).flatMap((re, k) => [re, host.im[k]!]),
        1e-13,
      );
      expectClose(linalg.irfft(y, n).dataSync(), x.dataSync(), 1e-14);
    }
    expect(linalg.irfft(linalg.rfft(rt.ones([4, 6]))).shape).toEqual([4, 6]);
    expect(linalg.rfft(rt.ones([5]), 8).shape).toEqual([5, 2]);
    expect(() => linalg.irfft(rt.ones([4, 3]))).toThrow(ShapeError);
  });

  it('fftConv1d is the causal convolution, kernels broadcasting over the batch', () => {
    const rt = createRuntime({ seed: 11 });
    const T = 50;
    const K = 20;
    const x = randn64(rt, [3, 2, T]);
    const k = randn64(rt, [2, K]);
    const y = linalg.fftConv1d(x, k);
    expect(y.shape).toEqual([3, 2, T]);
    const xd = x.dataSync();
    const kd = k.dataSync();
    const want: number[] = [];
    for (let b = 0; b < 3; b++) {
      for (let ch = 0; ch < 2; ch++) {
        for (let t = 0; t < T; t++) {
          let s = 0;
          for (let j = 0; j <= Math.min(t, K - 1); j++) s += kd[ch * K + j]! * xd[(b * 2 + ch) * T + t - j]!;
          want.push(s);
        }
      }
    }
    expectClose(y.dataSync(), want, 1e-12);
  });

  it('the LMU memory by fftConv1d with H_t = Ā^t·B̄ equals the recurrence', () => {
    const rt = createRuntime({ seed: 12 });
    const d = 4;
    const T = 64;
    const { a, b } = lmuMatrices(d, 10);
    const abar = dense.expm(a, d);
    const bbar = dense.solve(
      a,
      mul(
        abar.map((v, i) => v - (i % (d + 1) === 0 ? 1 : 0)),
        b,
        d,
        d,
        1,
      ),
      d,
    );
    // Impulse response H [d, T]: H[:, t] = Ā^t·B̄.
    const h = new Float64Array(d * T);
    let col = bbar;
    for (let t = 0; t < T; t++) {
      for (let i = 0; i < d; i++) h[i * T + t] = col[i]!;
      col = mul(abar, col, d, d, 1);
    }
    const u = randn64(rt, [1, T]);
    const m = linalg.fftConv1d(u, f64(rt, h, [d, T])); // [d, T]
    // The recurrence m_t = Ā·m_{t−1} + B̄·u_t from m_{−1} = 0.
    const ud = u.dataSync();
    let state = new Float64Array(d);
    const want = new Float64Array(d * T);
    for (let t = 0; t < T; t++) {
      state = mul(abar, state, d, d, 1).map((v, i) => v + bbar[i]! * ud[t]!);
      for (let i = 0; i < d; i++) want[i * T + t] = state[i]!;
    }
    expectClose(m.dataSync(), want, 1e-12);
    expect(transposed(want, d, T).length).toBe(d * T);
  });

  it('passes gradcheck', () => {
    const rt = createRuntime({ seed: 13 });
    for (const n of [1, 2, 7, 8, 12]) {
      assertGradcheck(`rfft ${n}`, (x) => linalg.rfft(x), [randn64(rt, [2, n])]);
      const bins = (n >> 1) + 1;
      assertGradcheck(`irfft ${n}`, (y) => linalg.irfft(y, n), [randn64(rt, [2, bins, 2])]);
    }
    assertGradcheck('rfft padded', (x) => linalg.rfft(x, 11), [randn64(rt, [3, 6])]);
    assertGradcheck('rfft truncated', (x) => linalg.rfft(x, 4), [randn64(rt, [3, 6])]);
    assertGradcheck('irfft default n', (y) => linalg.irfft(y), [randn64(rt, [5, 2])]);
    assertGradcheck('complexMul', (p, q) => linalg.complexMul(p, q), [
      randn64(rt, [3, 2]),
      randn64(rt, [2, 3, 2]),
    ]);
    assertGradcheck('fftConv1d', (x, k) => linalg.fftConv1d(x, k), [
      randn64(rt, [2, 9]),
      randn64(rt, [2, 5]),
    ]);
  });
});

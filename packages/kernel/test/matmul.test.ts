import { assertGradcheck, createRuntime, ShapeError, type Tensor } from '@neurite/kernel';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const rt = createRuntime({ seed: 2 });

/** Reference product by the definition, in double precision. */
function naive(
  a: Float32Array | Float64Array | Uint8Array,
  b: ArrayLike<number>,
  m: number,
  k: number,
  n: number,
) {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      out[i * n + j] = s;
    }
  return out;
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]!)));
  }
}

describe('matmul', () => {
  it('a 2×3 by 3×2 product worked by hand', () => {
    const a = rt.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = rt.tensor([
      [7, 8],
      [9, 10],
      [11, 12],
    ]);
    expect(a.matmul(b).toArraySync()).toEqual([
      [58, 64],
      [139, 154],
    ]);
    expect(rt.tensor([1, 2, 3]).matmul(b).toArraySync()).toEqual([58, 64]);
  });

  it('matches the definition for odd sizes and every transpose variant', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 1, max: 300 }),
        fc.integer({ min: 1, max: 11 }),
        (m, k, n) => {
          const a = rt.randn([m, k]);
          const b = rt.randn([k, n]);
          const expected = naive(a.dataSync() as Float32Array, b.dataSync(), m, k, n);
          expectClose(a.matmul(b).dataSync(), expected);
          expectClose(a.transpose().matmul(b, { transA: true }).dataSync(), expected);
          expectClose(a.matmul(b.transpose(), { transB: true }).dataSync(), expected);
          expectClose(
            a.transpose().matmul(b.transpose(), { transA: true, transB: true }).dataSync(),
            expected,
          );
        },
      ),
      { numRuns: 40, seed: 17 },
    );
  });

  it('broadcasts batch axes', () => {
    const a = rt.randn([2, 1, 3, 4]);
    const b = rt.randn([5, 4, 2]);
    const c = a.matmul(b);
    expect(c.shape).toEqual([2, 5, 3, 2]);
    const a1 = a.slice([1, 0], [2, 1]).reshape([3, 4]);
    const b3 = b.slice([3], [4]).reshape([4, 2]);
    expectClose(c.slice([1, 3], [2, 4]).dataSync(), a1.matmul(b3).dataSync());
  });

  it('the event-driven spike path equals the dense product, forward and weight gradient', () => {
    const spikes = rt.bernoulli(0.1, [37, 129]);
    const dense = spikes.cast('float32');
    const w = rt.randn([129, 23]);
    expectClose(spikes.matmul(w).dataSync(), dense.matmul(w).dataSync(), 1e-5);
    const g = rt.randn([37, 23]);
    expectClose(
      spikes.matmul(g, { transA: true }).dataSync(),
      dense.matmul(g, { transA: true }).dataSync(),
      1e-5,
    );
    const wt = w.transpose();
    expectClose(spikes.matmul(wt, { transB: true }).dataSync(), dense.matmul(w).dataSync(), 1e-5);
  });

  it('a spike right operand (the weight gradient Gᵀ·S of a Linear layer) equals the dense product', () => {
    const g = rt.randn([3, 37, 23]);
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const spikes = rt.bernoulli(0.1, transB ? [129, 37] : [37, 129]);
        const left = transA ? g : g.transpose();
        const opts = { transA, transB };
        expectClose(
          left.matmul(spikes, opts).dataSync(),
          left.matmul(spikes.cast('float32'), opts).dataSync(),
          1e-5,
        );
      }
    }
  });

  it('gradients flow through spike inputs to the weights and to the spikes', () => {
    const spikes = rt.bernoulli(0.3, [5, 7]).detach().requireGrad();
    const w = rt.randn([7, 3]).requireGrad();
    spikes.matmul(w).square().sum().backward();
    const dense = spikes.cast('float32').detach().requireGrad();
    const w2 = w.detach().requireGrad();
    dense.matmul(w2).square().sum().backward();
    expectClose(w.grad!.dataSync(), w2.grad!.dataSync(), 1e-5);
    expect(spikes.grad!.dtype).toBe('float32');
    expectClose(spikes.grad!.dataSync(), dense.grad!.dataSync(), 1e-5);
  });

  it('names the op and shapes on mismatch', () => {
    expect(() => rt.randn([2, 3]).matmul(rt.randn([4, 2]))).toThrow(ShapeError);
    expect(() => rt.randn([2, 3]).matmul(rt.randn([4, 2]))).toThrow(
      /matmul: inner dimensions differ \(3 vs 4\)/,
    );
  });

  it('passes gradcheck in every transpose variant with batch broadcasting', () => {
    const r = createRuntime({ seed: 9 });
    const a = r.randn([2, 3, 4], { dtype: 'float64' });
    const b = r.randn([4, 5], { dtype: 'float64' });
    assertGradcheck('matmul', (x: Tensor, y: Tensor) => x.matmul(y), [a, b]);
    assertGradcheck('matmul transA', (x: Tensor, y: Tensor) => x.matmul(y, { transA: true }), [
      a.transpose(),
      b,
    ]);
    assertGradcheck('matmul transB', (x: Tensor, y: Tensor) => x.matmul(y, { transB: true }), [
      a,
      b.transpose(),
    ]);
    assertGradcheck('matmul both', (x: Tensor, y: Tensor) => x.matmul(y, { transA: true, transB: true }), [
      a.transpose(),
      b.transpose(),
    ]);
  });
});

import { createRuntime, linalg } from '@neurite/kernel';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxAbsDiff, mul, transposed } from './linalg-helpers.js';

const { dense } = linalg;

/** An n×n matrix with entries in [−1, 1] plus n on the diagonal: diagonally dominant, so cond(A) ≤ 3. */
const wellConditioned = fc.integer({ min: 1, max: 12 }).chain((n) =>
  fc
    .tuple(
      fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n * n, maxLength: n * n }),
      fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: n, maxLength: n }),
    )
    .map(([entries, x]) => {
      const a = Float64Array.from(entries);
      for (let i = 0; i < n; i++) a[i * n + i]! += n;
      return { n, a, x: Float64Array.from(x) };
    }),
);

describe('properties', () => {
  it('solve(A, A·x) ≈ x for well-conditioned A (host and tensor)', () => {
    const rt = createRuntime();
    fc.assert(
      fc.property(wellConditioned, ({ n, a, x }) => {
        const b = mul(a, x, n, n, 1);
        const scale = Math.max(1, ...Array.from(x, Math.abs));
        expect(maxAbsDiff(dense.solve(a, b, n), x)).toBeLessThan(1e-12 * scale);
        const t = linalg.solve(rt.fromArray(a, [n, n]), rt.fromArray(b, [n]));
        expect(maxAbsDiff(t.dataSync(), x)).toBeLessThan(1e-12 * scale);
      }),
      { numRuns: 200, seed: 1 },
    );
  });

  it('eigh reconstructs any symmetric matrix with orthonormal vectors', () => {
    fc.assert(
      fc.property(wellConditioned, ({ n, a }) => {
        const s = mul(a, transposed(a, n, n), n, n, n).map((v, i) => v - (i % (n + 1) === 0 ? n * n : 0));
        const { values, vectors } = dense.eigh(s, n);
        const rebuilt = mul(
          vectors.map((v, i) => v * values[i % n]!),
          transposed(vectors, n, n),
          n,
          n,
          n,
        );
        const scale = Math.max(1, ...Array.from(values, Math.abs));
        expect(maxAbsDiff(rebuilt, s)).toBeLessThan(1e-13 * scale * n);
      }),
      { numRuns: 200, seed: 2 },
    );
  });

  it('irfft(rfft(x), n) = x for any length', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 300 }),
        (values) => {
          const { re, im } = linalg.fft.rfft(values);
          const back = linalg.fft.irfft(re, im, values.length);
          expect(maxAbsDiff(back, values)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });
});

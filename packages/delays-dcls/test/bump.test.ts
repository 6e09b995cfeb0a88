import { describe, expect, it } from 'vitest';
import { Bump, bumpWidth, denseKernel } from '../src/ops/bump.js';

describe('the DCLS kernel of one synapse', () => {
  it("matches the paper's test vector: K = 5, P = 0.3, SIG = 0.23 ('gauss')", () => {
    const k = denseKernel(1, 0.3, 5, 'gauss', 0.23);
    const expected = [2.0e-5, 0.02729, 0.66943, 0.30079, 0.00248];
    // The vector is printed to 5 decimals from float32 PyTorch: the middle tap, 0.6694249 in float64, sits
    // 1e-7 from a rounding boundary, so compare to within one unit of the last printed decimal.
    for (const [i, v] of expected.entries()) expect(Math.abs(k[i]! - v)).toBeLessThan(1e-5);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
  });

  it("is one-hot at index 3 in 'max' mode with SIG = 0 and P = 1", () => {
    const k = denseKernel(2, 1, 5, 'max', 0);
    expect(Array.from(k).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0, 0, 0, 2, 0]);
    expect(k[3]).toBeCloseTo(2 / (1 + 1e-7), 12);
  });

  it('interpolates linearly between two taps in max mode at a fractional position', () => {
    const k = denseKernel(1, 0.25, 5, 'max', 0);
    expect(k[2]).toBeCloseTo(0.75, 6);
    expect(k[3]).toBeCloseTo(0.25, 6);
  });

  it('scales with the weight and is symmetric about the centre', () => {
    const k = denseKernel(-3, 0, 7, 'gauss', 1.5);
    for (let i = 0; i < 7; i++) expect(k[i]).toBeCloseTo(k[6 - i]!, 12);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(-3, 5);
  });

  for (const version of ['gauss', 'max'] as const) {
    it(`${version}: ∂n_k/∂c matches central differences`, () => {
      const K = 9;
      const sig = version === 'gauss' ? 0.8 : 0.6;
      const bump = new Bump(K, version, bumpWidth(version, sig), Number.POSITIVE_INFINITY);
      const other = new Bump(K, version, bumpWidth(version, sig), Number.POSITIVE_INFINITY);
      for (const c of [1.37, 4.02, 6.71]) {
        bump.eval(c, true);
        const h = 1e-6;
        const at = (cc: number) => {
          other.eval(cc, false);
          return Array.from({ length: K }, (_, k) => (k >= other.k0 && k <= other.k1 ? other.n[k]! : 0));
        };
        const plus = at(c + h);
        const minus = at(c - h);
        for (let k = bump.k0; k <= bump.k1; k++)
          expect(bump.dn[k]).toBeCloseTo((plus[k]! - minus[k]!) / (2 * h), 5);
      }
    });
  }

  it('truncation keeps every tap within 6σ exactly and drops only taps below 1e-7 of the weight', () => {
    for (const sig of [0, 0.23, 1, 3.7, 12]) {
      const K = 25;
      const full = new Bump(K, 'gauss', bumpWidth('gauss', sig), Number.POSITIVE_INFINITY);
      const cut = new Bump(K, 'gauss', bumpWidth('gauss', sig), 6);
      for (const c of [0, 3.3, 12, 17.51, 24]) {
        full.eval(c, false);
        cut.eval(c, false);
        for (let k = 0; k < K; k++) {
          if (k >= cut.k0 && k <= cut.k1) expect(cut.n[k]).toBe(full.n[k]);
          else expect(full.n[k]!).toBeLessThan(1e-7);
        }
      }
    }
  });

  it('a truncated Gaussian bump has few taps once σ is small', () => {
    const bump = new Bump(25, 'gauss', bumpWidth('gauss', 0.23), 6);
    bump.eval(12.4, false);
    expect(bump.k1 - bump.k0 + 1).toBeLessThanOrEqual(7);
    const max = new Bump(25, 'max', bumpWidth('max', 0), 6);
    max.eval(12, false);
    expect([max.k0, max.k1]).toEqual([12, 12]);
  });
});

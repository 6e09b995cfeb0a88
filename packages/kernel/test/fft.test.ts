import { linalg, Rng, ShapeError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { expectClose } from './linalg-helpers.js';

const { fft } = linalg;

/** The DFT by its definition, O(n²), with angles reduced mod n for accuracy: the reference. */
function naiveDft(
  re: ArrayLike<number>,
  im: ArrayLike<number>,
  inverse = false,
): { re: number[]; im: number[] } {
  const n = re.length;
  const outRe: number[] = [];
  const outIm: number[] = [];
  const sign = inverse ? 1 : -1;
  for (let k = 0; k < n; k++) {
    let sr = 0;
    let si = 0;
    for (let t = 0; t < n; t++) {
      const angle = (sign * 2 * Math.PI * ((k * t) % n)) / n;
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      sr += re[t]! * c - im[t]! * s;
      si += re[t]! * s + im[t]! * c;
    }
    outRe.push(sr);
    outIm.push(si);
  }
  return { re: outRe, im: outIm };
}

function randomSignal(rng: Rng, n: number): Float64Array {
  return Float64Array.from({ length: n }, () => rng.normal());
}

const LENGTHS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 15, 16, 17, 30, 31, 64, 97, 100, 128, 255, 256, 1000, 1031];

describe('complex FFT', () => {
  it('matches the definition for powers of two and (Bluestein) every other length', () => {
    const rng = new Rng(11);
    for (const n of LENGTHS) {
      const re = randomSignal(rng, n);
      const im = randomSignal(rng, n);
      const got = fft.fft(re, im);
      const want = naiveDft(re, im);
      const tol = 1e-13 * Math.sqrt(n) * Math.log2(n + 1);
      expectClose(got.re, want.re, tol * Math.sqrt(n));
      expectClose(got.im, want.im, tol * Math.sqrt(n));
      const back = fft.ifft(got.re, got.im);
      expectClose(back.re, re, tol);
      expectClose(back.im, im, tol);
    }
  });

  it('leaves its input untouched and checks lengths', () => {
    const x = Float64Array.from([1, 2, 3]);
    fft.fft(x);
    expect(Array.from(x)).toEqual([1, 2, 3]);
    expect(() => fft.fft([1, 2], [1])).toThrow(ShapeError);
    expect(() => fft.fft([])).toThrow(ShapeError);
  });
});

describe('rfft and irfft (numpy conventions)', () => {
  it('puts a pure cosine in one bin of magnitude n/2', () => {
    for (const [n, k0] of [
      [64, 5],
      [100, 7],
      [99, 13],
      [1031, 200],
    ] as const) {
      const x = Float64Array.from({ length: n }, (_, t) => Math.cos((2 * Math.PI * k0 * t) / n));
      const { re, im } = fft.rfft(x);
      expect(re.length).toBe((n >> 1) + 1);
      for (let k = 0; k < re.length; k++) {
        const mag = Math.hypot(re[k]!, im[k]!);
        if (k === k0) expect(mag).toBeCloseTo(n / 2, 10);
        else expect(mag).toBeLessThan(1e-10);
      }
    }
    // The DC and Nyquist bins of a real signal are real; numpy: rfft([1, 2, 3, 4]) = [10, −2+2i, −2].
    const small = fft.rfft([1, 2, 3, 4]);
    expect(Array.from(small.re)).toEqual([10, -2, -2]);
    expectClose(small.im, [0, 2, 0], 1e-15);
    expect(small.im[2]).toBe(0);
  });

  it('agrees with the complex transform for every length', () => {
    const rng = new Rng(12);
    for (const n of LENGTHS) {
      const x = randomSignal(rng, n);
      const full = naiveDft(x, new Float64Array(n));
      const half = fft.rfft(x);
      const bins = (n >> 1) + 1;
      const tol = 1e-13 * n;
      expectClose(half.re, full.re.slice(0, bins), tol);
      expectClose(half.im, full.im.slice(0, bins), tol);
    }
  });

  it('irfft(rfft(x)) = x for even, odd and non-power-of-two lengths', () => {
    const rng = new Rng(13);
    for (const n of LENGTHS) {
      const x = randomSignal(rng, n);
      const { re, im } = fft.rfft(x);
      expectClose(fft.irfft(re, im, n), x, 1e-13 * Math.log2(n + 2));
    }
  });

  it('satisfies Parseval: Σx² = (1/n)·Σ|X|² over the full spectrum', () => {
    const rng = new Rng(14);
    for (const n of [8, 9, 100, 101, 1024]) {
      const x = randomSignal(rng, n);
      const { re, im } = fft.rfft(x);
      let energy = 0;
      for (const v of x) energy += v * v;
      let spectral = 0;
      for (let k = 0; k < re.length; k++) {
        const p = re[k]! ** 2 + im[k]! ** 2;
        // Interior bins stand for themselves and their mirror image.
        const mirrored = k === 0 || (n % 2 === 0 && k === n / 2) ? 1 : 2;
        spectral += mirrored * p;
      }
      expect(spectral / n).toBeCloseTo(energy, 10);
    }
  });

  it('follows numpy on n, padding, truncation and the ignored imaginary parts', () => {
    // Default n = 2·(bins − 1): irfft([10, −2+2i, −2]) = [1, 2, 3, 4].
    expectClose(fft.irfft([10, -2, -2], [0, 2, 0]), [1, 2, 3, 4], 1e-15);
    // The imaginary parts of the DC and Nyquist bins do not change the signal.
    expectClose(fft.irfft([10, -2, -2], [5, 2, -7]), [1, 2, 3, 4], 1e-15);
    // An odd n from the same bins: numpy.fft.irfft([10, -2+2j, -2], 5).
    const odd = fft.irfft([10, -2, -2], [0, 2, 0], 5);
    const want = Array.from({ length: 5 }, (_, t) => {
      const th = (2 * Math.PI * t) / 5;
      return (10 + 2 * (-2 * Math.cos(th) - 2 * Math.sin(th)) + 2 * -2 * Math.cos(2 * th)) / 5;
    });
    expectClose(odd, want, 1e-15);
    // rfft with n pads with zeros or truncates first.
    expectClose(fft.rfft([1, 2], 4).re, fft.rfft([1, 2, 0, 0]).re, 0);
    expectClose(fft.rfft([1, 2, 3, 4, 5], 3).re, fft.rfft([1, 2, 3]).re, 0);
    // irfft with more bins than n needs ignores the extras; fewer count as zero.
    expectClose(fft.irfft([4, 0, 0, 9], [0, 0, 0, 9], 4), [1, 1, 1, 1], 1e-15);
    expectClose(fft.irfft([4], [0], 4), [1, 1, 1, 1], 1e-15);
    expect(() => fft.irfft([1], [0])).toThrow(ShapeError); // n = 0
  });

  it('convolves causally like the direct sum', () => {
    const rng = new Rng(15);
    const x = randomSignal(rng, 300);
    const h = randomSignal(rng, 77);
    const direct = Array.from(x, (_, t) => {
      let s = 0;
      for (let k = 0; k <= Math.min(t, h.length - 1); k++) s += h[k]! * x[t - k]!;
      return s;
    });
    expectClose(fft.convolveCausal(x, h), direct, 1e-12);
  });
});

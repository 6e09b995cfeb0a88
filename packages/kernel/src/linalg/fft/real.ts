import { ShapeError } from '../../errors.js';
import { type FftPlan, planFor } from './plan.js';

/**
 * Transforms of real signals of one length n, with numpy's conventions: the forward transform keeps
 * the ⌊n/2⌋ + 1 non-negative frequencies X_k = Σ_t x_t·e^{-2πi·k·t/n}; the inverse is scaled by 1/n
 * and ignores the imaginary parts of the zero-frequency bin and (for even n) the Nyquist bin.
 *
 * Even lengths pack the signal into a complex one of half the length (evens as real parts, odds as
 * imaginary parts) and untangle the halves afterwards, halving the work.
 */
export class RealFft {
  readonly n: number;
  /** ⌊n/2⌋ + 1, the number of frequency bins. */
  readonly bins: number;
  readonly #plan: FftPlan;
  readonly #half: boolean;
  readonly #re: Float64Array;
  readonly #im: Float64Array;
  /** cos and sin of 2π·k/n for k ≤ n/2 (the untangling twiddles), for even n. */
  readonly #cos: Float64Array;
  readonly #sin: Float64Array;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1)
      throw new ShapeError('rfft', `the signal length must be a positive integer, found ${n}`);
    this.n = n;
    this.bins = (n >> 1) + 1;
    this.#half = n % 2 === 0;
    const len = this.#half ? n >> 1 : n;
    this.#plan = planFor(len);
    this.#re = new Float64Array(len);
    this.#im = new Float64Array(len);
    const h = this.#half ? n >> 1 : 0;
    this.#cos = new Float64Array(h + 1);
    this.#sin = new Float64Array(h + 1);
    for (let k = 0; k <= h; k++) {
      this.#cos[k] = Math.cos((2 * Math.PI * k) / n);
      this.#sin[k] = Math.sin((2 * Math.PI * k) / n);
    }
    // Exact values at the Nyquist bin, so a real input gets an exactly real X_{n/2}.
    if (h > 0) {
      this.#cos[h] = -1;
      this.#sin[h] = 0;
    }
  }

  /** Spectrum of x[offset .. offset + n) into re/im (each `bins` long, written from `outOffset`). */
  forward(x: ArrayLike<number>, offset: number, re: Float64Array, im: Float64Array, outOffset = 0): void {
    const n = this.n;
    const zr = this.#re;
    const zi = this.#im;
    if (!this.#half) {
      for (let t = 0; t < n; t++) zr[t] = x[offset + t]!;
      zi.fill(0);
      this.#plan.transform(zr, zi, false);
      for (let k = 0; k < this.bins; k++) {
        re[outOffset + k] = zr[k]!;
        im[outOffset + k] = zi[k]!;
      }
      return;
    }
    const h = n >> 1;
    for (let j = 0; j < h; j++) {
      zr[j] = x[offset + 2 * j]!;
      zi[j] = x[offset + 2 * j + 1]!;
    }
    this.#plan.transform(zr, zi, false);
    for (let k = 0; k <= h; k++) {
      // Z_k = E_k + i·O_k with E, O the spectra of the even and odd samples; untangle with conj(Z_{h−k}).
      const a = k % h;
      const b = (h - k) % h;
      const zRe = zr[a]!;
      const zIm = zi[a]!;
      const cRe = zr[b]!;
      const cIm = -zi[b]!;
      const eRe = 0.5 * (zRe + cRe);
      const eIm = 0.5 * (zIm + cIm);
      const oRe = 0.5 * (zIm - cIm);
      const oIm = -0.5 * (zRe - cRe);
      // X_k = E_k + e^{-2πi·k/n}·O_k
      const c = this.#cos[k]!;
      const s = this.#sin[k]!;
      re[outOffset + k] = eRe + c * oRe + s * oIm;
      im[outOffset + k] = eIm + c * oIm - s * oRe;
    }
  }

  /** The real signal (n values, written at out[offset..]) of the `bins` bins re/im from `inOffset`. */
  inverse(
    re: ArrayLike<number>,
    im: ArrayLike<number>,
    inOffset: number,
    out: Float64Array,
    offset = 0,
  ): void {
    const n = this.n;
    const zr = this.#re;
    const zi = this.#im;
    if (!this.#half) {
      // Rebuild the Hermitian spectrum X_{n−k} = conj(X_k); the imaginary part of X₀ is ignored.
      zr[0] = re[inOffset]!;
      zi[0] = 0;
      for (let k = 1; k < this.bins; k++) {
        zr[k] = zr[n - k] = re[inOffset + k]!;
        zi[k] = im[inOffset + k]!;
        zi[n - k] = -im[inOffset + k]!;
      }
      this.#plan.transform(zr, zi, true);
      for (let t = 0; t < n; t++) out[offset + t] = zr[t]! / n;
      return;
    }
    const h = n >> 1;
    for (let k = 0; k < h; k++) {
      // E_k = (X_k + conj(X_{h−k}))/2, O_k = (X_k − conj(X_{h−k}))·e^{2πi·k/n}/2, Z_k = E_k + i·O_k.
      const xRe = re[inOffset + k]!;
      const xIm = k === 0 ? 0 : im[inOffset + k]!;
      const yRe = re[inOffset + h - k]!;
      const yIm = k === 0 ? 0 : -im[inOffset + h - k]!;
      const eRe = 0.5 * (xRe + yRe);
      const eIm = 0.5 * (xIm + yIm);
      const dRe = 0.5 * (xRe - yRe);
      const dIm = 0.5 * (xIm - yIm);
      const c = this.#cos[k]!;
      const s = this.#sin[k]!;
      const oRe = dRe * c - dIm * s;
      const oIm = dRe * s + dIm * c;
      zr[k] = eRe - oIm;
      zi[k] = eIm + oRe;
    }
    this.#plan.transform(zr, zi, true);
    for (let j = 0; j < h; j++) {
      out[offset + 2 * j] = zr[j]! / h;
      out[offset + 2 * j + 1] = zi[j]! / h;
    }
  }
}

const REAL_PLANS = new Map<number, RealFft>();

/** The cached real transform of length n. */
export function realFftFor(n: number): RealFft {
  let plan = REAL_PLANS.get(n);
  if (!plan) {
    plan = new RealFft(n);
    if (REAL_PLANS.size >= 64) REAL_PLANS.delete(REAL_PLANS.keys().next().value!);
    REAL_PLANS.set(n, plan);
  }
  return plan;
}

import { ShapeError } from '../../errors.js';

/**
 * A complex discrete Fourier transform of one length, reusable across calls:
 * X_k = Σ_t x_t·e^{∓2πi·k·t/n} (minus sign forward, plus inverse, unnormalised both ways).
 *
 * Powers of two run the iterative radix-2 algorithm; every other length runs Bluestein's chirp-z
 * algorithm, which rewrites the transform as a convolution and evaluates that with a power-of-two
 * transform of length ≥ 2n − 1. Both cost O(n log n) and are accurate to a few ε·log n.
 */
export class FftPlan {
  readonly n: number;
  readonly #radix2: Radix2 | null;
  readonly #bluestein: Bluestein | null;

  constructor(n: number) {
    if (!Number.isInteger(n) || n < 1)
      throw new ShapeError('fft', `the transform length must be a positive integer, found ${n}`);
    this.n = n;
    const pow2 = (n & (n - 1)) === 0;
    this.#radix2 = pow2 ? new Radix2(n) : null;
    this.#bluestein = pow2 ? null : new Bluestein(n);
  }

  /** Transforms (re, im), both of length n, in place. */
  transform(re: Float64Array, im: Float64Array, inverse: boolean): void {
    if (this.#radix2) this.#radix2.transform(re, im, inverse);
    else this.#bluestein!.transform(re, im, inverse);
  }
}

const PLANS = new Map<number, FftPlan>();
const MAX_PLANS = 64;

/** The cached plan for length n (plans hold twiddle tables and scratch, so they are worth keeping). */
export function planFor(n: number): FftPlan {
  let plan = PLANS.get(n);
  if (!plan) {
    plan = new FftPlan(n);
    if (PLANS.size >= MAX_PLANS) PLANS.delete(PLANS.keys().next().value!);
    PLANS.set(n, plan);
  }
  return plan;
}

/** The smallest power of two ≥ n. */
export function nextPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

class Radix2 {
  readonly #n: number;
  readonly #reverse: Uint32Array;
  readonly #cos: Float64Array;
  readonly #sin: Float64Array;

  constructor(n: number) {
    this.#n = n;
    const bits = Math.round(Math.log2(n));
    this.#reverse = new Uint32Array(n);
    for (let i = 0; i < n; i++) {
      let r = 0;
      for (let b = 0; b < bits; b++) r |= ((i >>> b) & 1) << (bits - 1 - b);
      this.#reverse[i] = r;
    }
    // Twiddles e^{-2πi·j/n}, j < n/2, each from its own cos/sin call (no accumulated recurrence error).
    this.#cos = new Float64Array(n >> 1);
    this.#sin = new Float64Array(n >> 1);
    for (let j = 0; j < n >> 1; j++) {
      this.#cos[j] = Math.cos((2 * Math.PI * j) / n);
      this.#sin[j] = Math.sin((2 * Math.PI * j) / n);
    }
  }

  transform(re: Float64Array, im: Float64Array, inverse: boolean): void {
    const n = this.#n;
    const rev = this.#reverse;
    for (let i = 0; i < n; i++) {
      const j = rev[i]!;
      if (j > i) {
        const tr = re[i]!;
        re[i] = re[j]!;
        re[j] = tr;
        const ti = im[i]!;
        im[i] = im[j]!;
        im[j] = ti;
      }
    }
    const cos = this.#cos;
    const sin = this.#sin;
    const sign = inverse ? 1 : -1;
    for (let size = 2; size <= n; size *= 2) {
      const half = size >> 1;
      const step = n / size;
      for (let k = 0; k < half; k++) {
        const wr = cos[k * step]!;
        const wi = sign * sin[k * step]!;
        for (let start = k; start < n; start += size) {
          const b = start + half;
          const tr = re[b]! * wr - im[b]! * wi;
          const ti = re[b]! * wi + im[b]! * wr;
          re[b] = re[start]! - tr;
          im[b] = im[start]! - ti;
          re[start]! += tr;
          im[start]! += ti;
        }
      }
    }
  }
}

/**
 * Bluestein: with the chirp w_k = e^{-πi·k²/n}, k·t = (k² + t² − (k−t)²)/2 turns the DFT into
 * X_k = w_k · Σ_t (x_t·w_t)·conj(w_{k−t}), a convolution evaluated by power-of-two FFTs.
 */
class Bluestein {
  readonly #n: number;
  readonly #m: number;
  readonly #plan: FftPlan;
  readonly #chirpRe: Float64Array;
  readonly #chirpIm: Float64Array;
  /** The transform of the zero-padded, wrapped conj(chirp), computed once. */
  readonly #kernelRe: Float64Array;
  readonly #kernelIm: Float64Array;
  readonly #workRe: Float64Array;
  readonly #workIm: Float64Array;

  constructor(n: number) {
    this.#n = n;
    const m = nextPowerOfTwo(2 * n - 1);
    this.#m = m;
    this.#plan = planFor(m);
    this.#chirpRe = new Float64Array(n);
    this.#chirpIm = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      // k² mod 2n keeps the angle small, so the chirp stays accurate for large k.
      const angle = (Math.PI * ((k * k) % (2 * n))) / n;
      this.#chirpRe[k] = Math.cos(angle);
      this.#chirpIm[k] = -Math.sin(angle);
    }
    this.#kernelRe = new Float64Array(m);
    this.#kernelIm = new Float64Array(m);
    this.#kernelRe[0] = 1;
    for (let k = 1; k < n; k++) {
      this.#kernelRe[k] = this.#kernelRe[m - k] = this.#chirpRe[k]!;
      this.#kernelIm[k] = this.#kernelIm[m - k] = -this.#chirpIm[k]!;
    }
    this.#plan.transform(this.#kernelRe, this.#kernelIm, false);
    this.#workRe = new Float64Array(m);
    this.#workIm = new Float64Array(m);
  }

  transform(re: Float64Array, im: Float64Array, inverse: boolean): void {
    const n = this.#n;
    const m = this.#m;
    const cr = this.#chirpRe;
    const ci = this.#chirpIm;
    const wr = this.#workRe;
    const wi = this.#workIm;
    // The inverse transform is conj(DFT(conj(x))): conjugate on the way in and out.
    const s = inverse ? -1 : 1;
    for (let k = 0; k < n; k++) {
      const xr = re[k]!;
      const xi = s * im[k]!;
      wr[k] = xr * cr[k]! - xi * ci[k]!;
      wi[k] = xr * ci[k]! + xi * cr[k]!;
    }
    wr.fill(0, n);
    wi.fill(0, n);
    this.#plan.transform(wr, wi, false);
    const kr = this.#kernelRe;
    const ki = this.#kernelIm;
    for (let k = 0; k < m; k++) {
      const a = wr[k]!;
      const b = wi[k]!;
      wr[k] = a * kr[k]! - b * ki[k]!;
      wi[k] = a * ki[k]! + b * kr[k]!;
    }
    this.#plan.transform(wr, wi, true);
    const scale = 1 / m;
    for (let k = 0; k < n; k++) {
      const a = wr[k]! * scale;
      const b = wi[k]! * scale;
      re[k] = a * cr[k]! - b * ci[k]!;
      im[k] = s * (a * ci[k]! + b * cr[k]!);
    }
  }
}

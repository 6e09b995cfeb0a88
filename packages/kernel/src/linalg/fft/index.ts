import { ShapeError } from '../../errors.js';
import { nextPowerOfTwo, planFor } from './plan.js';
import { realFftFor } from './real.js';

export { FftPlan, nextPowerOfTwo, planFor } from './plan.js';
export { RealFft, realFftFor } from './real.js';

/** A complex vector as separate real and imaginary parts of equal length. */
export interface Complex {
  readonly re: Float64Array;
  readonly im: Float64Array;
}

function complexInput(op: string, re: ArrayLike<number>, im: ArrayLike<number> | undefined): Complex {
  if (im !== undefined && im.length !== re.length) {
    throw new ShapeError(op, `real and imaginary parts differ in length (${re.length} vs ${im.length})`);
  }
  if (re.length < 1) throw new ShapeError(op, 'needs at least one value');
  return {
    re: Float64Array.from(re),
    im: im === undefined ? new Float64Array(re.length) : Float64Array.from(im),
  };
}

/** The DFT X_k = Σ_t x_t·e^{-2πi·k·t/n} of a complex (or, without `im`, real) vector of any length ≥ 1. */
export function fft(re: ArrayLike<number>, im?: ArrayLike<number>): Complex {
  const x = complexInput('linalg.fft.fft', re, im);
  planFor(x.re.length).transform(x.re, x.im, false);
  return x;
}

/** The inverse DFT x_t = (1/n)·Σ_k X_k·e^{2πi·k·t/n}, so that ifft(fft(x)) = x (numpy's scaling). */
export function ifft(re: ArrayLike<number>, im?: ArrayLike<number>): Complex {
  const x = complexInput('linalg.fft.ifft', re, im);
  const n = x.re.length;
  planFor(n).transform(x.re, x.im, true);
  for (let i = 0; i < n; i++) {
    x.re[i]! /= n;
    x.im[i]! /= n;
  }
  return x;
}

/**
 * The spectrum of a real signal at its ⌊n/2⌋ + 1 non-negative frequencies, as numpy's `rfft(x, n)`:
 * with `n`, the signal is cut to n samples or padded with zeros to n.
 */
export function rfft(x: ArrayLike<number>, n: number = x.length): Complex {
  if (!Number.isInteger(n) || n < 1)
    throw new ShapeError('linalg.fft.rfft', `the length must be a positive integer, found ${n}`);
  let signal: ArrayLike<number> = x;
  if (x.length !== n) {
    const fitted = new Float64Array(n);
    for (let i = 0; i < Math.min(n, x.length); i++) fitted[i] = x[i]!;
    signal = fitted;
  }
  const plan = realFftFor(n);
  const out = { re: new Float64Array(plan.bins), im: new Float64Array(plan.bins) };
  plan.forward(signal, 0, out.re, out.im);
  return out;
}

/**
 * The real signal of length n whose rfft is (re, im), as numpy's `irfft(X, n)`: n defaults to
 * 2·(bins − 1); missing bins count as zero and extra bins are ignored; the imaginary parts of the
 * zero-frequency and (for even n) Nyquist bins are ignored. irfft(rfft(x), x.length) = x.
 */
export function irfft(
  re: ArrayLike<number>,
  im: ArrayLike<number>,
  n: number = 2 * (re.length - 1),
): Float64Array {
  const op = 'linalg.fft.irfft';
  if (im.length !== re.length)
    throw new ShapeError(op, `real and imaginary parts differ in length (${re.length} vs ${im.length})`);
  if (!Number.isInteger(n) || n < 1)
    throw new ShapeError(op, `the output length must be a positive integer, found ${n}`);
  const plan = realFftFor(n);
  const bins = plan.bins;
  const r = new Float64Array(bins);
  const i = new Float64Array(bins);
  for (let k = 0; k < Math.min(bins, re.length); k++) {
    r[k] = re[k]!;
    i[k] = im[k]!;
  }
  const out = new Float64Array(n);
  plan.inverse(r, i, 0, out);
  return out;
}

/**
 * The causal (full-length-truncated) linear convolution y_t = Σ_{s ≤ t} h_s·x_{t−s}, t < x.length,
 * of a signal with a kernel, through power-of-two real transforms of length ≥ x.length + h.length − 1.
 */
export function convolveCausal(x: ArrayLike<number>, h: ArrayLike<number>): Float64Array {
  const op = 'linalg.fft.convolveCausal';
  if (x.length < 1 || h.length < 1)
    throw new ShapeError(op, `signal and kernel must be non-empty (found ${x.length}, ${h.length})`);
  const len = nextPowerOfTwo(x.length + h.length - 1);
  const a = rfft(x, len);
  const b = rfft(h, len);
  for (let k = 0; k < a.re.length; k++) {
    const re = a.re[k]! * b.re[k]! - a.im[k]! * b.im[k]!;
    a.im[k] = a.re[k]! * b.im[k]! + a.im[k]! * b.re[k]!;
    a.re[k] = re;
  }
  return irfft(a.re, a.im, len).slice(0, x.length);
}

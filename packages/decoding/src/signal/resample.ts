import { ValidationError } from '@neurite/kernel';

/** Modified Bessel function of the first kind, order 0 (power series; converges fast for Kaiser betas). */
export function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  const q = (x * x) / 4;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

export function kaiserWindow(length: number, beta: number): Float64Array {
  const w = new Float64Array(length);
  const denom = besselI0(beta);
  for (let n = 0; n < length; n++) {
    const r = length > 1 ? (2 * n) / (length - 1) - 1 : 0;
    w[n] = besselI0(beta * Math.sqrt(Math.max(0, 1 - r * r))) / denom;
  }
  return w;
}

/** Windowed-sinc low-pass FIR (scipy's firwin) with `cutoff` relative to Nyquist, unit gain at DC. */
export function firwinLowpass(taps: number, cutoff: number, window: Float64Array): Float64Array {
  const h = new Float64Array(taps);
  const mid = (taps - 1) / 2;
  let sum = 0;
  for (let n = 0; n < taps; n++) {
    const m = n - mid;
    const arg = Math.PI * cutoff * m;
    h[n] = cutoff * (m === 0 ? 1 : Math.sin(arg) / arg) * window[n]!;
    sum += h[n]!;
  }
  for (let n = 0; n < taps; n++) h[n] = h[n]! / sum;
  return h;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** Upsample by `up` (zeros between samples), filter with h, keep every `down`-th output. */
function upfirdn(
  h: Float64Array,
  x: ArrayLike<number>,
  up: number,
  down: number,
  start: number,
  count: number,
): Float64Array {
  const out = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    // Output sample j of the full convolution of the upsampled signal: Σ_k h[k]·xup[j − k], xup[m] = x[m/up].
    const j = (start + i) * down;
    let acc = 0;
    // Only k ≡ j (mod up) meet a non-zero upsampled sample.
    let k = j % up;
    for (; k < h.length && k <= j; k += up) {
      const m = (j - k) / up;
      if (m < x.length) acc += h[k]! * x[m]!;
    }
    out[i] = acc;
  }
  return out;
}

/**
 * Polyphase resampling by up/down with a Kaiser-windowed (β = 5) anti-aliasing filter of 2·10·max(up, down)
 * + 1 taps, aligned so output sample i is at input time i·down/up — the same output as scipy's
 * `resample_poly(x, up, down)` with zero padding at the ends.
 */
export function resamplePoly(x: ArrayLike<number>, up: number, down: number): Float64Array {
  if (!Number.isInteger(up) || !Number.isInteger(down) || up < 1 || down < 1) {
    throw new ValidationError('resamplePoly', [
      { path: 'up/down', message: `must be positive integers (were ${up}, ${down})` },
    ]);
  }
  const g = gcd(up, down);
  up /= g;
  down /= g;
  if (up === 1 && down === 1) return Float64Array.from(x as ArrayLike<number>);
  const nIn = x.length;
  const nOut = Math.floor((nIn * up) / down) + ((nIn * up) % down ? 1 : 0);
  const maxRate = Math.max(up, down);
  const halfLen = 10 * maxRate;
  const taps = 2 * halfLen + 1;
  const base = firwinLowpass(taps, 1 / maxRate, kaiserWindow(taps, 5));
  const prePad = down - (halfLen % down);
  const preRemove = Math.floor((halfLen + prePad) / down);
  let postPad = 0;
  const outputLength = (lenH: number) => Math.floor(((nIn - 1) * up + lenH - 1) / down) + 1;
  while (outputLength(taps + prePad + postPad) < nOut + preRemove) postPad++;
  const h = new Float64Array(prePad + taps + postPad);
  for (let i = 0; i < taps; i++) h[prePad + i] = base[i]! * up;
  return upfirdn(h, x, up, down, preRemove, nOut);
}

/** Resamples to a new rate given as a ratio of integers found from the two rates (to 1e-9). */
export function resampleTo(x: ArrayLike<number>, fromRate: number, toRate: number): Float64Array {
  // Find small integers up/down with up/down = toRate/fromRate.
  const scale = 1e6;
  let up = Math.round(toRate * scale);
  let down = Math.round(fromRate * scale);
  const g = gcd(up, down);
  up /= g;
  down /= g;
  if (up > 10000 || down > 10000) {
    throw new ValidationError('resampleTo', [
      {
        path: 'rates',
        message: `${fromRate} → ${toRate} Hz needs a ratio of small integers (found ${up}/${down})`,
      },
    ]);
  }
  return resamplePoly(x, up, down);
}

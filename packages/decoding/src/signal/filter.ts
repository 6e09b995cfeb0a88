import { ValidationError } from '@neurite/kernel';
import type { Sos } from './iir-design.js';

/**
 * Causal and zero-phase IIR filtering with scipy's conventions: direct form II transposed, steady-state
 * initial conditions (`lfilter_zi`, `sosfilt_zi`), and forward–backward filtering over an odd
 * extension of the signal so the ends neither ring nor jump.
 */

/** Filters `x` through the sections; `zi` (n × 2, scaled by the caller) gives initial states. */
export function sosfilt(
  sos: Sos,
  x: ArrayLike<number>,
  zi?: Float64Array,
): { y: Float64Array; zf: Float64Array } {
  const sections = sos.length / 6;
  const state = zi ? Float64Array.from(zi) : new Float64Array(sections * 2);
  const y = Float64Array.from(x as ArrayLike<number>);
  for (let s = 0; s < sections; s++) {
    const o = s * 6;
    const b0 = sos[o]!,
      b1 = sos[o + 1]!,
      b2 = sos[o + 2]!,
      a1 = sos[o + 4]!,
      a2 = sos[o + 5]!;
    let z0 = state[2 * s]!;
    let z1 = state[2 * s + 1]!;
    for (let n = 0; n < y.length; n++) {
      const xn = y[n]!;
      const yn = b0 * xn + z0;
      z0 = b1 * xn - a1 * yn + z1;
      z1 = b2 * xn - a2 * yn;
      y[n] = yn;
    }
    state[2 * s] = z0;
    state[2 * s + 1] = z1;
  }
  return { y, zf: state };
}

/**
 * Initial states of `lfilter` for a unit step input in steady state, solving zi = A·zi + B in closed form
 * (the companion-matrix system has a triangular structure).
 */
export function lfilterZi(b: readonly number[], a: readonly number[]): Float64Array {
  const a0 = a[0]!;
  if (a0 === 0) throw new ValidationError('lfilterZi', [{ path: 'a[0]', message: 'must not be 0' }]);
  const n = Math.max(a.length, b.length);
  const bn = Array.from({ length: n }, (_, i) => (b[i] ?? 0) / a0);
  const an = Array.from({ length: n }, (_, i) => (a[i] ?? 0) / a0);
  const zi = new Float64Array(n - 1);
  if (n < 2) return zi;
  let asum = 1;
  let csum = 0;
  for (let k = 1; k < n; k++) {
    asum += an[k]!;
    csum += bn[k]! - an[k]! * bn[0]!;
  }
  zi[0] = csum / asum;
  asum = 1;
  csum = 0;
  for (let k = 1; k < n - 1; k++) {
    asum += an[k]!;
    csum += bn[k]! - an[k]! * bn[0]!;
    zi[k] = asum * zi[0]! - csum;
  }
  return zi;
}

/** Steady-state initial states of each section for a unit step, scaled by the preceding sections' DC gain. */
export function sosfiltZi(sos: Sos): Float64Array {
  const sections = sos.length / 6;
  const zi = new Float64Array(sections * 2);
  let scale = 1;
  for (let s = 0; s < sections; s++) {
    const row = Array.from(sos.subarray(s * 6, s * 6 + 6));
    const b = row.slice(0, 3);
    const a = row.slice(3);
    const z = lfilterZi(b, a);
    zi[2 * s] = scale * z[0]!;
    zi[2 * s + 1] = scale * z[1]!;
    scale *= (b[0]! + b[1]! + b[2]!) / (a[0]! + a[1]! + a[2]!);
  }
  return zi;
}

/** Odd extension by `n` samples at each end: 2·x[0] − x[n..1], x, 2·x[−1] − x[−2..−n−1]. */
export function oddExtend(x: ArrayLike<number>, n: number): Float64Array {
  const len = x.length;
  const out = new Float64Array(len + 2 * n);
  const first = x[0]!;
  const last = x[len - 1]!;
  for (let i = 0; i < n; i++) out[i] = 2 * first - x[n - i]!;
  for (let i = 0; i < len; i++) out[n + i] = x[i]!;
  for (let i = 0; i < n; i++) out[n + len + i] = 2 * last - x[len - 2 - i]!;
  return out;
}

function reverse(x: Float64Array): Float64Array {
  return x.slice().reverse();
}

/**
 * Zero-phase filtering with second-order sections (scipy's `sosfiltfilt`): odd extension by
 * 3 × (2·sections + 1 − trailing zero coefficients) samples, forward pass from steady state at the first
 * sample, backward pass from steady state at the last output, extension removed.
 */
export function sosfiltfilt(sos: Sos, x: ArrayLike<number>, options: { padlen?: number } = {}): Float64Array {
  const sections = sos.length / 6;
  let zerosB = 0;
  let zerosA = 0;
  for (let s = 0; s < sections; s++) {
    if (sos[s * 6 + 2] === 0) zerosB++;
    if (sos[s * 6 + 5] === 0) zerosA++;
  }
  const ntaps = 2 * sections + 1 - Math.min(zerosB, zerosA);
  const padlen = options.padlen ?? 3 * ntaps;
  if (x.length <= padlen) {
    throw new ValidationError('sosfiltfilt', [
      { path: 'x', message: `needs more than ${padlen} samples (the edge padding), found ${x.length}` },
    ]);
  }
  const ext = padlen > 0 ? oddExtend(x, padlen) : Float64Array.from(x as ArrayLike<number>);
  const zi = sosfiltZi(sos);
  const forward = sosfilt(
    sos,
    ext,
    zi.map((v) => v * ext[0]!),
  ).y;
  const back = reverse(forward);
  const backward = sosfilt(
    sos,
    back,
    zi.map((v) => v * back[0]!),
  ).y;
  return reverse(backward)
    .subarray(padlen, padlen + x.length)
    .slice();
}

/** Direct-form II transposed filter of any order (scipy's `lfilter`). */
export function lfilter(
  b: readonly number[],
  a: readonly number[],
  x: ArrayLike<number>,
  zi?: ArrayLike<number>,
): { y: Float64Array; zf: Float64Array } {
  const n = Math.max(a.length, b.length);
  const a0 = a[0]!;
  const bn = Array.from({ length: n }, (_, i) => (b[i] ?? 0) / a0);
  const an = Array.from({ length: n }, (_, i) => (a[i] ?? 0) / a0);
  const z = new Float64Array(n - 1);
  if (zi) z.set(Array.from(zi));
  const y = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const xi = x[i]!;
    const yi = bn[0]! * xi + (n > 1 ? z[0]! : 0);
    for (let k = 1; k < n - 1; k++) z[k - 1] = bn[k]! * xi - an[k]! * yi + z[k]!;
    if (n > 1) z[n - 2] = bn[n - 1]! * xi - an[n - 1]! * yi;
    y[i] = yi;
  }
  return { y, zf: z };
}

/** Zero-phase filtering with a transfer function (scipy's `filtfilt`, padlen 3 × max(len(a), len(b))). */
export function filtfilt(
  b: readonly number[],
  a: readonly number[],
  x: ArrayLike<number>,
  options: { padlen?: number } = {},
): Float64Array {
  const padlen = options.padlen ?? 3 * Math.max(a.length, b.length);
  if (x.length <= padlen) {
    throw new ValidationError('filtfilt', [
      { path: 'x', message: `needs more than ${padlen} samples (the edge padding), found ${x.length}` },
    ]);
  }
  const ext = padlen > 0 ? oddExtend(x, padlen) : Float64Array.from(x as ArrayLike<number>);
  const zi = lfilterZi(b, a);
  const forward = lfilter(
    b,
    a,
    ext,
    zi.map((v) => v * ext[0]!),
  ).y;
  const back = reverse(forward);
  const backward = lfilter(
    b,
    a,
    back,
    zi.map((v) => v * back[0]!),
  ).y;
  return reverse(backward)
    .subarray(padlen, padlen + x.length)
    .slice();
}

/** The transfer function (b, a) of second-order sections, by polynomial multiplication. */
export function sos2tf(sos: Sos): { b: number[]; a: number[] } {
  let b = [1];
  let a = [1];
  const mul = (p: number[], q: number[]) => {
    const out = new Array<number>(p.length + q.length - 1).fill(0);
    p.forEach((pv, i) => {
      q.forEach((qv, j) => {
        out[i + j]! += pv * qv;
      });
    });
    return out;
  };
  for (let s = 0; s < sos.length / 6; s++) {
    b = mul(b, Array.from(sos.subarray(s * 6, s * 6 + 3)));
    a = mul(a, Array.from(sos.subarray(s * 6 + 3, s * 6 + 6)));
  }
  return { b, a };
}

import { ValidationError } from '@neurite/kernel';
import {
  type Complex,
  c,
  cabs,
  cadd,
  cconj,
  cdiv,
  cis,
  cmul,
  cneg,
  cprod,
  cscale,
  csqrt,
  csub,
} from './complex.js';

/**
 * IIR filter design as in scipy.signal: an analog prototype (Butterworth or Chebyshev type I) in
 * zero/pole/gain form, a frequency transformation (low-, high-, band-pass, band-stop) to prewarped
 * corner frequencies, the bilinear transform, and pairing into second-order sections.
 *
 * Second-order sections are rows of 6 numbers `[b0, b1, b2, 1, a1, a2]`, in a Float64Array of n × 6.
 */
export type Sos = Float64Array;
export type FilterType = 'lowpass' | 'highpass' | 'bandpass' | 'bandstop';

interface Zpk {
  z: Complex[];
  p: Complex[];
  k: number;
}

/** Butterworth analog prototype: N poles evenly spaced on the left half of the unit circle. */
export function buttap(order: number): Zpk {
  const p: Complex[] = [];
  for (let m = -order + 1; m < order; m += 2) p.push(cneg(cis((Math.PI * m) / (2 * order))));
  return { z: [], p, k: 1 };
}

/** Chebyshev type I analog prototype with `rippleDb` of passband ripple. */
export function cheb1ap(order: number, rippleDb: number): Zpk {
  const eps = Math.sqrt(10 ** (0.1 * rippleDb) - 1);
  const mu = Math.asinh(1 / eps) / order;
  const p: Complex[] = [];
  for (let m = -order + 1; m < order; m += 2) {
    const theta = (Math.PI * m) / (2 * order);
    // −sinh(μ + iθ) = −(sinh μ cos θ + i cosh μ sin θ)
    p.push(c(-Math.sinh(mu) * Math.cos(theta), -Math.cosh(mu) * Math.sin(theta)));
  }
  let k = cprod(p.map(cneg)).re;
  if (order % 2 === 0) k /= Math.sqrt(1 + eps * eps);
  return { z: [], p, k };
}

function lp2lp({ z, p, k }: Zpk, wo: number): Zpk {
  const degree = p.length - z.length;
  return { z: z.map((v) => cscale(v, wo)), p: p.map((v) => cscale(v, wo)), k: k * wo ** degree };
}

function lp2hp({ z, p, k }: Zpk, wo: number): Zpk {
  const degree = p.length - z.length;
  const zh = z.map((v) => cdiv(c(wo), v));
  const ph = p.map((v) => cdiv(c(wo), v));
  for (let i = 0; i < degree; i++) zh.push(c(0));
  const gain = cdiv(cprod(z.map(cneg)), cprod(p.map(cneg))).re;
  return { z: zh, p: ph, k: k * gain };
}

function lp2bp({ z, p, k }: Zpk, wo: number, bw: number): Zpk {
  const degree = p.length - z.length;
  const split = (v: Complex): Complex[] => {
    const s = cscale(v, bw / 2);
    const root = csqrt(csub(cmul(s, s), c(wo * wo)));
    return [cadd(s, root), csub(s, root)];
  };
  const zb = z.flatMap(split);
  const pb = p.flatMap(split);
  for (let i = 0; i < degree; i++) zb.push(c(0));
  return { z: zb, p: pb, k: k * bw ** degree };
}

function lp2bs({ z, p, k }: Zpk, wo: number, bw: number): Zpk {
  const degree = p.length - z.length;
  const split = (v: Complex): Complex[] => {
    const s = cdiv(c(bw / 2), v);
    const root = csqrt(csub(cmul(s, s), c(wo * wo)));
    return [cadd(s, root), csub(s, root)];
  };
  const zb = z.flatMap(split);
  const pb = p.flatMap(split);
  for (let i = 0; i < degree; i++) zb.push(c(0, wo), c(0, -wo));
  const gain = cdiv(cprod(z.map(cneg)), cprod(p.map(cneg))).re;
  return { z: zb, p: pb, k: k * gain };
}

/** Bilinear transform s → 2fs (z − 1)/(z + 1); zeros at infinity map to z = −1. */
function bilinear({ z, p, k }: Zpk, fs: number): Zpk {
  const fs2 = c(2 * fs);
  const degree = p.length - z.length;
  const zz = z.map((v) => cdiv(cadd(fs2, v), csub(fs2, v)));
  const pz = p.map((v) => cdiv(cadd(fs2, v), csub(fs2, v)));
  for (let i = 0; i < degree; i++) zz.push(c(-1));
  const gain = cdiv(cprod(z.map((v) => csub(fs2, v))), cprod(p.map((v) => csub(fs2, v)))).re;
  return { z: zz, p: pz, k: k * gain };
}

const CONJ_TOL = 1e-9;

/**
 * Pairs poles and zeros into second-order sections. Poles are taken from the one closest to the unit
 * circle, each with its conjugate (or the next real pole), and given the nearest zeros; the sections
 * closest to instability come last, as in scipy's `nearest` pairing, which keeps intermediate gains sane.
 */
export function zpk2sos(zIn: readonly Complex[], pIn: readonly Complex[], k: number): Sos {
  const poles = [...pIn];
  const zeros = [...zIn];
  while (zeros.length < poles.length) zeros.push(c(0));
  while (poles.length < zeros.length) poles.push(c(0));
  const sections: number[][] = [];
  const take = (list: Complex[], index: number) => list.splice(index, 1)[0]!;
  const nearestIndex = (list: Complex[], to: Complex, realOnly = false) => {
    let best = -1;
    let dist = Number.POSITIVE_INFINITY;
    list.forEach((v, i) => {
      if (realOnly && Math.abs(v.im) > CONJ_TOL) return;
      const d = cabs(csub(v, to));
      if (d < dist) [best, dist] = [i, d];
    });
    return best;
  };
  const conjugateIndex = (list: Complex[], of: Complex) => nearestIndex(list, cconj(of));
  while (poles.length > 0) {
    let i1 = 0;
    poles.forEach((v, i) => {
      if (Math.abs(1 - cabs(v)) < Math.abs(1 - cabs(poles[i1]!))) i1 = i;
    });
    const p1 = take(poles, i1);
    let p2: Complex;
    if (Math.abs(p1.im) > CONJ_TOL) p2 = take(poles, conjugateIndex(poles, p1));
    else {
      const j = nearestIndex(poles, p1, true);
      p2 = j >= 0 ? take(poles, j) : c(0);
    }
    const z1 = take(zeros, nearestIndex(zeros, p1));
    let z2: Complex;
    if (Math.abs(z1.im) > CONJ_TOL) z2 = take(zeros, conjugateIndex(zeros, z1));
    else {
      const j = nearestIndex(zeros, p1, true);
      z2 = j >= 0 ? take(zeros, j) : zeros.length > 0 ? take(zeros, 0) : c(0);
    }
    sections.push([1, -(z1.re + z2.re), cmul(z1, z2).re, 1, -(p1.re + p2.re), cmul(p1, p2).re]);
  }
  sections.reverse();
  const sos = new Float64Array(sections.length * 6);
  sections.forEach((row, s) => {
    sos.set(row, s * 6);
  });
  for (let j = 0; j < 3; j++) sos[j] = sos[j]! * k;
  return sos;
}

export interface IirOptions {
  readonly order: number;
  /** Corner frequency in Hz (low/high-pass) or [low, high] (band-pass/stop). */
  readonly cutoff: number | readonly [number, number];
  readonly type: FilterType;
  /** Sampling rate in Hz. */
  readonly fs: number;
  readonly design?: 'butter' | 'cheby1';
  /** Passband ripple in dB (Chebyshev type I). */
  readonly rippleDb?: number;
}

/** Designs a digital Butterworth or Chebyshev type I filter as second-order sections. */
export function iirFilter(options: IirOptions): Sos {
  const { order, type, fs } = options;
  const issues: { path: string; message: string }[] = [];
  if (!Number.isInteger(order) || order < 1 || order > 32)
    issues.push({ path: 'order', message: `must be an integer from 1 to 32 (was ${order})` });
  if (!(fs > 0)) issues.push({ path: 'fs', message: `must be positive (was ${fs})` });
  const band = type === 'bandpass' || type === 'bandstop';
  const corners = typeof options.cutoff === 'number' ? [options.cutoff] : [...options.cutoff];
  if (corners.length !== (band ? 2 : 1))
    issues.push({ path: 'cutoff', message: band ? 'needs [low, high]' : 'needs one frequency' });
  if (corners.some((f) => !(f > 0 && f < fs / 2)))
    issues.push({
      path: 'cutoff',
      message: `must lie strictly between 0 and fs/2 = ${fs / 2} Hz (was ${corners.join(', ')})`,
    });
  if (band && !(corners[0]! < corners[1]!))
    issues.push({ path: 'cutoff', message: 'low must be below high' });
  if (issues.length) throw new ValidationError('iirFilter', issues);
  const prototype = options.design === 'cheby1' ? cheb1ap(order, options.rippleDb ?? 1) : buttap(order);
  // Prewarp the corners so the digital filter's corners land exactly where asked (with fs = 2 normalisation).
  const warped = corners.map((f) => 4 * Math.tan((Math.PI * (f / (fs / 2))) / 2));
  let analog: Zpk;
  if (type === 'lowpass') analog = lp2lp(prototype, warped[0]!);
  else if (type === 'highpass') analog = lp2hp(prototype, warped[0]!);
  else {
    const wo = Math.sqrt(warped[0]! * warped[1]!);
    const bw = warped[1]! - warped[0]!;
    analog = type === 'bandpass' ? lp2bp(prototype, wo, bw) : lp2bs(prototype, wo, bw);
  }
  const digital = bilinear(analog, 2);
  return zpk2sos(digital.z, digital.p, digital.k);
}

export function butter(
  order: number,
  cutoff: number | readonly [number, number],
  type: FilterType,
  fs: number,
): Sos {
  return iirFilter({ order, cutoff, type, fs, design: 'butter' });
}

export function cheby1(
  order: number,
  rippleDb: number,
  cutoff: number | readonly [number, number],
  type: FilterType,
  fs: number,
): Sos {
  return iirFilter({ order, cutoff, type, fs, design: 'cheby1', rippleDb });
}

/**
 * Second-order notch at `f0` Hz with quality factor Q (bandwidth f0/Q at −3 dB), as scipy's iirnotch:
 * b = g·[1, −2cos w0, 1], a = [1, −2g cos w0, 2g − 1], g = 1/(1 + tan(bw/2)).
 */
export function iirNotch(f0: number, q: number, fs: number): Sos {
  if (!(f0 > 0 && f0 < fs / 2) || !(q > 0)) {
    throw new ValidationError('iirNotch', [
      { path: 'f0', message: `needs 0 < f0 < fs/2 and Q > 0 (was f0 ${f0}, Q ${q})` },
    ]);
  }
  const w0 = (2 * Math.PI * f0) / fs;
  const bw = w0 / q;
  const g = 1 / (1 + Math.tan(bw / 2));
  const cw = Math.cos(w0);
  return Float64Array.from([g, -2 * g * cw, g, 1, -2 * g * cw, 2 * g - 1]);
}

/**
 * Minimum Chebyshev type I order (and natural frequencies) meeting a band-pass spec, as scipy's cheb1ord:
 * at most `gpassDb` loss in [wp0, wp1] Hz and at least `gstopDb` attenuation outside [ws0, ws1] Hz.
 */
export function cheb1ordBandpass(
  wp: readonly [number, number],
  ws: readonly [number, number],
  gpassDb: number,
  gstopDb: number,
  fs: number,
): { order: number; wn: [number, number] } {
  const warp = (f: number) => Math.tan((Math.PI * (f / (fs / 2))) / 2);
  const p = [warp(wp[0]), warp(wp[1])] as const;
  const nat = Math.min(
    ...[warp(ws[0]), warp(ws[1])].map((s) => Math.abs((s * s - p[0] * p[1]) / (s * (p[0] - p[1])))),
  );
  const gstop = 10 ** (0.1 * Math.abs(gstopDb));
  const gpass = 10 ** (0.1 * Math.abs(gpassDb));
  const order = Math.ceil(Math.acosh(Math.sqrt((gstop - 1) / (gpass - 1))) / Math.acosh(nat));
  return { order, wn: [wp[0], wp[1]] };
}

/** Complex frequency response of second-order sections at `freqs` Hz: |H| and phase. */
export function sosFrequencyResponse(
  sos: Sos,
  freqs: readonly number[],
  fs: number,
): { magnitude: number[]; phase: number[] } {
  const magnitude: number[] = [];
  const phase: number[] = [];
  for (const f of freqs) {
    const z1 = cis((-2 * Math.PI * f) / fs); // z^-1
    const z2 = cmul(z1, z1);
    let h = c(1);
    for (let s = 0; s < sos.length / 6; s++) {
      const o = s * 6;
      const num = cadd(cadd(c(sos[o]!), cscale(z1, sos[o + 1]!)), cscale(z2, sos[o + 2]!));
      const den = cadd(cadd(c(sos[o + 3]!), cscale(z1, sos[o + 4]!)), cscale(z2, sos[o + 5]!));
      h = cmul(h, cdiv(num, den));
    }
    magnitude.push(cabs(h));
    phase.push(Math.atan2(h.im, h.re));
  }
  return { magnitude, phase };
}

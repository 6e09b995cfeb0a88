import { param4, paramAt, word } from './lif-common';
import { partStart } from './parts';

/**
 * `lif_scan` forward of @neurite/neuron-lif's fused multi-step neuron (its OPS.md is the contract), for
 * float32. Arguments come as a descriptor block of 32-bit words (the host writes it into the arena),
 * since the scan takes more tensors than a call should carry.
 *
 * Every scan of a neuron is independent, so parts split the n = B·P neurons; inside a part time runs
 * outermost and neurons innermost, the carried state of the part staying in L1.
 */

// Forward descriptor words.
const F_X = 0;
const F_V0 = 1;
const F_I0 = 2;
const F_A0 = 3;
const F_BETA = 4;
const F_ALPHA = 5;
const F_THR = 6;
const F_RHO = 7;
const F_KAPPA = 8;
/** Bit k set: parameter k (beta, alpha, threshold, rho, kappa) has one value per neuron. */
const F_PER_NEURON = 9;
const F_T = 10;
const F_N = 11;
const F_P = 12;
/** Bits: 1 spiking, 2 synapse, 4 adaptive; reset mode in bits 3–4 (0 subtract, 1 zero, 2 none). */
const F_FLAGS = 13;
const F_VRESET = 14;
const F_S = 15;
const F_H = 16;
const F_I = 17;
const F_A = 18;
const F_VT = 19;
const F_IT = 20;
const F_AT = 21;

/**
 * lif_scan forward. State lives in the final-state outputs (vT, iT, aT), initialised from v0/i0/a0 and
 * updated in place every step. Every multiply and add is a float32 operation in the order of the
 * contract (no fused multiply-add), so results are bit-identical to the reference kernel.
 */
export function lifScanForward(d: usize, part: i32, parts: i32): void {
  const T = <i32>word(d, F_T);
  const n = <i32>word(d, F_N);
  const P = <i32>word(d, F_P);
  const flags = <i32>word(d, F_FLAGS);
  const spiking = (flags & 1) !== 0;
  const synapse = (flags & 2) !== 0;
  const adaptive = (flags & 4) !== 0;
  const reset = (flags >> 3) & 3;
  const vReset = load<f32>(d + (F_VRESET << 2));
  const per = <i32>word(d, F_PER_NEURON);
  const beta = word(d, F_BETA);
  const alpha = word(d, F_ALPHA);
  const thr = word(d, F_THR);
  const rho = word(d, F_RHO);
  const kappa = word(d, F_KAPPA);
  const pBeta = (per & 1) !== 0;
  const pAlpha = (per & 2) !== 0;
  const pThr = (per & 4) !== 0;
  const pRho = (per & 8) !== 0;
  const pKappa = (per & 16) !== 0;
  const x = word(d, F_X);
  const sOut = word(d, F_S);
  const hOut = word(d, F_H);
  const iOut = word(d, F_I);
  const aOut = word(d, F_A);
  const v = word(d, F_VT);
  const cur = word(d, F_IT);
  const ad = word(d, F_AT);

  const j0 = partStart(n, part, parts);
  const j1 = partStart(n, part + 1, parts);
  if (j0 === j1) return;
  const bytes = (<usize>(j1 - j0)) << 2;
  const off0 = (<usize>j0) << 2;
  const v0 = word(d, F_V0);
  if (v0) memory.copy(v + off0, v0 + off0, bytes);
  else memory.fill(v + off0, 0, bytes);
  if (synapse) {
    const i0 = word(d, F_I0);
    if (i0) memory.copy(cur + off0, i0 + off0, bytes);
    else memory.fill(cur + off0, 0, bytes);
  }
  if (adaptive) {
    const a0 = word(d, F_A0);
    if (a0) memory.copy(ad + off0, a0 + off0, bytes);
    else memory.fill(ad + off0, 0, bytes);
  }
  // Plain LIF with subtract reset and plain LI, with one β and θ for the layer: the common layers get a
  // loop without the per-element tests of the general one below (same operations, same results).
  if (!synapse && !adaptive && !pBeta && !pThr && (!spiking || reset === 0)) {
    if (spiking) lifForwardPlain(T, n, j0, j1, x, sOut, hOut, v, beta, thr);
    else liForwardPlain(T, n, j0, j1, x, hOut, v, beta);
    return;
  }
  const resetV = f32x4.splat(vReset);
  const ones = f32x4.splat(1);
  const byteOne = i8x16.splat(1);
  const f0 = j0 % P;

  for (let t = 0; t < T; t++) {
    const o = <usize>t * <usize>n;
    let j = j0;
    let f = f0;
    while (j < j1) {
      const e = (<usize>j) << 2;
      const eo = (o + <usize>j) << 2;
      if (f + 4 <= P && j + 4 <= j1) {
        let input = v128.load(x + eo);
        if (synapse) {
          input = f32x4.add(f32x4.mul(param4(alpha, pAlpha, f), v128.load(cur + e)), input);
          v128.store(cur + e, input);
          v128.store(iOut + eo, input);
        }
        const h = f32x4.add(f32x4.mul(param4(beta, pBeta, f), v128.load(v + e)), input);
        v128.store(hOut + eo, h);
        if (!spiking) {
          v128.store(v + e, h);
        } else {
          let theta = param4(thr, pThr, f);
          let aPrev = f32x4.splat(0);
          if (adaptive) {
            aPrev = v128.load(ad + e);
            theta = f32x4.add(theta, f32x4.mul(param4(kappa, pKappa, f), aPrev));
          }
          const spike = f32x4.gt(h, theta);
          // Lanes of the mask are all ones or zero; narrowing twice leaves one byte per lane.
          const bytes8 = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(spike, spike), i16x8.splat(0));
          v128.store32_lane(sOut + (o + <usize>j), v128.and(bytes8, byteOne), 0);
          let next = h;
          if (reset === 0) next = v128.bitselect(f32x4.sub(h, theta), h, spike);
          else if (reset === 1) next = v128.bitselect(resetV, h, spike);
          v128.store(v + e, next);
          if (adaptive) {
            const a = f32x4.add(f32x4.mul(param4(rho, pRho, f), aPrev), v128.and(ones, spike));
            v128.store(ad + e, a);
            v128.store(aOut + eo, a);
          }
        }
        j += 4;
        f += 4;
      } else {
        let input = load<f32>(x + eo);
        if (synapse) {
          input = load<f32>(paramAt(alpha, pAlpha, f)) * load<f32>(cur + e) + input;
          store<f32>(cur + e, input);
          store<f32>(iOut + eo, input);
        }
        const h = load<f32>(paramAt(beta, pBeta, f)) * load<f32>(v + e) + input;
        store<f32>(hOut + eo, h);
        if (!spiking) {
          store<f32>(v + e, h);
        } else {
          let theta = load<f32>(paramAt(thr, pThr, f));
          let aPrev: f32 = 0;
          if (adaptive) {
            aPrev = load<f32>(ad + e);
            theta = theta + load<f32>(paramAt(kappa, pKappa, f)) * aPrev;
          }
          const spike = h > theta;
          store<u8>(sOut + (o + <usize>j), spike ? 1 : 0);
          store<f32>(v + e, !spike ? h : reset === 0 ? h - theta : reset === 1 ? vReset : h);
          if (adaptive) {
            const a = load<f32>(paramAt(rho, pRho, f)) * aPrev + (spike ? <f32>1 : <f32>0);
            store<f32>(ad + e, a);
            store<f32>(aOut + eo, a);
          }
        }
        j += 1;
        f += 1;
      }
      if (f === P) f = 0;
    }
  }
}

/**
 * The forward of a plain LIF layer (subtract reset) with scalar β and θ over neurons [j0, j1): the
 * general loop's operations for that case, four neurons per v128 with a one-lane tail.
 */
function lifForwardPlain(
  T: i32,
  n: i32,
  j0: i32,
  j1: i32,
  x: usize,
  sOut: usize,
  hOut: usize,
  v: usize,
  beta: usize,
  thr: usize,
): void {
  const b = load<f32>(beta);
  const th = load<f32>(thr);
  const b4 = f32x4.splat(b);
  const th4 = f32x4.splat(th);
  const byteOne = i8x16.splat(1);
  const g1 = j0 + ((j1 - j0) & ~3);
  for (let t = 0; t < T; t++) {
    const o = <usize>t * <usize>n;
    for (let j = j0; j < g1; j += 4) {
      const e = (<usize>j) << 2;
      const eo = (o + <usize>j) << 2;
      const h = f32x4.add(f32x4.mul(b4, v128.load(v + e)), v128.load(x + eo));
      v128.store(hOut + eo, h);
      const spike = f32x4.gt(h, th4);
      // Lanes of the mask are all ones or zero; narrowing twice leaves one byte per lane.
      const bytes8 = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(spike, spike), i16x8.splat(0));
      v128.store32_lane(sOut + (o + <usize>j), v128.and(bytes8, byteOne), 0);
      v128.store(v + e, v128.bitselect(f32x4.sub(h, th4), h, spike));
    }
    for (let j = g1; j < j1; j++) {
      const e = (<usize>j) << 2;
      const eo = (o + <usize>j) << 2;
      const h = b * load<f32>(v + e) + load<f32>(x + eo);
      store<f32>(hOut + eo, h);
      const spike = h > th;
      store<u8>(sOut + (o + <usize>j), spike ? 1 : 0);
      store<f32>(v + e, spike ? h - th : h);
    }
  }
}

/** The forward of a plain LI layer (no spikes) with scalar β over neurons [j0, j1). */
function liForwardPlain(
  T: i32,
  n: i32,
  j0: i32,
  j1: i32,
  x: usize,
  hOut: usize,
  v: usize,
  beta: usize,
): void {
  const b = load<f32>(beta);
  const b4 = f32x4.splat(b);
  const g1 = j0 + ((j1 - j0) & ~3);
  for (let t = 0; t < T; t++) {
    const o = <usize>t * <usize>n;
    for (let j = j0; j < g1; j += 4) {
      const e = (<usize>j) << 2;
      const eo = (o + <usize>j) << 2;
      const h = f32x4.add(f32x4.mul(b4, v128.load(v + e)), v128.load(x + eo));
      v128.store(hOut + eo, h);
      v128.store(v + e, h);
    }
    for (let j = g1; j < j1; j++) {
      const e = (<usize>j) << 2;
      const eo = (o + <usize>j) << 2;
      const h = b * load<f32>(v + e) + load<f32>(x + eo);
      store<f32>(hOut + eo, h);
      store<f32>(v + e, h);
    }
  }
}

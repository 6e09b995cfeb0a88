import {
  B_FLAGS,
  B_GS,
  B_N,
  B_NEEDS,
  B_OUT,
  B_P,
  B_PARAMS,
  B_PDSG_PER_NEURON,
  B_PER_NEURON,
  B_S,
  B_SCRATCH,
  B_SURR,
  B_SURR_P1,
  B_SURR_P2,
  B_SURROGATE,
  B_T,
  B_V0,
  B_VRESET,
  param4,
  paramAt,
  spikes4,
  word,
} from './lif-common';

/**
 * lif_scan_grad for plain LIF and LI layers (no synaptic current, no adaptation), four neurons per
 * float32 lane group. The contract lets kernels carry and sum in float32; against the float64 reference
 * the gradients agree to about 1e-6 of their scale over hundreds of steps. Neurons that do not fill a
 * group of four take the one-lane form below, with the same float32 operations in the same order, so a
 * neuron's result never depends on where a thread's range happens to start.
 */

const INV_SQRT_2PI: f32 = 0.3989422804014327;
const SQRT2: f32 = <f32>Math.SQRT2;
const ONE: f32 = 1;

/** φ(z) in float32; the four-lane forms below compute the same operations lane by lane. */
function phi1(kind: i32, z: f32, k: f32, half: f32, p1: f32, p2: f32, sigma: f32): f32 {
  if (kind === 0) {
    const u = k * z;
    return half / (ONE + u * u);
  }
  if (kind === 1) {
    const q = ONE + p1 * Mathf.abs(z);
    return ONE / (q * q);
  }
  if (kind === 2) {
    const g = ONE / (ONE + Mathf.exp(-(p1 * z)));
    return p1 * g * (ONE - g);
  }
  if (kind === 3) {
    const r = ONE - Mathf.abs(z) * k;
    return r > 0 ? p2 * r : 0;
  }
  if (kind === 4) return p1;
  const u = (z - sigma / <f32>2) / (SQRT2 * sigma);
  return (Mathf.exp(-(u * u)) * INV_SQRT_2PI) / sigma;
}

function phi4(kind: i32, z: v128, k: f32, half: f32, p1: f32, p2: f32, sigma: v128): v128 {
  const one = f32x4.splat(1);
  if (kind === 0) {
    const u = f32x4.mul(f32x4.splat(k), z);
    return f32x4.div(f32x4.splat(half), f32x4.add(one, f32x4.mul(u, u)));
  }
  if (kind === 1) {
    const q = f32x4.add(one, f32x4.mul(f32x4.splat(p1), f32x4.abs(z)));
    return f32x4.div(one, f32x4.mul(q, q));
  }
  if (kind === 3) {
    const r = f32x4.sub(one, f32x4.mul(f32x4.abs(z), f32x4.splat(k)));
    return v128.and(f32x4.mul(f32x4.splat(p2), r), f32x4.gt(r, f32x4.splat(0)));
  }
  if (kind === 4) return f32x4.splat(p1);
  // sigmoid and pdsg need exp: one lane at a time, with the one-lane function.
  let out = f32x4.splat(phi1(kind, f32x4.extract_lane(z, 0), k, half, p1, p2, f32x4.extract_lane(sigma, 0)));
  out = f32x4.replace_lane(
    out,
    1,
    phi1(kind, f32x4.extract_lane(z, 1), k, half, p1, p2, f32x4.extract_lane(sigma, 1)),
  );
  out = f32x4.replace_lane(
    out,
    2,
    phi1(kind, f32x4.extract_lane(z, 2), k, half, p1, p2, f32x4.extract_lane(sigma, 2)),
  );
  return f32x4.replace_lane(
    out,
    3,
    phi1(kind, f32x4.extract_lane(z, 3), k, half, p1, p2, f32x4.extract_lane(sigma, 3)),
  );
}

/** Neurons [j0, j1) of a plain LIF/LI lif_scan_grad; `d` is the descriptor of lif-common.ts. */
export function lifScanBackwardPlain(d: usize, j0: i32, j1: i32): void {
  const T = <i32>word(d, B_T);
  const n = <i32>word(d, B_N);
  const P = <i32>word(d, B_P);
  const flags = <i32>word(d, B_FLAGS);
  const spiking = (flags & 1) !== 0;
  const detachReset = (flags & 32) !== 0;
  const subtract = spiking && ((flags >> 3) & 3) === 0;
  const kind = <i32>word(d, B_SURROGATE);
  const p1d = load<f64>(d + B_SURR_P1);
  const p1 = <f32>p1d;
  // atan's (π/2)·α and α/2 (the general loop also keeps triangle's 1/width in k).
  const k = kind === 0 ? <f32>((Math.PI / 2) * p1d) : <f32>(1 / p1d);
  const half = <f32>(p1d / 2);
  const needs = <i32>word(d, B_NEEDS);
  const per = <i32>word(d, B_PER_NEURON);
  const pBeta = (per & 1) !== 0;
  const pThr = (per & 4) !== 0;
  const gs = word(d, B_GS);
  const gh = word(d, B_GS + 1);
  const gvT = word(d, B_GS + 4);
  const h = word(d, B_S + 1);
  const beta = word(d, B_PARAMS);
  const thr = word(d, B_PARAMS + 2);
  const gx = (needs & 1) !== 0 ? word(d, B_OUT) : 0;
  const needBeta = (needs & 16) !== 0;
  const needTheta = spiking && (needs & 64) !== 0;

  // float32 scratch: the carry dv and the sums for β and θ.
  const scratch = word(d, B_SCRATCH);
  const nb = (<usize>n) << 2;
  const dv = scratch;
  const gBeta = scratch + nb;
  const gTheta = scratch + 2 * nb;
  const first = (<usize>j0) << 2;
  const bytes = (<usize>(j1 - j0)) << 2;
  if (gvT) memory.copy(dv + first, gvT + first, bytes);
  else memory.fill(dv + first, 0, bytes);
  memory.fill(gBeta + first, 0, bytes);
  memory.fill(gTheta + first, 0, bytes);

  // Plain LIF with subtract reset and the fast-sigmoid or atan surrogate, and plain LI, with one β and θ
  // and no parameter gradients: loops without the general one's per-element tests (same operations).
  const simple = !needBeta && !needTheta && !pBeta && !pThr && !detachReset;
  if (simple && !spiking) {
    liBackwardPlain(T, n, j0, j1, gh, gx, dv, beta);
  } else if (simple && subtract && (kind === 0 || kind === 1)) {
    lifBackwardPlain(kind, T, n, j0, j1, h, gs, gh, gx, dv, beta, thr, k, half, p1);
  } else {
    generalBackward(d, T, n, P, j0, j1);
  }

  // The outputs asked for: gv0 is the last carry, gbeta and gthreshold the sums; the gradients of
  // features a plain neuron lacks are zero.
  for (let q = 1; q < 9; q++) {
    const out = word(d, B_OUT + q);
    if (!out) continue;
    const src = q === 1 ? dv : q === 4 ? gBeta : q === 6 ? gTheta : 0;
    if (src) memory.copy(out + first, src + first, bytes);
    else memory.fill(out + first, 0, bytes);
  }
}

/**
 * The backward of a plain LIF layer (subtract reset, surrogate `kind` 0 atan or 1 fast-sigmoid) with
 * scalar β and θ over neurons [j0, j1), carrying dv: the general loop's operations for that case.
 */
function lifBackwardPlain(
  kind: i32,
  T: i32,
  n: i32,
  j0: i32,
  j1: i32,
  h: usize,
  gs: usize,
  gh: usize,
  gx: usize,
  dv: usize,
  beta: usize,
  thr: usize,
  k: f32,
  half: f32,
  p1: f32,
): void {
  const b = load<f32>(beta);
  const th = load<f32>(thr);
  const b4 = f32x4.splat(b);
  const th4 = f32x4.splat(th);
  const dvds4 = f32x4.neg(th4);
  const zero4 = f32x4.splat(0);
  const one4 = f32x4.splat(1);
  const k4 = f32x4.splat(k);
  const half4 = f32x4.splat(half);
  const p14 = f32x4.splat(p1);
  const g1 = j0 + ((j1 - j0) & ~3);
  for (let t = T - 1; t >= 0; t--) {
    const o = <usize>t * <usize>n;
    for (let j = j0; j < g1; j += 4) {
      const e4 = (o + <usize>j) << 2;
      const j4 = (<usize>j) << 2;
      const dvj = v128.load(dv + j4);
      const z = f32x4.sub(v128.load(h + e4), th4);
      let phi: v128;
      if (kind === 0) {
        const u = f32x4.mul(k4, z);
        phi = f32x4.div(half4, f32x4.add(one4, f32x4.mul(u, u)));
      } else {
        const q = f32x4.add(one4, f32x4.mul(p14, f32x4.abs(z)));
        phi = f32x4.div(one4, f32x4.mul(q, q));
      }
      const Z = f32x4.mul(f32x4.add(gs ? v128.load(gs + e4) : zero4, f32x4.mul(dvj, dvds4)), phi);
      const H = f32x4.add(f32x4.add(gh ? v128.load(gh + e4) : zero4, dvj), Z);
      if (gx) v128.store(gx + e4, H);
      v128.store(dv + j4, f32x4.mul(H, b4));
    }
    for (let j = g1; j < j1; j++) {
      const e4 = (o + <usize>j) << 2;
      const j4 = (<usize>j) << 2;
      const dvj = load<f32>(dv + j4);
      const z = load<f32>(h + e4) - th;
      let phi: f32;
      if (kind === 0) {
        const u = k * z;
        phi = half / (ONE + u * u);
      } else {
        const q = ONE + p1 * Mathf.abs(z);
        phi = ONE / (q * q);
      }
      const Z = ((gs ? load<f32>(gs + e4) : 0) + dvj * -th) * phi;
      const H = (gh ? load<f32>(gh + e4) : 0) + dvj + Z;
      if (gx) store<f32>(gx + e4, H);
      store<f32>(dv + j4, H * b);
    }
  }
}

/** The backward of a plain LI layer (no spikes) with scalar β over neurons [j0, j1), carrying dv. */
function liBackwardPlain(
  T: i32,
  n: i32,
  j0: i32,
  j1: i32,
  gh: usize,
  gx: usize,
  dv: usize,
  beta: usize,
): void {
  const b = load<f32>(beta);
  const b4 = f32x4.splat(b);
  const zero4 = f32x4.splat(0);
  const g1 = j0 + ((j1 - j0) & ~3);
  for (let t = T - 1; t >= 0; t--) {
    const o = <usize>t * <usize>n;
    for (let j = j0; j < g1; j += 4) {
      const e4 = (o + <usize>j) << 2;
      const j4 = (<usize>j) << 2;
      const H = f32x4.add(gh ? v128.load(gh + e4) : zero4, v128.load(dv + j4));
      if (gx) v128.store(gx + e4, H);
      v128.store(dv + j4, f32x4.mul(H, b4));
    }
    for (let j = g1; j < j1; j++) {
      const e4 = (o + <usize>j) << 2;
      const j4 = (<usize>j) << 2;
      const H = (gh ? load<f32>(gh + e4) : 0) + load<f32>(dv + j4);
      if (gx) store<f32>(gx + e4, H);
      store<f32>(dv + j4, H * b);
    }
  }
}

/** The general loop of lifScanBackwardPlain over neurons [j0, j1) (see there). */
function generalBackward(d: usize, T: i32, n: i32, P: i32, j0: i32, j1: i32): void {
  const flags = <i32>word(d, B_FLAGS);
  const spiking = (flags & 1) !== 0;
  const reset = (flags >> 3) & 3;
  const detachReset = (flags & 32) !== 0;
  const subtract = spiking && reset === 0;
  const zero = spiking && reset === 1;
  const vReset = <f32>load<f64>(d + B_VRESET);
  const kind = <i32>word(d, B_SURROGATE);
  const p1d = load<f64>(d + B_SURR_P1);
  const p1 = <f32>p1d;
  const p2 = <f32>load<f64>(d + B_SURR_P2);
  const k = kind === 0 ? <f32>((Math.PI / 2) * p1d) : <f32>(1 / p1d);
  const half = <f32>(p1d / 2);
  const pdsgPerNeuron = word(d, B_PDSG_PER_NEURON) !== 0;
  const needs = <i32>word(d, B_NEEDS);
  const per = <i32>word(d, B_PER_NEURON);
  const pBeta = (per & 1) !== 0;
  const pThr = (per & 4) !== 0;
  const gs = word(d, B_GS);
  const gh = word(d, B_GS + 1);
  const s = word(d, B_S);
  const h = word(d, B_S + 1);
  const v0 = word(d, B_V0);
  const beta = word(d, B_PARAMS);
  const thr = word(d, B_PARAMS + 2);
  const surr = word(d, B_SURR);
  const gx = (needs & 1) !== 0 ? word(d, B_OUT) : 0;
  const needBeta = (needs & 16) !== 0;
  const needTheta = spiking && (needs & 64) !== 0;
  const scratch = word(d, B_SCRATCH);
  const nb = (<usize>n) << 2;
  const dv = scratch;
  const gBeta = scratch + nb;
  const gTheta = scratch + 2 * nb;

  const zero4 = f32x4.splat(0);
  const one4 = f32x4.splat(1);
  const vReset4 = f32x4.splat(vReset);
  for (let t = T - 1; t >= 0; t--) {
    const o = <usize>t * <usize>n;
    const prev = o - <usize>n;
    let f = j0 % P;
    let j = j0;
    while (j < j1) {
      const e = o + <usize>j;
      const e4 = e << 2;
      const j4 = (<usize>j) << 2;
      if (f + 4 <= P && j + 4 <= j1) {
        const hj = v128.load(h + e4);
        const dvj = v128.load(dv + j4);
        const sj = spiking ? spikes4(s + e) : zero4;
        let H = f32x4.add(gh ? v128.load(gh + e4) : zero4, zero ? f32x4.mul(dvj, f32x4.sub(one4, sj)) : dvj);
        let Theta = zero4;
        let th = zero4;
        if (spiking) {
          th = param4(thr, pThr, f);
          const dvds = detachReset ? zero4 : subtract ? f32x4.neg(th) : zero ? f32x4.sub(vReset4, hj) : zero4;
          let phi: v128;
          if (kind === 6) phi = v128.load(surr + e4);
          else {
            const sigma =
              kind === 5
                ? pdsgPerNeuron
                  ? v128.load(surr + ((<usize>t * <usize>P + <usize>f) << 2))
                  : v128.load32_splat(surr + ((<usize>t) << 2))
                : zero4;
            phi = phi4(kind, f32x4.sub(hj, th), k, half, p1, p2, sigma);
          }
          const Z = f32x4.mul(f32x4.add(gs ? v128.load(gs + e4) : zero4, f32x4.mul(dvj, dvds)), phi);
          H = f32x4.add(H, Z);
          Theta = subtract ? f32x4.add(f32x4.neg(Z), f32x4.neg(f32x4.mul(dvj, sj))) : f32x4.neg(Z);
        }
        if (gx) v128.store(gx + e4, H);
        if (needBeta) {
          let vPrev: v128;
          if (t === 0) vPrev = v0 ? v128.load(v0 + j4) : zero4;
          else {
            vPrev = v128.load(h + ((prev + <usize>j) << 2));
            if (subtract || zero) {
              const fired = f32x4.ne(spikes4(s + prev + <usize>j), zero4);
              vPrev = v128.bitselect(subtract ? f32x4.sub(vPrev, th) : vReset4, vPrev, fired);
            }
          }
          v128.store(gBeta + j4, f32x4.add(v128.load(gBeta + j4), f32x4.mul(H, vPrev)));
        }
        if (needTheta) v128.store(gTheta + j4, f32x4.add(v128.load(gTheta + j4), Theta));
        v128.store(dv + j4, f32x4.mul(H, param4(beta, pBeta, f)));
        j += 4;
        f += 4;
      } else {
        const hj = load<f32>(h + e4);
        const dvj = load<f32>(dv + j4);
        const sj: f32 = spiking ? <f32>load<u8>(s + e) : 0;
        let H = (gh ? load<f32>(gh + e4) : 0) + (zero ? dvj * (ONE - sj) : dvj);
        let Theta: f32 = 0;
        let th: f32 = 0;
        if (spiking) {
          th = load<f32>(paramAt(thr, pThr, f));
          const dvds: f32 = detachReset ? 0 : subtract ? -th : zero ? vReset - hj : 0;
          let phi: f32;
          if (kind === 6) phi = load<f32>(surr + e4);
          else {
            const sigma: f32 =
              kind === 5
                ? load<f32>(surr + ((pdsgPerNeuron ? <usize>t * <usize>P + <usize>f : <usize>t) << 2))
                : 0;
            phi = phi1(kind, hj - th, k, half, p1, p2, sigma);
          }
          const Z = ((gs ? load<f32>(gs + e4) : 0) + dvj * dvds) * phi;
          H = H + Z;
          Theta = subtract ? -Z + -(dvj * sj) : -Z;
        }
        if (gx) store<f32>(gx + e4, H);
        if (needBeta) {
          let vPrev: f32;
          if (t === 0) vPrev = v0 ? load<f32>(v0 + j4) : 0;
          else {
            vPrev = load<f32>(h + ((prev + <usize>j) << 2));
            if ((subtract || zero) && load<u8>(s + prev + <usize>j) !== 0)
              vPrev = subtract ? vPrev - th : vReset;
          }
          store<f32>(gBeta + j4, load<f32>(gBeta + j4) + H * vPrev);
        }
        if (needTheta) store<f32>(gTheta + j4, load<f32>(gTheta + j4) + Theta);
        store<f32>(dv + j4, H * load<f32>(paramAt(beta, pBeta, f)));
        j += 1;
        f += 1;
      }
      if (f === P) f = 0;
    }
  }
}

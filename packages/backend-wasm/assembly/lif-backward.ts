import { lifScanBackwardPlain } from './lif-backward-plain';
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
  word,
} from './lif-common';
import { partStart } from './parts';

/**
 * lif_scan_grad (the backward of @neurite/neuron-lif's fused scan; its OPS.md is the contract). Plain LIF
 * and LI layers (no synaptic current, no adaptation), by far the most common, take the four-lane float32
 * path of lif-backward-plain.ts. The general case here follows the reference kernel in float64 (carries and
 * parameter sums), with θ_t and the recomputed post-reset membrane rounded to float32 exactly as the
 * forward computed them.
 */

const INV_SQRT_2PI: f64 = 0.3989422804014327;

/** φ(z) of the canonical surrogates (OPS.md table), in the reference kernel's float64 arithmetic. */
function surrogatePhi(kind: i32, z: f64, p1: f64, p2: f64, sigma: f64): f64 {
  if (kind === 0) {
    const u = (Math.PI / 2) * p1 * z;
    return p1 / 2 / (1 + u * u);
  }
  if (kind === 1) {
    const q = 1 + p1 * Math.abs(z);
    return 1 / (q * q);
  }
  if (kind === 2) {
    const g = 1 / (1 + Math.exp(-p1 * z));
    return p1 * g * (1 - g);
  }
  if (kind === 3) {
    const r = 1 - Math.abs(z) * (1 / p1);
    return r > 0 ? p2 * r : 0;
  }
  if (kind === 4) return p1;
  // pdsg
  const u = (z - sigma / 2) / (Math.SQRT2 * sigma);
  return (Math.exp(-u * u) * INV_SQRT_2PI) / sigma;
}

function f32At(base: usize, k: usize): f64 {
  return <f64>load<f32>(base + (k << 2));
}

/** f32 value of a parameter for feature f. */
function param(base: usize, perNeuron: bool, f: i32): f32 {
  return load<f32>(perNeuron ? base + ((<usize>f) << 2) : base);
}

/** lif_scan_grad over the neurons of this part (see the note at the top of this file). */
export function lifScanBackward(d: usize, part: i32, parts: i32): void {
  const T = <i32>word(d, B_T);
  const n = <i32>word(d, B_N);
  const P = <i32>word(d, B_P);
  const flags = <i32>word(d, B_FLAGS);
  const spiking = (flags & 1) !== 0;
  const synapse = (flags & 2) !== 0;
  const adaptive = (flags & 4) !== 0;
  const reset = (flags >> 3) & 3;
  const detachReset = (flags & 32) !== 0;
  const subtract = spiking && reset === 0;
  const zero = spiking && reset === 1;
  const vReset = load<f64>(d + B_VRESET);
  const kind = <i32>word(d, B_SURROGATE);
  const p1 = load<f64>(d + B_SURR_P1);
  const p2 = load<f64>(d + B_SURR_P2);
  const pdsgPerNeuron = word(d, B_PDSG_PER_NEURON) !== 0;
  const needs = <i32>word(d, B_NEEDS);
  const per = <i32>word(d, B_PER_NEURON);

  const gs = word(d, B_GS);
  const gh = word(d, B_GS + 1);
  const gi = word(d, B_GS + 2);
  const ga = word(d, B_GS + 3);
  const gvT = word(d, B_GS + 4);
  const giT = word(d, B_GS + 5);
  const gaT = word(d, B_GS + 6);
  const s = word(d, B_S);
  const h = word(d, B_S + 1);
  const cur = word(d, B_S + 2);
  const ad = word(d, B_S + 3);
  const v0 = word(d, B_V0);
  const i0 = word(d, B_V0 + 1);
  const a0 = word(d, B_V0 + 2);
  const beta = word(d, B_PARAMS);
  const alpha = word(d, B_PARAMS + 1);
  const thr = word(d, B_PARAMS + 2);
  const rho = word(d, B_PARAMS + 3);
  const kappa = word(d, B_PARAMS + 4);
  const pBeta = (per & 1) !== 0;
  const pAlpha = (per & 2) !== 0;
  const pThr = (per & 4) !== 0;
  const pRho = (per & 8) !== 0;
  const pKappa = (per & 16) !== 0;
  const surr = word(d, B_SURR);
  const gx = (needs & 1) !== 0 ? word(d, B_OUT) : 0;

  const scratch = word(d, B_SCRATCH);
  const nb = (<usize>n) << 3;
  const dv = scratch;
  const di = scratch + nb;
  const da = scratch + 2 * nb;
  const gBeta = scratch + 3 * nb;
  const gAlpha = scratch + 4 * nb;
  const gTheta = scratch + 5 * nb;
  const gRho = scratch + 6 * nb;
  const gKappa = scratch + 7 * nb;

  const j0 = partStart(n, part, parts);
  const j1 = partStart(n, part + 1, parts);
  if (!synapse && !adaptive) {
    lifScanBackwardPlain(d, j0, j1);
    return;
  }
  for (let j = j0; j < j1; j++) {
    const k = <usize>j;
    store<f64>(dv + (k << 3), gvT ? f32At(gvT, k) : 0);
    store<f64>(di + (k << 3), giT ? f32At(giT, k) : 0);
    store<f64>(da + (k << 3), gaT ? f32At(gaT, k) : 0);
    for (let q: usize = 3; q < 8; q++) store<f64>(scratch + q * nb + (k << 3), 0);
  }

  for (let t = T - 1; t >= 0; t--) {
    const o = <usize>t * <usize>n;
    const prev = o - <usize>n;
    let f = j0 % P;
    for (let j = j0; j < j1; j++) {
      const k = <usize>j;
      const e = o + k;
      const k8 = k << 3;
      const hj = f32At(h, e);
      const sj: f64 = s ? <f64>load<u8>(s + e) : 0;
      const aPrev: f64 = adaptive ? (t > 0 ? f32At(ad, prev + k) : a0 ? f32At(a0, k) : 0) : 0;
      const A: f64 = adaptive ? load<f64>(da + k8) + (ga ? f32At(ga, e) : 0) : 0;
      const dvj = load<f64>(dv + k8);

      let H = (gh ? f32At(gh, e) : 0) + dvj * (zero ? 1 - sj : 1);
      let Theta: f64 = 0;
      if (spiking) {
        let theta = param(thr, pThr, f);
        if (adaptive) theta = theta + param(kappa, pKappa, f) * <f32>aPrev;
        const th = <f64>theta;
        const dvds: f64 = detachReset ? 0 : subtract ? -th : zero ? vReset - hj : 0;
        let phi: f64;
        if (kind === 6) phi = f32At(surr, e);
        else {
          const sigma: f64 =
            kind === 5 ? f32At(surr, pdsgPerNeuron ? <usize>t * <usize>P + <usize>f : <usize>t) : 0;
          phi = surrogatePhi(kind, hj - th, p1, p2, sigma);
        }
        const Z = ((gs ? f32At(gs, e) : 0) + A + dvj * dvds) * phi;
        H += Z;
        Theta = -Z + (subtract ? -dvj * sj : 0);
      }
      const I = synapse ? H + (gi ? f32At(gi, e) : 0) + load<f64>(di + k8) : H;
      if (gx) store<f32>(gx + (e << 2), <f32>I);

      if ((needs & 16) !== 0) {
        let vPrev: f64;
        if (t === 0) vPrev = v0 ? f32At(v0, k) : 0;
        else {
          const hp = load<f32>(h + ((prev + k) << 2));
          vPrev = <f64>hp;
          if (s && load<u8>(s + prev + k) !== 0) {
            if (subtract) {
              let thp = param(thr, pThr, f);
              if (adaptive) {
                const ap: f32 =
                  t > 1 ? load<f32>(ad + ((prev - <usize>n + k) << 2)) : a0 ? load<f32>(a0 + (k << 2)) : 0;
                thp = thp + param(kappa, pKappa, f) * ap;
              }
              vPrev = <f64>(hp - thp);
            } else if (zero) vPrev = vReset;
          }
        }
        store<f64>(gBeta + k8, load<f64>(gBeta + k8) + H * vPrev);
      }
      if (synapse && (needs & 32) !== 0) {
        const iPrev: f64 = t > 0 ? f32At(cur, prev + k) : i0 ? f32At(i0, k) : 0;
        store<f64>(gAlpha + k8, load<f64>(gAlpha + k8) + I * iPrev);
      }
      if (spiking && (needs & 64) !== 0) store<f64>(gTheta + k8, load<f64>(gTheta + k8) + Theta);
      if (adaptive && (needs & 256) !== 0) store<f64>(gKappa + k8, load<f64>(gKappa + k8) + Theta * aPrev);
      if (adaptive && (needs & 128) !== 0) store<f64>(gRho + k8, load<f64>(gRho + k8) + A * aPrev);

      store<f64>(dv + k8, H * <f64>param(beta, pBeta, f));
      if (synapse) store<f64>(di + k8, I * <f64>param(alpha, pAlpha, f));
      if (adaptive) store<f64>(da + k8, A * <f64>param(rho, pRho, f) + Theta * <f64>param(kappa, pKappa, f));
      f++;
      if (f === P) f = 0;
    }
  }

  // Round the carries and sums into the float32 outputs that were asked for.
  for (let q = 1; q < 9; q++) {
    const out = word(d, B_OUT + q);
    if (!out) continue;
    const src = q === 1 ? dv : q === 2 ? di : q === 3 ? da : scratch + <usize>(q - 1) * nb;
    for (let j = j0; j < j1; j++)
      store<f32>(out + ((<usize>j) << 2), <f32>load<f64>(src + ((<usize>j) << 3)));
  }
}

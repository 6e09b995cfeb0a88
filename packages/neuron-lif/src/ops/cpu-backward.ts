import { arrayFor, type DataArray, type KernelFn } from '@neurite/kernel';
import type { LifScanGradAttrs } from './attrs.js';
import { paramView, roundFor } from './cpu-params.js';
import { surrogateInPlace } from './cpu-surrogate.js';

/** Input positions of `lif_scan_grad` (OPS.md). */
const G = {
  gs: 0,
  gh: 1,
  gi: 2,
  ga: 3,
  gvT: 4,
  giT: 5,
  gaT: 6,
  s: 7,
  h: 8,
  i: 9,
  a: 10,
  v0: 11,
  i0: 12,
  a0: 13,
  beta: 14,
  alpha: 15,
  threshold: 16,
  rho: 17,
  kappa: 18,
  surr: 19,
} as const;

const NONE = new Float64Array(0);

/**
 * Reference kernel of `lif_scan_grad`: the adjoint recursion of OPS.md, backwards over time with the
 * carries dv, di, da per neuron (float64 scratch). Per step it first fills θ_t and φ(h − θ_t) for every
 * neuron (one tight loop per surrogate), then runs the adjoint update. The post-reset membrane of the
 * previous step is recomputed from the saved pre-reset membrane and spikes with the forward's rounding,
 * so it is exactly the value the forward used.
 */
export const lifScanGradCpu: KernelFn<DataArray, LifScanGradAttrs> = ({ inputs, attrs }) => {
  const h = inputs[G.h]!.handle;
  const T = inputs[G.h]!.shape[0]!;
  const B = inputs[G.h]!.shape[1]!;
  const n = h.length / T;
  const P = n / B;
  const dtype = inputs[G.h]!.dtype === 'float64' ? 'float64' : 'float32';
  const fr = roundFor(dtype);
  const { spiking, synapse, adaptive, reset, vReset, detachReset, needs, surrogate } = attrs;
  const subtract = spiking && reset === 'subtract';
  const zero = spiking && reset === 'zero';

  const opt = (k: number): DataArray => inputs[k]!.handle;
  const gs = opt(G.gs);
  const gh = opt(G.gh);
  const gi = opt(G.gi);
  const ga = opt(G.ga);
  const hasGs = gs.length > 0;
  const hasGh = gh.length > 0;
  const hasGi = gi.length > 0;
  const hasGa = ga.length > 0;
  const s = opt(G.s);
  const cur = opt(G.i);
  const ad = opt(G.a);
  const v0 = opt(G.v0);
  const i0 = opt(G.i0);
  const a0 = opt(G.a0);
  const beta = paramView(opt(G.beta))!;
  const alpha = synapse ? paramView(opt(G.alpha))! : beta;
  const thr = spiking ? paramView(opt(G.threshold))! : beta;
  const rho = adaptive ? paramView(opt(G.rho))! : beta;
  const kappa = adaptive ? paramView(opt(G.kappa))! : beta;
  const [bd, bs, ald, als, td, ts, rd, rs, kd, ks] = [beta, alpha, thr, rho, kappa].flatMap(
    (p) => [p.data, p.stride] as const,
  ) as [DataArray, number, DataArray, number, DataArray, number, DataArray, number, DataArray, number];
  const surr = opt(G.surr);
  const pdsg = surrogate.name === 'pdsg' ? { sigma: surr, offset: 0, perNeuron: surr.length !== T, P } : null;
  const given = surrogate.name === 'given' ? { phi: surr, offset: 0 } : null;

  // Carries from the future, seeded with the gradients of the final states.
  const dv = new Float64Array(n);
  const di = new Float64Array(synapse ? n : 0);
  const da = new Float64Array(adaptive ? n : 0);
  if (opt(G.gvT).length) dv.set(opt(G.gvT));
  if (synapse && opt(G.giT).length) di.set(opt(G.giT));
  if (adaptive && opt(G.gaT).length) da.set(opt(G.gaT));

  const gx = needs[0] ? arrayFor(dtype, T * n) : null;
  const acc = (k: number, on: boolean) => (needs[k] && on ? new Float64Array(n) : NONE);
  const gBeta = acc(4, true);
  const gAlpha = acc(5, synapse);
  const gTheta = acc(6, spiking);
  const gRho = acc(7, adaptive);
  const gKappa = acc(8, adaptive);
  const wantBeta = gBeta.length > 0;
  const wantAlpha = gAlpha.length > 0;
  const wantTheta = gTheta.length > 0;
  const wantRho = gRho.length > 0;
  const wantKappa = gKappa.length > 0;
  // θ_t and φ_t of every neuron for the current step, and θ_{t−1} (to recompute v_{t−1}).
  const theta = new Float64Array(spiking ? n : 0);
  const thetaPrev = new Float64Array(spiking && wantBeta ? n : 0);
  const phi = new Float64Array(spiking ? n : 0);

  const fillTheta = (t: number, into: Float64Array) => {
    for (let b = 0; b < B; b++) {
      for (let f = 0; f < P; f++) {
        const j = b * P + f;
        if (!adaptive) into[j] = td[ts * f]!;
        else {
          const aPrev = t > 0 ? ad[(t - 1) * n + j]! : a0.length ? a0[j]! : 0;
          into[j] = fr(td[ts * f]! + fr(kd[ks * f]! * aPrev));
        }
      }
    }
  };

  for (let t = T - 1; t >= 0; t--) {
    const o = t * n;
    if (spiking) {
      fillTheta(t, theta);
      if (wantBeta && t > 0) fillTheta(t - 1, thetaPrev);
      for (let j = 0; j < n; j++) phi[j] = h[o + j]! - theta[j]!;
      if (pdsg) pdsg.offset = pdsg.perNeuron ? t * P : t;
      if (given) given.offset = o;
      surrogateInPlace(phi, n, surrogate, pdsg, given);
    }
    for (let b = 0; b < B; b++) {
      const jb = b * P;
      for (let f = 0; f < P; f++) {
        const j = jb + f;
        const k = o + j;
        const dvj = dv[j]!;
        const A = adaptive ? da[j]! + (hasGa ? ga[k]! : 0) : 0;
        let H = (hasGh ? gh[k]! : 0) + dvj;
        let Theta = 0;
        if (spiking) {
          const sj = s[k]!;
          const th = theta[j]!;
          let dvds = 0;
          if (subtract) {
            if (!detachReset) dvds = -th;
            Theta = -dvj * sj;
          } else if (zero) {
            if (sj) H -= dvj;
            if (!detachReset) dvds = vReset - h[k]!;
          }
          const Z = ((hasGs ? gs[k]! : 0) + A + dvj * dvds) * phi[j]!;
          H += Z;
          Theta -= Z;
        }
        const I = synapse ? H + (hasGi ? gi[k]! : 0) + di[j]! : H;
        if (gx) gx[k] = I;

        if (wantBeta) {
          let vPrev: number;
          if (t === 0) vPrev = v0.length ? v0[j]! : 0;
          else {
            vPrev = h[k - n]!;
            if (spiking && s[k - n]) vPrev = subtract ? fr(vPrev - thetaPrev[j]!) : zero ? vReset : vPrev;
          }
          gBeta[j]! += H * vPrev;
        }
        if (wantAlpha) gAlpha[j]! += I * (t > 0 ? cur[k - n]! : i0.length ? i0[j]! : 0);
        if (wantTheta) gTheta[j]! += Theta;
        if (adaptive) {
          const aPrev = t > 0 ? ad[k - n]! : a0.length ? a0[j]! : 0;
          if (wantKappa) gKappa[j]! += Theta * aPrev;
          if (wantRho) gRho[j]! += A * aPrev;
          da[j] = A * rd[rs * f]! + Theta * kd[ks * f]!;
        }
        dv[j] = H * bd[bs * f]!;
        if (synapse) di[j] = I * ald[als * f]!;
      }
    }
  }

  const out = (a: Float64Array, on: boolean): DataArray => {
    if (!on || a.length === 0) return arrayFor(dtype, 0);
    const r = arrayFor(dtype, n);
    r.set(a);
    return r;
  };
  return [
    gx ?? arrayFor(dtype, 0),
    out(dv, needs[1]!),
    out(di, needs[2]! && synapse),
    out(da, needs[3]! && adaptive),
    out(gBeta, true),
    out(gAlpha, true),
    out(gTheta, true),
    out(gRho, true),
    out(gKappa, true),
  ];
};

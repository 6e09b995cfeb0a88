import { ops, type Tensor } from '@neurite/kernel';
import type { ResetMode, SurrogateSpec } from '../src/ops/attrs.js';
import { surrogateSpike } from '../src/ops/scan.js';

export interface RefParams {
  beta: Tensor;
  alpha?: Tensor;
  threshold?: Tensor;
  rho?: Tensor;
  kappa?: Tensor;
}

export interface RefOptions {
  reset: ResetMode;
  vReset?: number;
  detachReset?: boolean;
  surrogate: SurrogateSpec;
  /** PDSG: σ per step, each broadcastable to [B, ...F]. */
  sigma?: (t: number) => Tensor;
  /** SLTT: cut every temporal gradient path (the previous state enters each step detached). */
  detachState?: boolean;
}

/**
 * The neuron recurrence of OPS.md unrolled step by step with the kernel's autograd ops: the reference the
 * fused scan is checked against (values bit for bit, gradients to float tolerance).
 */
export function unrolledScan(
  x: Tensor,
  p: RefParams,
  state: { v?: Tensor; i?: Tensor; a?: Tensor },
  o: RefOptions,
) {
  const rt = x.runtime;
  const [T, B, ...F] = x.shape as [number, number, ...number[]];
  const shaped = (t: Tensor) => (t.size === 1 ? t.reshape([]) : t.reshape(F));
  const zeros = () => rt.zeros([B, ...F], { dtype: x.dtype });
  const beta = shaped(p.beta);
  const alpha = p.alpha && shaped(p.alpha);
  const thr = p.threshold && shaped(p.threshold);
  const rho = p.rho && shaped(p.rho);
  const kappa = p.kappa && shaped(p.kappa);
  let v = state.v ?? zeros();
  let i = state.i ?? zeros();
  let a = state.a ?? zeros();
  const S: Tensor[] = [];
  const H: Tensor[] = [];
  const I: Tensor[] = [];
  const A: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    if (o.detachState) {
      v = v.detach();
      i = i.detach();
      a = a.detach();
    }
    const xt = x.slice([t], [t + 1]).reshape([B, ...F]);
    if (alpha) {
      i = alpha.mul(i).add(xt);
      I.push(i);
    } else i = xt;
    const h = beta.mul(v).add(i);
    H.push(h);
    if (!thr) {
      v = h;
      continue;
    }
    const theta = kappa ? thr.add(kappa.mul(a)) : thr;
    const s = surrogateSpike(h.sub(theta), o.surrogate, o.sigma?.(t));
    S.push(s);
    const sr = o.detachReset ? s.detach() : s;
    if (o.reset === 'subtract') v = h.sub(sr.mul(theta));
    else if (o.reset === 'zero') v = h.mul(sr.neg().add(1)).add(sr.mul(o.vReset ?? 0));
    else v = h;
    if (rho) {
      a = rho.mul(a).add(s);
      A.push(a);
    }
  }
  return {
    spikes: S.length ? ops.stack(S) : null,
    membrane: ops.stack(H),
    current: I.length ? ops.stack(I) : null,
    adaptation: A.length ? ops.stack(A) : null,
    state: { v, i: alpha ? i : null, a: rho ? a : null },
  };
}

import { partStart } from './parts';

/**
 * The fused Adam/AdamW update of the kernel's `adam_update` op for float32, in double precision as the
 * reference kernel computes it: m and v are rounded to float32 when stored and the parameter step
 * reads the rounded values, so the results are identical to it. Scalars come in a descriptor of
 * doubles: lr, beta1, beta2, eps, weightDecay, stepSize, correction2, decay, then flags
 * (1 decoupled, 2 amsgrad, 4 maximize).
 */
export function adamUpdate(
  d: usize,
  p: usize,
  g: usize,
  m: usize,
  v: usize,
  vMax: usize,
  outP: usize,
  outM: usize,
  outV: usize,
  outVMax: usize,
  n: i32,
  part: i32,
  parts: i32,
): void {
  // Parts take runs of whole groups of four elements (the last part the remainder).
  const i0 = partStart(n >> 2, part, parts) << 2;
  const i1 = part + 1 === parts ? n : partStart(n >> 2, part + 1, parts) << 2;
  const beta1 = load<f64>(d, 8);
  const beta2 = load<f64>(d, 16);
  const eps = load<f64>(d, 24);
  const weightDecay = load<f64>(d, 32);
  const stepSize = load<f64>(d, 40);
  const correction2 = load<f64>(d, 48);
  const decay = load<f64>(d, 56);
  const flags = <i32>load<f64>(d, 64);
  const decoupled = (flags & 1) !== 0;
  const amsgrad = (flags & 2) !== 0;
  const maximize = (flags & 4) !== 0;
  // Two parameters per round in f64x2: the same double-precision operations in the same order as the
  // one-at-a-time loop below (IEEE results do not depend on the lane), so just as identical.
  const n2 = i1 & ~1;
  const b1 = f64x2.splat(beta1);
  const c1 = f64x2.splat(1 - beta1);
  const b2 = f64x2.splat(beta2);
  const c2 = f64x2.splat(1 - beta2);
  const wd = f64x2.splat(weightDecay);
  const dec = f64x2.splat(decay);
  const step = f64x2.splat(stepSize);
  const corr = f64x2.splat(correction2);
  const epsilon = f64x2.splat(eps);
  for (let i = i0; i < n2; i += 2) {
    const o = (<usize>i) << 2;
    let pi = f64x2.promote_low_f32x4(v128.load64_zero(p + o));
    let gi = f64x2.promote_low_f32x4(v128.load64_zero(g + o));
    if (maximize) gi = f64x2.neg(gi);
    if (decoupled) pi = f64x2.mul(pi, dec);
    else if (weightDecay !== 0) gi = f64x2.add(gi, f64x2.mul(wd, pi));
    const m0 = f64x2.promote_low_f32x4(v128.load64_zero(m + o));
    const v0 = f64x2.promote_low_f32x4(v128.load64_zero(v + o));
    const mi = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(b1, m0), f64x2.mul(c1, gi)));
    const vi = f32x4.demote_f64x2_zero(f64x2.add(f64x2.mul(b2, v0), f64x2.mul(f64x2.mul(c2, gi), gi)));
    v128.store64_lane(outM + o, mi, 0);
    v128.store64_lane(outV + o, vi, 0);
    let second = f64x2.promote_low_f32x4(vi);
    if (amsgrad) {
      const top = f32x4.demote_f64x2_zero(
        f64x2.max(f64x2.promote_low_f32x4(v128.load64_zero(vMax + o)), second),
      );
      v128.store64_lane(outVMax + o, top, 0);
      second = f64x2.promote_low_f32x4(top);
    }
    const update = f64x2.div(
      f64x2.mul(step, f64x2.promote_low_f32x4(mi)),
      f64x2.add(f64x2.div(f64x2.sqrt(second), corr), epsilon),
    );
    v128.store64_lane(outP + o, f32x4.demote_f64x2_zero(f64x2.sub(pi, update)), 0);
  }
  for (let i = n2; i < i1; i++) {
    const o = (<usize>i) << 2;
    let pi = <f64>load<f32>(p + o);
    let gi = <f64>load<f32>(g + o);
    if (maximize) gi = -gi;
    if (decoupled) pi *= decay;
    else if (weightDecay !== 0) gi += weightDecay * pi;
    const mi = <f32>(beta1 * <f64>load<f32>(m + o) + (1 - beta1) * gi);
    const vi = <f32>(beta2 * <f64>load<f32>(v + o) + (1 - beta2) * gi * gi);
    store<f32>(outM + o, mi);
    store<f32>(outV + o, vi);
    let second = <f64>vi;
    if (amsgrad) {
      const top = max(<f64>load<f32>(vMax + o), second);
      store<f32>(outVMax + o, <f32>top);
      second = <f64>(<f32>top);
    }
    pi -= (stepSize * <f64>mi) / (Math.sqrt(second) / correction2 + eps);
    store<f32>(outP + o, <f32>pi);
  }
}

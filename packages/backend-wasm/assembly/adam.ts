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
): void {
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
  for (let i = 0; i < n; i++) {
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

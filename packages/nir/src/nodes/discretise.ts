import { ValidationError } from '@neurite/kernel';

/**
 * How NIR's continuous-time neurons become per-step updates at a time step dt. Every convention ends in
 * the form the neuron plugin's `lif_scan` runs (OPS.md), per neuron:
 *
 *   synapse (CubaLI, CubaLIF):  I_t = α·I_{t−1} + g_s·x_t
 *   membrane:                   v_t = β·v_{t−1} + g_m·u_t + b      u_t = I_t (Cuba*) or x_t
 *   spike when v_t > θ, then v_t ← v_reset
 *
 * - `euler` (default): forward Euler of τ dv/dt = (v_leak − v) + R·I: β = 1 − dt/τ, g_m = R·dt/τ,
 *   b = v_leak·dt/τ; α = 1 − dt/τ_syn, g_s = w_in·dt/τ_syn. Membrane in NIR's units. This is Norse's
 *   step (`LIFBoxCell`, `lif_norse.csv`) and what snnTorch's exporter assumes (it writes r = τ/dt and
 *   w_in = τ_syn/dt so that g_m = g_s = 1 and the scan is snnTorch's own recurrence).
 * - `exponential`: exponential Euler (the input held constant over each step): β = e^{−dt/τ},
 *   g_m = R·(1 − β), b = v_leak·(1 − β); α = e^{−dt/τ_syn}, g_s = w_in·(1 − α). Exact for LIF and LI
 *   between spikes when the input is piecewise constant (`lif_exact.csv`), so it converges faster.
 * - `snntorch`: what snnTorch's `import_from_nir` builds (`lif_snntorch.csv`, bit for bit): β = 1 − dt/τ,
 *   the input is not scaled, the threshold is divided instead (LIF: θ/(R·dt/τ); CubaLIF: θ/w_in, α =
 *   1 − dt/τ_syn, g_s = g_m = 1; IF: threshold θ·R, g_m = 1). The membrane is then in snnTorch's units
 *   (NIR's divided by R·dt/τ for LIF). Coefficients are computed with numpy's rules, in the precision the
 *   parameters are stored in, as snnTorch does. snnTorch imports neither v_leak ≠ 0 nor v_reset ≠ 0
 *   (an error here too); node types it does not import (I, LI, CubaLI) follow `euler`.
 *
 * IF and I have no time constant: every convention integrates them per step, v_t = v_{t−1} + R·x_t
 * (`snntorch`: v_t = v_{t−1} + x_t with threshold θ·R), as snnTorch, Norse and Sinabs do with NIR files.
 */
export type Convention = 'euler' | 'exponential' | 'snntorch';

export const CONVENTIONS: readonly Convention[] = ['euler', 'exponential', 'snntorch'];

export type NeuronModel = 'LIF' | 'IF' | 'LI' | 'I' | 'CubaLIF' | 'CubaLI';

/** NIR parameters of one neuron layer, each as host numbers (length 1 or one per neuron). */
export interface NeuronParams {
  readonly tau?: Float64Array;
  readonly tauSyn?: Float64Array;
  readonly tauMem?: Float64Array;
  readonly r: Float64Array;
  readonly vLeak?: Float64Array;
  readonly vThreshold?: Float64Array;
  readonly vReset?: Float64Array;
  readonly wIn?: Float64Array;
  /** The precision the parameters are stored in (snnTorch's arithmetic follows it). */
  readonly precision: 'float32' | 'float64';
}

/** Per-step coefficients, float32 (the scan's precision), each length 1 or one per neuron. */
export interface StepCoefficients {
  readonly alpha?: Float32Array;
  readonly synGain?: Float32Array;
  readonly beta: Float32Array;
  readonly memGain: Float32Array;
  readonly bias: Float32Array;
  readonly threshold?: Float32Array;
  readonly vReset?: Float32Array;
}

/** Elementwise map over parameters of length 1 or n (broadcast). */
function map(n: number, fn: (i: number) => number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = fn(i);
  return out;
}

const at = (a: Float64Array, i: number) => (a.length === 1 ? a[0]! : a[i]!);

export function coefficients(
  model: NeuronModel,
  p: NeuronParams,
  dt: number,
  convention: Convention,
  path: string,
): StepCoefficients {
  const lengths = Object.values(p)
    .filter((v): v is Float64Array => v instanceof Float64Array)
    .map((a) => a.length);
  const n = Math.max(1, ...lengths);
  const fail = (message: string) => new ValidationError('NIR neuron', [{ path, message }]);
  const positive = (name: string, a: Float64Array | undefined) => {
    if (a?.some((v) => !(v > 0)))
      throw fail(`${name} must be positive (found ${Array.from(a).find((v) => !(v > 0))})`);
  };
  positive('tau', p.tau);
  positive('tauSyn', p.tauSyn);
  positive('tauMem', p.tauMem);
  const conv: Convention =
    convention === 'snntorch' && (model === 'I' || model === 'LI' || model === 'CubaLI')
      ? 'euler'
      : convention;
  if (conv === 'snntorch') {
    if (p.vLeak?.some((v) => v !== 0))
      throw fail("snnTorch's NIR import supports v_leak = 0 only; use the 'euler' convention");
    if (p.vReset?.some((v) => v !== 0))
      throw fail("snnTorch's NIR import resets to 0 only; use the 'euler' convention");
    return snntorch(model, p, dt, n);
  }
  const spiking = model === 'LIF' || model === 'IF' || model === 'CubaLIF';
  const threshold = spiking ? map(n, (i) => at(p.vThreshold!, i)) : undefined;
  const vReset = spiking ? map(n, (i) => at(p.vReset!, i)) : undefined;
  const decay = (tau: Float64Array, i: number) =>
    conv === 'euler' ? 1 - dt / at(tau, i) : Math.exp(-dt / at(tau, i));
  // The gain of the input into a first-order unit: dt/τ (Euler) or 1 − e^{−dt/τ} (exponential Euler).
  const gain = (tau: Float64Array, i: number) =>
    conv === 'euler' ? dt / at(tau, i) : -Math.expm1(-dt / at(tau, i));
  const zero = new Float32Array(n);
  if (model === 'IF' || model === 'I') {
    return {
      beta: new Float32Array(n).fill(1),
      memGain: map(n, (i) => at(p.r, i)),
      bias: zero,
      ...(threshold && { threshold, vReset: vReset! }),
    };
  }
  const tauMem = model === 'LIF' || model === 'LI' ? p.tau! : p.tauMem!;
  if (conv === 'euler') {
    const negative = Array.from({ length: n }, (_, i) => decay(tauMem, i)).findIndex((b) => b < 0);
    if (negative >= 0)
      throw fail(
        `the Euler decay 1 − dt/τ is negative: τ (${at(tauMem, negative)}) must be at least dt (${dt})`,
      );
  }
  const out = {
    beta: map(n, (i) => decay(tauMem, i)),
    memGain: map(n, (i) => gain(tauMem, i) * at(p.r, i)),
    bias: map(n, (i) => gain(tauMem, i) * at(p.vLeak!, i)),
    ...(threshold && { threshold, vReset: vReset! }),
  };
  if (model === 'CubaLIF' || model === 'CubaLI') {
    return {
      ...out,
      alpha: map(n, (i) => decay(p.tauSyn!, i)),
      synGain: map(n, (i) => gain(p.tauSyn!, i) * at(p.wIn!, i)),
    };
  }
  return out;
}

/** snnTorch's importer, with numpy's arithmetic in the parameters' precision (float32 rounds each step). */
function snntorch(model: NeuronModel, p: NeuronParams, dt: number, n: number): StepCoefficients {
  const r = p.precision === 'float32' ? Math.fround : (x: number) => x;
  const one = new Float32Array(n).fill(1);
  const zero = new Float32Array(n);
  const vReset = zero;
  if (model === 'IF')
    return {
      beta: one,
      memGain: one,
      bias: zero,
      threshold: map(n, (i) => r(at(p.vThreshold!, i) * at(p.r, i))),
      vReset,
    };
  if (model === 'LIF') {
    const dtR = r(dt);
    // beta = 1 - (dt / tau); w_scale = r * dt / tau; vthr = v_threshold / w_scale
    return {
      beta: map(n, (i) => r(1 - r(dtR / at(p.tau!, i)))),
      memGain: one,
      bias: zero,
      threshold: map(n, (i) => r(at(p.vThreshold!, i) / r(r(at(p.r, i) * dtR) / at(p.tau!, i)))),
      vReset,
    };
  }
  // CubaLIF: alpha = 1 - dt/tau_syn, beta = 1 - dt/tau_mem, vthr = v_threshold / w_in
  const dtR = r(dt);
  return {
    alpha: map(n, (i) => r(1 - r(dtR / at(p.tauSyn!, i)))),
    synGain: one,
    beta: map(n, (i) => r(1 - r(dtR / at(p.tauMem!, i)))),
    memGain: one,
    bias: zero,
    threshold: map(n, (i) => r(at(p.vThreshold!, i) / at(p.wIn!, i))),
    vReset,
  };
}

import { ops, type Tensor } from '@neurite/kernel';
import { ABSENT, IN, type LifScanAttrs, OUT, type ResetMode, type SurrogateSpec } from './attrs.js';

/** Parameters of one neuron layer: size 1 (per layer) or one per neuron (OPS.md). */
export interface ScanParams {
  readonly beta: Tensor;
  readonly alpha?: Tensor;
  readonly threshold?: Tensor;
  readonly rho?: Tensor;
  readonly kappa?: Tensor;
}

/** The carried state of a neuron layer; null or missing is zero. */
export interface ScanState {
  readonly v?: Tensor | null;
  readonly i?: Tensor | null;
  readonly a?: Tensor | null;
}

export interface ScanOptions {
  readonly spiking?: boolean;
  readonly reset?: ResetMode;
  readonly vReset?: number;
  readonly detachReset?: boolean;
  readonly surrogate?: SurrogateSpec;
}

export interface ScanResult {
  /** [T, B, ...F] spikes (dtype spike); null for a leaky integrator. */
  readonly spikes: Tensor | null;
  /** [T, B, ...F] membrane before each step's reset. */
  readonly membrane: Tensor;
  readonly current: Tensor | null;
  readonly adaptation: Tensor | null;
  /** The state after the last step, to carry into the next call. */
  readonly state: { v: Tensor; i: Tensor | null; a: Tensor | null };
}

/**
 * Runs one `lif_scan` over a time-major input [T, B, ...F]: which states exist follows from which
 * parameters are given (alpha: synaptic current; rho and kappa: adaptation; threshold: spiking).
 */
export function lifScan(
  x: Tensor,
  params: ScanParams,
  state: ScanState = {},
  options: ScanOptions = {},
): ScanResult {
  const rt = x.runtime;
  const absent = rt.zeros(ABSENT, { dtype: x.dtype, backend: x.backend });
  const synapse = params.alpha !== undefined;
  const adaptive = params.rho !== undefined || params.kappa !== undefined;
  if (adaptive && (params.rho === undefined || params.kappa === undefined)) {
    throw new Error('lifScan: adaptation needs both rho and kappa');
  }
  const spiking = options.spiking ?? params.threshold !== undefined;
  if (spiking && params.threshold === undefined)
    throw new Error('lifScan: a spiking neuron needs a threshold');
  const attrs: LifScanAttrs = {
    spiking,
    synapse,
    adaptive,
    reset: options.reset ?? 'subtract',
    vReset: options.vReset ?? 0,
    detachReset: options.detachReset ?? false,
    surrogate: options.surrogate ?? { name: 'atan', alpha: 2 },
  };
  const inputs: Tensor[] = new Array(9);
  inputs[IN.x] = x;
  inputs[IN.v0] = state.v ?? absent;
  inputs[IN.i0] = (synapse && state.i) || absent;
  inputs[IN.a0] = (adaptive && state.a) || absent;
  inputs[IN.beta] = params.beta;
  inputs[IN.alpha] = params.alpha ?? absent;
  inputs[IN.threshold] = (spiking && params.threshold) || absent;
  inputs[IN.rho] = params.rho ?? absent;
  inputs[IN.kappa] = params.kappa ?? absent;
  const out = rt.run('lif_scan', inputs, attrs);
  return {
    spikes: spiking ? out[OUT.s]! : null,
    membrane: out[OUT.h]!,
    current: synapse ? out[OUT.i]! : null,
    adaptation: adaptive ? out[OUT.a]! : null,
    state: { v: out[OUT.vT]!, i: synapse ? out[OUT.iT]! : null, a: adaptive ? out[OUT.aT]! : null },
  };
}

/** Heaviside step of z with the surrogate's gradient (for unrolled or custom neurons). */
export function surrogateSpike(z: Tensor, surrogate: SurrogateSpec, sigma?: Tensor): Tensor {
  const rt = z.runtime;
  const s = sigma ?? rt.zeros(ABSENT, { dtype: z.dtype, backend: z.backend });
  return rt.run1('surrogate_spike', [z, s], { surrogate });
}

/** The post-reset membrane of every step, from the pre-reset membrane and the spikes (OPS.md). */
export function postResetMembrane(
  membrane: Tensor,
  spikes: Tensor | null,
  threshold: Tensor | null,
  reset: ResetMode,
  vReset = 0,
): Tensor {
  if (!spikes || reset === 'none') return membrane;
  if (reset === 'zero') return ops.where(spikes, vReset, membrane);
  return membrane.sub(spikes.mul(threshold!));
}

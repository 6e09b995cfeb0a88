import type { DType, OpExample, Runtime, Tensor } from '@neurite/kernel';
import { surrogateOf } from '../surrogates/resolve.js';
import {
  ABSENT,
  IN,
  type KernelSurrogate,
  type LifScanAttrs,
  type LifScanGradAttrs,
  OUT,
  type SurrogateSpec,
} from './attrs.js';
import { membraneStd } from './membrane-std.js';

// Sample calls of the three ops for the conformance kit (`@neurite/kernel/testing`): small sequences
// [T, B, N] = [4, 2, 3] whose inputs cross the thresholds, so that spikes and resets happen.

const T = 4;
const B = 2;
const N = 3;
const ATAN: SurrogateSpec = { name: 'atan', alpha: 2 };

/** The 9 inputs of `lif_scan`, by name; the absent ones are filled with [0]. */
type ScanInputs = { x: Tensor } & Partial<Record<Exclude<keyof typeof IN, 'x'>, Tensor>>;

function scanInputs(rt: Runtime, given: ScanInputs): Tensor[] {
  const absent = rt.zeros(ABSENT, { dtype: given.x.dtype });
  const inputs: Tensor[] = new Array(9).fill(absent);
  for (const [name, k] of Object.entries(IN)) {
    const t = given[name as keyof typeof IN];
    if (t) inputs[k] = t;
  }
  return inputs;
}

const uniform = (rt: Runtime, shape: number[], low: number, high: number, dtype: DType = 'float64') =>
  rt.rand(shape, { low, high, dtype });
const values = (rt: Runtime, v: number[], dtype: DType = 'float64') => rt.tensor(v, { dtype });

/** A fixed input [T, B, N] under which the adaptive example's membranes stay ≥ 0.038 from θ_t (12 spikes). */
function adaptiveDrive(): Float64Array {
  const levels = [0.15, 0.35, 0.55, 0.75, 0.95];
  const x = new Float64Array(T * B * N);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++)
      for (let n = 0; n < N; n++) x[(t * B + b) * N + n] = levels[(t * 7 + b * 3 + n * 5) % 5]! - 0.1 * b;
  return x;
}

const attrs = (a: Partial<LifScanAttrs>): LifScanAttrs => ({
  spiking: true,
  synapse: false,
  adaptive: false,
  reset: 'subtract',
  vReset: 0,
  detachReset: true,
  surrogate: ATAN,
  ...a,
});

/**
 * `lif_scan` in float64 over the family's variants. The gradient check needs the true derivative to
 * exist, so it projects only the membrane outputs (h and vT, and the current i, iT): spikes are a step
 * function, and so is the adaptation a (a sum of spikes). The reset is detached (`detachReset`), so no
 * spike's surrogate enters the membrane's gradient (the one attached example makes its surrogate zero
 * instead); with the spikes locally constant, the backward is then exactly the derivative of the
 * forward, parameters and initial states included. Between them the examples check every input's
 * gradient.
 */
export function lifScanExamples(rt: Runtime): OpExample<LifScanAttrs>[] {
  const membrane = (a: LifScanAttrs) => (a.synapse ? [OUT.h, OUT.i, OUT.vT, OUT.iT] : [OUT.h, OUT.vT]);
  const example = (label: string, a: LifScanAttrs, given: ScanInputs): OpExample<LifScanAttrs> => ({
    label,
    inputs: scanInputs(rt, given),
    attrs: a,
    outputs: membrane(a),
  });
  const x = () => uniform(rt, [T, B, N], -0.2, 1.2);
  const state = () => uniform(rt, [B, N], 0, 0.5);
  return [
    example('LIF, subtract reset, per-neuron beta and threshold', attrs({}), {
      x: x(),
      v0: state(),
      beta: values(rt, [0.7, 0.8, 0.9]),
      threshold: values(rt, [0.6, 0.5, 0.7]),
    }),
    example(
      'IF (beta 1), zero reset to -0.2, one threshold for the layer',
      attrs({ reset: 'zero', vReset: -0.2 }),
      {
        x: x(),
        beta: values(rt, [1]),
        threshold: values(rt, [0.8]),
      },
    ),
    example('CuBa LIF, subtract reset', attrs({ synapse: true }), {
      x: x(),
      v0: state(),
      i0: state(),
      beta: values(rt, [0.85]),
      alpha: values(rt, [0.5, 0.6, 0.7]),
      threshold: values(rt, [0.9, 1, 1.1]),
    }),
    // Adaptation raises the threshold after each spike; with a zero reset the membrane does not depend
    // on the threshold (∂v/∂θ = 0), so the adaptation's gradients are exactly zero, as the derivative is.
    example('adaptive LIF, zero reset', attrs({ adaptive: true, reset: 'zero', vReset: 0.1 }), {
      x: x(),
      v0: state(),
      a0: uniform(rt, [B, N], 0, 1),
      beta: values(rt, [0.8, 0.9, 0.95]),
      threshold: values(rt, [0.5]),
      rho: values(rt, [0.7, 0.8, 0.9]),
      kappa: values(rt, [0.3]),
    }),
    // With the subtract reset the adaptation reaches the membrane (θ_t = θ + κ·a_{t−1} is subtracted on a
    // spike), and its gradient flows back through a's recurrence, entering each spike's surrogate. A
    // triangle narrower than the closest approach of h to θ_t (0.038 here) is zero at every step, so the
    // backward is exactly the derivative again, now with every adaptation term (a0, rho, kappa) checked
    // and the reset left attached.
    {
      label: 'adaptive LIF, subtract reset, triangle surrogate zero at every step',
      inputs: scanInputs(rt, {
        x: rt.fromArray(adaptiveDrive(), [T, B, N], { dtype: 'float64' }),
        v0: values(rt, [0.1, 0.2, 0.3, 0.15, 0.25, 0.35]).reshape([B, N]),
        a0: values(rt, [0, 0.2, 0.4, 0.2, 0.4, 0]).reshape([B, N]),
        beta: values(rt, [0.8, 0.9, 0.95]),
        threshold: values(rt, [0.5]),
        rho: values(rt, [0.7, 0.8, 0.9]),
        kappa: values(rt, [0.3]),
      }),
      attrs: attrs({
        adaptive: true,
        detachReset: false,
        surrogate: { name: 'triangle', width: 0.02, scale: 1 },
      }),
      outputs: [OUT.h, OUT.vT],
    },
    example('LI (leaky integrator, no spikes)', attrs({ spiking: false, reset: 'none' }), {
      x: x(),
      v0: state(),
      beta: values(rt, [0.6, 0.75, 0.9]),
    }),
    example('CuBa LI', attrs({ spiking: false, synapse: true, reset: 'none' }), {
      x: x(),
      i0: state(),
      beta: values(rt, [0.9]),
      alpha: values(rt, [0.7]),
    }),
  ];
}

/**
 * `lif_scan_grad` on the saved outputs of real forward calls, with each kind of surrogate input: none
 * (a fused surrogate), PDSG's σ per step, and a precomputed φ (`given`); some gradients not needed, so
 * they come back as [0]. It is the backward of `lif_scan` and has no gradient of its own: the kit
 * checks its outputs against `infer`; its values are checked through `lif_scan`'s gradient above and
 * against the unrolled recurrence in the tests.
 */
export function lifScanGradExamples(rt: Runtime): OpExample<LifScanGradAttrs>[] {
  const example = (
    label: string,
    forward: LifScanAttrs,
    given: ScanInputs,
    surrogate: KernelSurrogate,
    needs: readonly boolean[],
    surr: (h: Tensor, inputs: Tensor[]) => Tensor | null,
  ): OpExample<LifScanGradAttrs> => {
    const inputs = scanInputs(rt, given);
    const dtype = given.x.dtype;
    const outs = rt.run('lif_scan', inputs, forward);
    const absent = rt.zeros(ABSENT, { dtype });
    // Incoming gradients of the float outputs that exist; a spike's gradient is float32.
    const incoming = outs.map((o, k) =>
      o.size === 0 ? absent : rt.randn(o.shape, { dtype: k === OUT.s ? 'float32' : dtype }),
    );
    const saved = [OUT.s, OUT.h, OUT.i, OUT.a].map((k) => outs[k]!);
    const kept = [IN.v0, IN.i0, IN.a0, IN.beta, IN.alpha, IN.threshold, IN.rho, IN.kappa].map(
      (k) => inputs[k]!,
    );
    const { surrogate: _spec, ...rest } = forward;
    return {
      label,
      inputs: [...incoming, ...saved, ...kept, surr(outs[OUT.h]!, inputs) ?? absent],
      attrs: { ...rest, surrogate, needs },
    };
  };
  const all = [true, true, true, true, true, true, true, true, true];
  return [
    example(
      'LIF, subtract reset, atan, every gradient',
      attrs({ detachReset: false }),
      {
        x: uniform(rt, [T, B, N], -0.2, 1.2, 'float32'),
        v0: uniform(rt, [B, N], 0, 0.5, 'float32'),
        beta: values(rt, [0.7, 0.8, 0.9], 'float32'),
        threshold: values(rt, [0.6], 'float32'),
      },
      { name: 'atan', alpha: 2 },
      [true, true, false, false, true, false, true, false, false],
      () => null,
    ),
    example(
      'adaptive CuBa LIF, subtract reset, PDSG σ per step',
      attrs({ synapse: true, adaptive: true, detachReset: false }),
      {
        x: uniform(rt, [T, B, N], -0.2, 1.5),
        i0: uniform(rt, [B, N], 0, 0.5),
        a0: uniform(rt, [B, N], 0, 1),
        beta: values(rt, [0.9]),
        alpha: values(rt, [0.5, 0.6, 0.7]),
        threshold: values(rt, [0.7, 0.8, 0.9]),
        rho: values(rt, [0.9]),
        kappa: values(rt, [0.2, 0.3, 0.4]),
      },
      { name: 'pdsg' },
      all.map((_, k) => k !== 1), // v0 is absent: no gradient
      (h) => membraneStd(h, 'layer'),
    ),
    example(
      'LIF, zero reset, precomputed φ (given)',
      attrs({ reset: 'zero', vReset: -0.1 }),
      {
        x: uniform(rt, [T, B, N], -0.2, 1.2, 'float32'),
        v0: uniform(rt, [B, N], 0, 0.5, 'float32'),
        beta: values(rt, [0.8, 0.85, 0.9], 'float32'),
        threshold: values(rt, [0.6], 'float32'),
      },
      { name: 'given' },
      [true, false, false, false, true, false, true, false, false],
      // How surrogates without a fused form reach the kernel: φ evaluated with tensor ops on z = h − θ
      // (here the sigmoid's).
      (h, inputs) => {
        const { def, params } = surrogateOf(rt, { name: 'sigmoid', slope: 4 });
        return def.derivative(h.sub(inputs[IN.threshold]!.reshape([])), params);
      },
    ),
    example(
      'LI, every gradient',
      attrs({ spiking: false, reset: 'none' }),
      { x: uniform(rt, [T, B, N], -1, 1), v0: uniform(rt, [B, N], -1, 1), beta: values(rt, [0.9]) },
      { name: 'straight-through', scale: 1 },
      [true, true, false, false, true, false, false, false, false],
      () => null,
    ),
  ];
}

/**
 * `surrogate_spike` in both float dtypes, with and without PDSG's σ input. Its output is a step function
 * (dtype spike) whose gradient is the surrogate, not the derivative, so it is checked for shapes only
 * (`wrt: []`); test/surrogates.test.ts gradient-checks every surrogate against its primitive.
 */
export function surrogateSpikeExamples(rt: Runtime): OpExample<{ surrogate: SurrogateSpec }>[] {
  const z = (dtype: DType) => uniform(rt, [2, 3], -1, 1, dtype);
  const absent = (dtype: DType) => rt.zeros(ABSENT, { dtype });
  return [
    { label: 'atan', inputs: [z('float32'), absent('float32')], attrs: { surrogate: ATAN }, wrt: [] },
    {
      label: 'triangle, float64',
      inputs: [z('float64'), absent('float64')],
      attrs: { surrogate: { name: 'triangle', width: 0.5, scale: 0.3 } },
      wrt: [],
    },
    {
      label: 'pdsg with σ per column',
      inputs: [z('float32'), uniform(rt, [3], 0.5, 1.5, 'float32')],
      attrs: { surrogate: { name: 'pdsg', scope: 'channel' } },
      wrt: [],
    },
  ];
}

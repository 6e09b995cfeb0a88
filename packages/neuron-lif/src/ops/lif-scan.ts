import {
  broadcastShapes,
  DTypeError,
  defineOp,
  type GradContext,
  isFloat,
  type OpDef,
  ops,
  ShapeError,
  sizeOf,
  type Tensor,
  type TensorMeta,
} from '@neurite/kernel';
import { surrogateOf } from '../surrogates/resolve.js';
import {
  ABSENT,
  GRAD_OUTPUTS,
  IN,
  type KernelSurrogate,
  type LifScanAttrs,
  type LifScanGradAttrs,
  OUT,
  type SurrogateSpec,
} from './attrs.js';
import { lifScanExamples, lifScanGradExamples, surrogateSpikeExamples } from './examples.js';
import { membraneStd } from './membrane-std.js';

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

function checkSequence(op: string, x: TensorMeta): { T: number; B: number; F: number[]; P: number } {
  if (x.shape.length < 2) throw new ShapeError(op, 'x must be time-major [T, B, ...features]', [x.shape]);
  if (!isFloat(x.dtype)) throw new DTypeError(op, `x must be float32 or float64, found ${x.dtype}`);
  const [T, B, ...F] = x.shape as [number, number, ...number[]];
  if (T < 1 || B < 1) throw new ShapeError(op, 'needs at least one step and one sample', [x.shape]);
  return { T, B, F, P: sizeOf(F) };
}

/** Checks the 9 inputs of `lif_scan` against the attrs (OPS.md, "Inputs"). */
function checkScanInputs(op: string, inputs: readonly TensorMeta[], a: Omit<LifScanAttrs, 'surrogate'>) {
  const x = inputs[IN.x]!;
  const dims = checkSequence(op, x);
  const stateShape = x.shape.slice(1);
  const states: [string, number, boolean][] = [
    ['v0', IN.v0, true],
    ['i0', IN.i0, a.synapse],
    ['a0', IN.a0, a.adaptive],
  ];
  for (const [name, k, used] of states) {
    const m = inputs[k]!;
    if (m.shape.length === 1 && m.shape[0] === 0) continue;
    if (!used) throw new ShapeError(op, `${name} must be absent ([0]) when its feature is off`, [m.shape]);
    if (m.dtype !== x.dtype || m.shape.join() !== stateShape.join()) {
      throw new ShapeError(
        op,
        `${name} must be absent or ${x.dtype} ${fmt(stateShape)}, found ${m.dtype} ${fmt(m.shape)}`,
      );
    }
  }
  const params: [string, number, boolean][] = [
    ['beta', IN.beta, true],
    ['alpha', IN.alpha, a.synapse],
    ['threshold', IN.threshold, a.spiking],
    ['rho', IN.rho, a.adaptive],
    ['kappa', IN.kappa, a.adaptive],
  ];
  for (const [name, k, used] of params) {
    const m = inputs[k]!;
    const n = sizeOf(m.shape);
    if (!used) {
      if (n !== 0)
        throw new ShapeError(op, `${name} must be absent ([0]) when its feature is off`, [m.shape]);
      continue;
    }
    if (n !== 1 && n !== dims.P) {
      throw new ShapeError(op, `${name} must have size 1 or ${dims.P} (one per neuron of ${fmt(dims.F)})`, [
        m.shape,
      ]);
    }
    if (m.dtype !== x.dtype) throw new DTypeError(op, `${name} must be ${x.dtype}, found ${m.dtype}`);
  }
  return dims;
}

/** The fused multi-step neuron (OPS.md): forward kernel per backend, backward through `lif_scan_grad`. */
export const lifScanOp: OpDef<LifScanAttrs> = defineOp<LifScanAttrs>({
  name: 'lif_scan',
  infer: (inputs, attrs) => {
    if (inputs.length !== 9) throw new ShapeError('lif_scan', `takes 9 inputs, found ${inputs.length}`);
    checkScanInputs('lif_scan', inputs, attrs);
    const x = inputs[IN.x]!;
    const seq = x.shape;
    const state = seq.slice(1);
    const f = x.dtype;
    return [
      { shape: attrs.spiking ? seq : ABSENT, dtype: 'spike' },
      { shape: seq, dtype: f },
      { shape: attrs.synapse ? seq : ABSENT, dtype: f },
      { shape: attrs.adaptive ? seq : ABSENT, dtype: f },
      { shape: state, dtype: f },
      { shape: attrs.synapse ? state : ABSENT, dtype: f },
      { shape: attrs.adaptive ? state : ABSENT, dtype: f },
    ];
  },
  grad: lifScanGrad,
  examples: lifScanExamples,
});

/** The hand-written backward of `lif_scan` (OPS.md); not differentiable itself. */
export const lifScanGradOp: OpDef<LifScanGradAttrs> = defineOp<LifScanGradAttrs>({
  name: 'lif_scan_grad',
  infer: (inputs, attrs) => {
    if (inputs.length !== 20)
      throw new ShapeError('lif_scan_grad', `takes 20 inputs, found ${inputs.length}`);
    const h = inputs[8]!;
    checkSequence('lif_scan_grad', h);
    const f = h.dtype;
    const seq = h.shape;
    const state = seq.slice(1);
    const shapes = [seq, state, state, state, state, state, state, state, state];
    return shapes.map((shape, k) => ({ shape: attrs.needs[k] ? shape : ABSENT, dtype: f }));
  },
  examples: lifScanGradExamples,
});

/** Heaviside step of z with a surrogate gradient, elementwise (OPS.md `surrogate_spike`). */
export const surrogateSpikeOp: OpDef<{ surrogate: SurrogateSpec }> = defineOp<{ surrogate: SurrogateSpec }>({
  name: 'surrogate_spike',
  infer: ([z, sigma]) => {
    if (!isFloat(z!.dtype)) throw new DTypeError('surrogate_spike', `z must be float, found ${z!.dtype}`);
    if (sizeOf(sigma!.shape) > 0) broadcastShapes('surrogate_spike', z!.shape, sigma!.shape);
    return [{ shape: z!.shape, dtype: 'spike' }];
  },
  grad: ({ inputs: [z, sigma], attrs, grads: [g], runtime }) => {
    const { def, params } = surrogateOf(runtime, attrs.surrogate);
    const phi = def.derivative(z!, params, sigma!.size > 0 ? sigma! : undefined);
    return [g!.mul(phi), null];
  },
  examples: surrogateSpikeExamples,
});

/** Tensor form of a parameter for tensor-op formulas: F-shaped when per neuron, a scalar otherwise. */
function paramTensor(p: Tensor, F: readonly number[]): Tensor {
  return p.size === 1 ? p.reshape([]) : p.reshape(F);
}

/**
 * φ over [T, B, ...F] for surrogates without a fused form, with tensor ops: z = h − θ_t, where θ_t adds
 * the adaptation of the previous step.
 */
function precomputedPhi(ctx: GradContext<LifScanAttrs>, sigma: Tensor | undefined): Tensor {
  const { inputs, outputs, attrs, runtime } = ctx;
  const h = outputs[OUT.h]!;
  const [T, B, ...F] = h.shape as [number, number, ...number[]];
  let theta = paramTensor(inputs[IN.threshold]!, F);
  if (attrs.adaptive) {
    const a0 = inputs[IN.a0]!.size
      ? inputs[IN.a0]!.reshape([1, B, ...F])
      : runtime.zeros([1, B, ...F], { dtype: h.dtype, backend: h.backend });
    const aPrev = T > 1 ? ops.concat([a0, outputs[OUT.a]!.slice([0], [T - 1])], 0) : a0;
    theta = theta.add(paramTensor(inputs[IN.kappa]!, F).mul(aPrev));
  }
  const { def, params } = surrogateOf(runtime, attrs.surrogate);
  const sd =
    sigma &&
    (sigma.size === T ? sigma.reshape([T, ...h.shape.slice(1).map(() => 1)]) : sigma.reshape([T, 1, ...F]));
  return def.derivative(h.sub(theta), params, sd);
}

function lifScanGrad(ctx: GradContext<LifScanAttrs>): (Tensor | null)[] {
  const { inputs, outputs, attrs, grads, runtime } = ctx;
  const needs = GRAD_OUTPUTS.map((_, k) => inputs[k]!.requiresGrad && inputs[k]!.size > 0);
  if (!needs.some(Boolean)) return inputs.map(() => null);
  const h = outputs[OUT.h]!;
  const absent = runtime.zeros(ABSENT, { dtype: h.dtype, backend: h.backend });

  let surrogate: KernelSurrogate = { name: 'straight-through', scale: 1 };
  let surr = absent;
  if (attrs.spiking) {
    const { def, params } = surrogateOf(runtime, attrs.surrogate);
    const sigma = def.membraneStd
      ? membraneStd(h, params.scope === 'layer' ? 'layer' : 'channel')
      : undefined;
    if (def.fused) {
      surrogate = def.fused(params);
      if (surrogate.name === 'pdsg') surr = sigma!;
    } else {
      surrogate = { name: 'given' };
      surr = precomputedPhi(ctx, sigma);
    }
  }

  const incoming = grads.map((g) => g ?? absent);
  const saved = [OUT.s, OUT.h, OUT.i, OUT.a].map((k) => outputs[k]!);
  const given = [IN.v0, IN.i0, IN.a0, IN.beta, IN.alpha, IN.threshold, IN.rho, IN.kappa].map(
    (k) => inputs[k]!,
  );
  const { surrogate: _spec, ...rest } = attrs;
  const gradAttrs: LifScanGradAttrs = { ...rest, surrogate, needs };
  const results = runtime.run('lif_scan_grad', [...incoming, ...saved, ...given, surr], gradAttrs);

  return inputs.map((input, k) => {
    if (!needs[k]) return null;
    const g = results[k]!;
    if (k < IN.beta) return g;
    // Parameter gradients come per sample and neuron: sum over the batch (and the neurons for a
    // single value) and take the parameter's own shape.
    return (input.size === 1 ? g.sum() : g.sum(0)).reshape(input.shape);
  });
}

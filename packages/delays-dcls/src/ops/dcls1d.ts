import {
  type DType,
  DTypeError,
  defineOp,
  isFloat,
  type OpDef,
  promote,
  type Runtime,
  ShapeError,
  type Tensor,
  type TensorMeta,
} from '@neurite/kernel';
import type { DclsVersion } from './bump.js';

/**
 * `dcls1d`: a layer of synapses over time, each with one weight and one learnable position, applied as
 * the reference applies its DCLS kernel — zero padding of K − 1 steps before the input and (K − 1) // 2
 * after it, then a cross-correlation with the K-long kernel of each synapse (see bump.ts):
 *
 *   y[t, b, o] = Σ_i Σ_k w[o,i]·n_k(p[o,i])·x[t + k − (K − 1), b, i],   t = 0 … T + (K − 1)//2 − 1
 *
 * For a one-hot kernel at tap k this is x delayed by d = K − 1 − k steps; with k = p + lim and odd K,
 * d = lim − p. Only the taps where each synapse's bump is non-negligible are computed, forward and
 * backward.
 *
 * Inputs: x [T, B, Cin] (float or spike), weight [Cout, Cin], positions [Cout, Cin] (float), sig (one
 * value: the kernel width SIG, which is not trained). Output: [T + (K − 1)//2, B, Cout].
 */
export interface Dcls1dAttrs {
  /** K: taps per synapse (delays 0 … K − 1). */
  readonly kernelSize: number;
  readonly version: DclsVersion;
  /** 'gauss': taps farther than truncate·σ from the centre are skipped (bump.ts gives the bound). */
  readonly truncate: number;
}

/**
 * `dcls1d_grad`: the hand-written backward. Inputs: the output gradient [T', B, Cout], then the forward's
 * inputs x, weight, positions, sig. Outputs: gx [T, B, Cin], gweight and gpositions [Cout, Cin]; an
 * output not asked for in `needs` (gx, gweight, gpositions) is returned absent, as shape [0].
 */
export interface Dcls1dGradAttrs extends Dcls1dAttrs {
  readonly needs: readonly [boolean, boolean, boolean];
}

const fmt = (s: readonly number[]) => `[${s.join(', ')}]`;

/** Output steps: the reference pads (K − 1) // 2 zeros after the input. */
export function outputSteps(T: number, kernelSize: number): number {
  return T + Math.floor((kernelSize - 1) / 2);
}

function checkAttrs(op: string, a: Dcls1dAttrs, shapes: readonly (readonly number[])[]): void {
  if (!Number.isInteger(a.kernelSize) || a.kernelSize < 1) {
    throw new ShapeError(op, `kernelSize must be a positive integer, found ${a.kernelSize}`, shapes);
  }
  if (a.version !== 'gauss' && a.version !== 'max') {
    throw new ShapeError(op, `version must be 'gauss' or 'max', found ${String(a.version)}`, shapes);
  }
  if (!(a.truncate > 0)) throw new ShapeError(op, `truncate must be positive, found ${a.truncate}`, shapes);
}

function checkFloat(op: string, what: string, m: TensorMeta): void {
  if (!isFloat(m.dtype)) throw new DTypeError(op, `${what} must be float32 or float64, found ${m.dtype}`);
}

/** Checks x, weight, positions and sig; returns the sizes. */
function checkInputs(op: string, [x, w, p, sig]: readonly TensorMeta[], a: Dcls1dAttrs) {
  const shapes = [x!.shape, w!.shape, p!.shape, sig!.shape];
  checkAttrs(op, a, shapes);
  if (x!.shape.length !== 3) throw new ShapeError(op, 'x must be time-major [T, B, in features]', shapes);
  if (!isFloat(x!.dtype) && x!.dtype !== 'spike') {
    throw new DTypeError(op, `x must be float or spike, found ${x!.dtype}`);
  }
  const [T, B, Cin] = x!.shape as [number, number, number];
  if (T < 1 || B < 1) throw new ShapeError(op, 'x needs at least one step and one sample', shapes);
  if (w!.shape.length !== 2 || w!.shape[1] !== Cin) {
    throw new ShapeError(op, `weight must be [out features, ${Cin}], found ${fmt(w!.shape)}`, shapes);
  }
  if (p!.shape.join() !== w!.shape.join()) {
    throw new ShapeError(op, `positions must have the weight's shape ${fmt(w!.shape)}`, shapes);
  }
  if (sig!.shape.reduce((s, d) => s * d, 1) !== 1) {
    throw new ShapeError(op, 'sig must hold one value', shapes);
  }
  checkFloat(op, 'weight', w!);
  checkFloat(op, 'positions', p!);
  checkFloat(op, 'sig', sig!);
  const Cout = w!.shape[0]!;
  const dtype: DType = promote(isFloat(x!.dtype) ? x!.dtype : 'float32', promote(w!.dtype, p!.dtype));
  return { T, B, Cin, Cout, Tp: outputSteps(T, a.kernelSize), dtype };
}

/** Small calls of the ops for the conformance kit: Gaussian and triangle kernels, sparse, dense and spike inputs. */
function sampleInputs(rt: Runtime, density: number) {
  const [T, B, Cin, Cout] = [6, 2, 3, 2];
  const x = rt.rand([T, B, Cin]).mul(rt.rand([T, B, Cin]).lt(density).cast('float32'));
  return { x, w: rt.randn([Cout, Cin]), p: rt.rand([Cout, Cin], { low: -2, high: 2 }) };
}

const tolerance = { atol: 1e-6, rtol: 1e-5 };

export const dcls1dOp: OpDef<Dcls1dAttrs> = defineOp<Dcls1dAttrs>({
  name: 'dcls1d',
  // sig (input 3) is the width schedule's value, not trained: it gets no gradient.
  examples: (rt) => {
    const sparse = sampleInputs(rt, 0.3);
    const dense = sampleInputs(rt, 1);
    const spikes = rt.rand([6, 2, 3]).lt(0.3);
    return [
      {
        label: 'gauss, sparse input',
        inputs: [sparse.x, sparse.w, sparse.p, rt.scalar(0.6)],
        attrs: { kernelSize: 5, version: 'gauss', truncate: 6 },
        wrt: [0, 1, 2],
        tolerance,
      },
      {
        label: 'max, dense input',
        inputs: [dense.x, dense.w, dense.p, rt.scalar(0.3)],
        attrs: { kernelSize: 5, version: 'max', truncate: 6 },
        wrt: [0, 1, 2],
        tolerance,
      },
      {
        label: 'gauss, spike input',
        inputs: [spikes, dense.w, dense.p, rt.scalar(2)],
        attrs: { kernelSize: 7, version: 'gauss', truncate: 6 },
        wrt: [1, 2],
        tolerance,
      },
    ];
  },
  infer: (inputs, attrs) => {
    if (inputs.length !== 4)
      throw new ShapeError('dcls1d', `takes 4 inputs (x, weight, positions, sig), found ${inputs.length}`);
    const { B, Cout, Tp, dtype } = checkInputs('dcls1d', inputs, attrs);
    return [{ shape: [Tp, B, Cout], dtype }];
  },
  grad: ({ inputs: [x, w, p, sig], attrs, grads: [g], runtime }) => {
    const needs: [boolean, boolean, boolean] = [x!.requiresGrad, w!.requiresGrad, p!.requiresGrad];
    if (!needs.some(Boolean)) return [null, null, null, null];
    const [gx, gw, gp] = runtime.run('dcls1d_grad', [g!, x!, w!, p!, sig!], {
      ...attrs,
      needs,
    } satisfies Dcls1dGradAttrs);
    return [needs[0] ? gx! : null, needs[1] ? gw! : null, needs[2] ? gp! : null, null];
  },
});

export const dcls1dGradOp: OpDef<Dcls1dGradAttrs> = defineOp<Dcls1dGradAttrs>({
  name: 'dcls1d_grad',
  examples: (rt) => {
    const { x, w, p } = sampleInputs(rt, 0.3);
    const g = rt.randn([8, 2, 2]);
    const attrs = { kernelSize: 5, version: 'gauss', truncate: 6 } as const;
    return [
      {
        label: 'every gradient',
        inputs: [g, x, w, p, rt.scalar(0.6)],
        attrs: { ...attrs, needs: [true, true, true] },
      },
      {
        label: 'positions only',
        inputs: [g, x, w, p, rt.scalar(0.6)],
        attrs: { ...attrs, needs: [false, false, true] },
      },
    ];
  },
  infer: (inputs, attrs) => {
    if (inputs.length !== 5) {
      throw new ShapeError(
        'dcls1d_grad',
        `takes 5 inputs (grad, x, weight, positions, sig), found ${inputs.length}`,
      );
    }
    const [g, ...forward] = inputs;
    const { T, B, Cin, Cout, Tp } = checkInputs('dcls1d_grad', forward, attrs);
    if (g!.shape.join() !== [Tp, B, Cout].join()) {
      throw new ShapeError(
        'dcls1d_grad',
        `the gradient must be [${Tp}, ${B}, ${Cout}], found ${fmt(g!.shape)}`,
        [g!.shape],
      );
    }
    checkFloat('dcls1d_grad', 'the gradient', g!);
    const needs = attrs.needs;
    if (!Array.isArray(needs) || needs.length !== 3)
      throw new ShapeError('dcls1d_grad', 'needs must be three booleans');
    const [x, w, p] = forward;
    const absent = (dtype: DType): TensorMeta => ({ shape: [0], dtype });
    const gxType = isFloat(x!.dtype) ? x!.dtype : g!.dtype;
    return [
      needs[0] ? { shape: [T, B, Cin], dtype: gxType } : absent(gxType),
      needs[1] ? { shape: [Cout, Cin], dtype: w!.dtype } : absent(w!.dtype),
      needs[2] ? { shape: [Cout, Cin], dtype: p!.dtype } : absent(p!.dtype),
    ];
  },
});

export interface Dcls1dOptions {
  readonly kernelSize: number;
  readonly version?: DclsVersion;
  readonly truncate?: number;
}

/** Default Gaussian truncation radius, in σ (bump.ts: skipped taps are below 1e-7 of the weight). */
export const DEFAULT_TRUNCATE = 6;

/**
 * The DCLS synaptic layer as a function: x [T, B, Cin] → [T + (K − 1)//2, B, Cout]. `sig` is a tensor of
 * one value (a layer's SIG buffer, or a constant), so a width schedule needs no host read.
 */
export function dcls1d(
  x: Tensor,
  weight: Tensor,
  positions: Tensor,
  sig: Tensor | number,
  options: Dcls1dOptions,
): Tensor {
  const s =
    typeof sig === 'number'
      ? x.runtime.scalar(sig, { dtype: positions.dtype, backend: positions.backend })
      : sig;
  const attrs: Dcls1dAttrs = {
    kernelSize: options.kernelSize,
    version: options.version ?? 'gauss',
    truncate: options.truncate ?? DEFAULT_TRUNCATE,
  };
  return x.runtime.run1('dcls1d', [x, weight, positions, s], attrs);
}

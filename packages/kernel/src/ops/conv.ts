import type { TensorMeta } from '../backend/contract.js';
import { DTypeError, ShapeError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { arithmeticResult, type DType, isFloat, promote } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { sample } from './examples.js';
import { defineOp, type OpDef } from './op.js';

/**
 * Convolution (PyTorch semantics: cross-correlation) over 1 or 2 spatial axes, as three ops per rank so
 * that every backend can override each: the forward product `conv{n}d`, the input gradient
 * `conv{n}d_input_grad` (a transposed convolution) and the weight gradient `conv{n}d_weight_grad`.
 * The three are closed under differentiation (each one's vector-Jacobian products are the other two),
 * so gradients of any order are available.
 */
export interface ConvAttrs {
  /** One entry per spatial axis. */
  readonly stride: readonly number[];
  /** Zero padding [before, after] per spatial axis. */
  readonly padding: readonly (readonly [number, number])[];
  readonly dilation: readonly number[];
  readonly groups: number;
}

/** The input gradient also needs the input's spatial size: with stride > 1, several sizes give one output size. */
export interface ConvInputGradAttrs extends ConvAttrs {
  readonly inputSize: readonly number[];
}

export interface ConvWeightGradAttrs extends ConvAttrs {
  readonly kernelSize: readonly number[];
}

/** Output length of one axis: ⌊(n + before + after − d·(k − 1) − 1) / s⌋ + 1. */
export function convOutputSize(
  n: number,
  k: number,
  stride: number,
  pad: readonly [number, number],
  dilation: number,
): number {
  return Math.floor((n + pad[0] + pad[1] - dilation * (k - 1) - 1) / stride) + 1;
}

function checkAttrs(op: string, attrs: ConvAttrs, rank: number, shapes: Shape[]): void {
  const positiveInts = (v: readonly number[]) =>
    v.length === rank && v.every((s) => Number.isInteger(s) && s > 0);
  if (!positiveInts(attrs.stride))
    throw new ShapeError(op, `stride [${attrs.stride}] must be ${rank} positive integers`, shapes);
  if (!positiveInts(attrs.dilation)) {
    throw new ShapeError(op, `dilation [${attrs.dilation}] must be ${rank} positive integers`, shapes);
  }
  if (
    attrs.padding.length !== rank ||
    !attrs.padding.every((p) => p.length === 2 && p.every((v) => Number.isInteger(v) && v >= 0))
  ) {
    throw new ShapeError(
      op,
      `padding must be ${rank} pairs [before, after] of non-negative integers`,
      shapes,
    );
  }
  if (!Number.isInteger(attrs.groups) || attrs.groups < 1)
    throw new ShapeError(op, `groups ${attrs.groups} must be a positive integer`, shapes);
}

/** Output spatial sizes, with an error naming the op when the (dilated) kernel is larger than the padded input. */
function outputSizes(op: string, input: Shape, kernel: Shape, attrs: ConvAttrs, shapes: Shape[]): number[] {
  return input.map((n, i) => {
    const o = convOutputSize(n, kernel[i]!, attrs.stride[i]!, attrs.padding[i]!, attrs.dilation[i]!);
    if (o < 1) {
      throw new ShapeError(
        op,
        `spatial axis ${i}: dilated kernel ${attrs.dilation[i]! * (kernel[i]! - 1) + 1} exceeds padded input ${n + attrs.padding[i]![0] + attrs.padding[i]![1]}`,
        shapes,
      );
    }
    return o;
  });
}

function floatDType(op: string, what: string, m: TensorMeta, allowSpike: boolean): DType {
  if (isFloat(m.dtype) || (allowSpike && m.dtype === 'spike')) return m.dtype;
  throw new DTypeError(op, `${what} must be ${allowSpike ? 'float or spike' : 'float'}, found ${m.dtype}`);
}

/** Checks x [B, Cin, …spatial] against w [Cout, Cin/groups, …kernel] and the group count. */
function checkChannels(op: string, rank: number, x: TensorMeta, w: TensorMeta, groups: number): void {
  const shapes = [x.shape, w.shape];
  if (x.shape.length !== rank + 2)
    throw new ShapeError(
      op,
      `input must be [batch, channels, ${rank === 1 ? 'length' : 'height, width'}]`,
      shapes,
    );
  if (w.shape.length !== rank + 2)
    throw new ShapeError(
      op,
      `weight must be [out channels, in channels / groups, ${rank === 1 ? 'k' : 'kh, kw'}]`,
      shapes,
    );
  const cin = x.shape[1]!;
  const cout = w.shape[0]!;
  if (cin % groups !== 0 || cout % groups !== 0) {
    throw new ShapeError(
      op,
      `${groups} groups must divide input channels ${cin} and output channels ${cout}`,
      shapes,
    );
  }
  if (w.shape[1]! * groups !== cin) {
    throw new ShapeError(
      op,
      `weight expects ${w.shape[1]! * groups} input channels (${w.shape[1]} per group × ${groups}), found ${cin}`,
      shapes,
    );
  }
}

function convOp(rank: number): OpDef<ConvAttrs> {
  const name = `conv${rank}d`;
  return defineOp<ConvAttrs>({
    name,
    infer: ([x, w, b], attrs) => {
      const shapes = [x!.shape, w!.shape, ...(b ? [b.shape] : [])];
      checkAttrs(name, attrs, rank, shapes);
      checkChannels(name, rank, x!, w!, attrs.groups);
      let dtype = arithmeticResult(
        floatDType(name, 'input', x!, true),
        floatDType(name, 'weight', w!, false),
      );
      if (b) {
        if (b.shape.length !== 1 || b.shape[0] !== w!.shape[0])
          throw new ShapeError(name, `bias must be [${w!.shape[0]}]`, shapes);
        dtype = promote(dtype, floatDType(name, 'bias', b, false));
      }
      const out = outputSizes(name, x!.shape.slice(2), w!.shape.slice(2), attrs, shapes);
      return [{ shape: [x!.shape[0]!, w!.shape[0]!, ...out], dtype }];
    },
    grad: ({ inputs: [x, w, b], attrs, grads: [g] }) => [
      x!.requiresGrad ? convInputGrad(g!, w!, x!.shape.slice(2), attrs) : null,
      w!.requiresGrad ? convWeightGrad(g!, x!, w!.shape.slice(2), attrs) : null,
      b?.requiresGrad ? g!.sum([0, ...Array.from({ length: rank }, (_, i) => i + 2)]) : null,
    ],
    examples: (rt) =>
      convExamples(rt, rank).map((e) => ({ label: e.label, inputs: [e.x, e.w, e.b], attrs: e.attrs })),
  });
}

function convInputGradOp(rank: number): OpDef<ConvInputGradAttrs> {
  const name = `conv${rank}d_input_grad`;
  return defineOp<ConvInputGradAttrs>({
    name,
    infer: ([g, w], attrs) => {
      const shapes = [g!.shape, w!.shape];
      checkAttrs(name, attrs, rank, shapes);
      if (attrs.inputSize.length !== rank)
        throw new ShapeError(name, `inputSize must have ${rank} entries`, shapes);
      const cin = w!.shape[1]! * attrs.groups;
      checkChannels(
        name,
        rank,
        { shape: [g!.shape[0]!, cin, ...attrs.inputSize], dtype: g!.dtype },
        w!,
        attrs.groups,
      );
      checkGradShape(
        name,
        g!,
        w!.shape[0]!,
        outputSizes(name, attrs.inputSize, w!.shape.slice(2), attrs, shapes),
        shapes,
      );
      const dtype = arithmeticResult(
        floatDType(name, 'gradient', g!, false),
        floatDType(name, 'weight', w!, false),
      );
      return [{ shape: [g!.shape[0]!, cin, ...attrs.inputSize], dtype }];
    },
    // Linear in g and in w: d/dg is the forward convolution of the incoming gradient h, d/dw the
    // weight gradient with h in the place of the input.
    grad: ({ inputs: [g, w], attrs, grads: [h] }) => [
      g!.requiresGrad ? convForward(h!, w!, null, attrs) : null,
      w!.requiresGrad ? convWeightGrad(g!, h!, w!.shape.slice(2), attrs) : null,
    ],
    examples: (rt) =>
      convExamples(rt, rank).map((e) => ({
        label: e.label,
        inputs: [sample(rt, e.outShape), e.w],
        attrs: { ...e.attrs, inputSize: e.x.shape.slice(2) },
      })),
  });
}

function convWeightGradOp(rank: number): OpDef<ConvWeightGradAttrs> {
  const name = `conv${rank}d_weight_grad`;
  return defineOp<ConvWeightGradAttrs>({
    name,
    infer: ([g, x], attrs) => {
      const shapes = [g!.shape, x!.shape];
      checkAttrs(name, attrs, rank, shapes);
      if (attrs.kernelSize.length !== rank || !attrs.kernelSize.every((k) => Number.isInteger(k) && k > 0)) {
        throw new ShapeError(name, `kernelSize must be ${rank} positive integers`, shapes);
      }
      if (x!.shape.length !== rank + 2 || g!.shape.length !== rank + 2)
        throw new ShapeError(name, `gradient and input need rank ${rank + 2}`, shapes);
      const cout = g!.shape[1]!;
      const cin = x!.shape[1]!;
      if (cin % attrs.groups !== 0 || cout % attrs.groups !== 0) {
        throw new ShapeError(
          name,
          `${attrs.groups} groups must divide input channels ${cin} and output channels ${cout}`,
          shapes,
        );
      }
      checkGradShape(
        name,
        g!,
        cout,
        outputSizes(name, x!.shape.slice(2), attrs.kernelSize, attrs, shapes),
        shapes,
      );
      if (g!.shape[0] !== x!.shape[0])
        throw new ShapeError(name, 'gradient and input batch sizes differ', shapes);
      const dtype = arithmeticResult(
        floatDType(name, 'gradient', g!, false),
        floatDType(name, 'input', x!, true),
      );
      return [{ shape: [cout, cin / attrs.groups, ...attrs.kernelSize], dtype }];
    },
    grad: ({ inputs: [g, x], attrs, grads: [h] }) => [
      g!.requiresGrad ? convForward(x!, h!, null, attrs) : null,
      x!.requiresGrad ? convInputGrad(g!, h!, x!.shape.slice(2), attrs) : null,
    ],
    examples: (rt) =>
      convExamples(rt, rank).map((e) => ({
        label: e.label,
        inputs: [sample(rt, e.outShape), e.x],
        attrs: { ...e.attrs, kernelSize: e.w.shape.slice(2) },
      })),
  });
}

function checkGradShape(
  op: string,
  g: TensorMeta,
  cout: number,
  spatial: readonly number[],
  shapes: Shape[],
): void {
  if (
    g.shape.length !== spatial.length + 2 ||
    g.shape[1] !== cout ||
    spatial.some((d, i) => g.shape[i + 2] !== d)
  ) {
    throw new ShapeError(op, `gradient must be [batch, ${cout}, ${spatial.join(', ')}]`, shapes);
  }
}

/** Sample convolutions of a rank for the op examples: a padded one, and one strided, dilated and grouped. */
function convExamples(rt: Runtime, rank: number) {
  const spatial = (n: number) => Array.from({ length: rank }, () => n);
  const plain: ConvAttrs = {
    stride: spatial(1),
    padding: spatial(1).map(() => [1, 1] as const),
    dilation: spatial(1),
    groups: 1,
  };
  const fancy: ConvAttrs = {
    stride: spatial(2),
    padding: spatial(1).map(() => [0, 1] as const),
    dilation: spatial(2),
    groups: 2,
  };
  return [
    {
      label: 'padded',
      attrs: plain,
      x: sample(rt, [2, 2, ...spatial(4)]),
      w: sample(rt, [3, 2, ...spatial(3)]),
      b: sample(rt, [3]),
      out: spatial(4),
    },
    {
      label: 'strided, dilated, grouped',
      attrs: fancy,
      x: sample(rt, [1, 4, ...spatial(6)]),
      w: sample(rt, [2, 2, ...spatial(2)]),
      b: sample(rt, [2]),
      out: spatial(3),
    },
  ].map((e) => ({ ...e, outShape: [e.x.shape[0]!, e.w.shape[0]!, ...e.out] }));
}

export const convOps: OpDef[] = [1, 2].flatMap((rank) => [
  convOp(rank),
  convInputGradOp(rank),
  convWeightGradOp(rank),
]);

// ------------------------------------------------------------------ functional API

/** Padding of one spatial axis: symmetric, or [before, after]. */
export type AxisPadding = number | readonly [number, number];

export interface ConvOptions {
  /** One number for every spatial axis, or one per axis. Default 1. */
  readonly stride?: number | readonly number[];
  /**
   * Zero padding: a number for every side, one entry per spatial axis (a number or [before, after]),
   * or PyTorch's 'valid' (none) and 'same' (output as long as the input; stride 1 only, any odd
   * remainder goes after). Default 0.
   */
  readonly padding?: number | 'same' | 'valid' | readonly AxisPadding[];
  readonly dilation?: number | readonly number[];
  readonly groups?: number;
}

function perAxis(
  op: string,
  name: string,
  v: number | readonly number[] | undefined,
  rank: number,
  fallback: number,
): number[] {
  if (v === undefined) return new Array<number>(rank).fill(fallback);
  if (typeof v === 'number') return new Array<number>(rank).fill(v);
  if (v.length !== rank) throw new ShapeError(op, `${name} needs ${rank} entries, found ${v.length}`);
  return [...v];
}

/** Resolves `ConvOptions` against the kernel's spatial size into the ops' attrs. */
export function convAttrs(op: string, kernel: readonly number[], options: ConvOptions = {}): ConvAttrs {
  const rank = kernel.length;
  const stride = perAxis(op, 'stride', options.stride, rank, 1);
  const dilation = perAxis(op, 'dilation', options.dilation, rank, 1);
  const p = options.padding ?? 0;
  let padding: [number, number][];
  if (p === 'valid') padding = kernel.map(() => [0, 0]);
  else if (p === 'same') {
    if (stride.some((s) => s !== 1))
      throw new ShapeError(op, "padding 'same' needs stride 1 (as in PyTorch)");
    padding = kernel.map((k, i) => {
      const total = dilation[i]! * (k - 1);
      return [Math.floor(total / 2), total - Math.floor(total / 2)];
    });
  } else if (typeof p === 'number') padding = kernel.map(() => [p, p]);
  else {
    if (p.length !== rank)
      throw new ShapeError(op, `padding needs ${rank} entries (one per spatial axis), found ${p.length}`);
    padding = p.map((a) => (typeof a === 'number' ? [a, a] : [a[0], a[1]]));
  }
  return { stride, padding, dilation, groups: options.groups ?? 1 };
}

function convForward(x: Tensor, w: Tensor, bias: Tensor | null, attrs: ConvAttrs): Tensor {
  const rank = w.rank - 2;
  return x.runtime.run1(`conv${rank}d`, bias ? [x, w, bias] : [x, w], attrs);
}

/** Adds a batch axis of 1 to an unbatched input (as PyTorch accepts), runs `f`, and removes it again. */
function batched(x: Tensor, rank: number, f: (x: Tensor) => Tensor): Tensor {
  if (x.rank === rank + 1) return f(x.unsqueeze(0)).squeeze(0);
  return f(x);
}

/**
 * 1-D convolution (cross-correlation, as PyTorch's `F.conv1d`): input [B, Cin, L] (or [Cin, L]),
 * weight [Cout, Cin/groups, K], optional bias [Cout] → [B, Cout, Lout]. A spike input runs
 * event-driven on cpu when it is sparse.
 */
export function conv1d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  const attrs = convAttrs('conv1d', weight.shape.slice(2), options);
  return batched(x, 1, (xb) => convForward(xb, weight, bias ?? null, attrs));
}

/** 2-D convolution: input [B, Cin, H, W] (or [Cin, H, W]), weight [Cout, Cin/groups, KH, KW], bias [Cout]. */
export function conv2d(x: Tensor, weight: Tensor, bias?: Tensor | null, options: ConvOptions = {}): Tensor {
  const attrs = convAttrs('conv2d', weight.shape.slice(2), options);
  return batched(x, 2, (xb) => convForward(xb, weight, bias ?? null, attrs));
}

/**
 * The gradient of a convolution with respect to its input (a transposed convolution): from the output
 * gradient g [B, Cout, …out] and the weight, the gradient [B, Cin, …inputSize].
 */
export function convInputGrad(
  g: Tensor,
  weight: Tensor,
  inputSize: readonly number[],
  attrs: ConvAttrs,
): Tensor {
  const rank = weight.rank - 2;
  return g.runtime.run1(`conv${rank}d_input_grad`, [g, weight], {
    ...attrs,
    inputSize: [...inputSize],
  } satisfies ConvInputGradAttrs);
}

/** The gradient of a convolution with respect to its weight, from the output gradient and the input. */
export function convWeightGrad(
  g: Tensor,
  x: Tensor,
  kernelSize: readonly number[],
  attrs: ConvAttrs,
): Tensor {
  const rank = x.rank - 2;
  return g.runtime.run1(`conv${rank}d_weight_grad`, [g, x], {
    ...attrs,
    kernelSize: [...kernelSize],
  } satisfies ConvWeightGradAttrs);
}

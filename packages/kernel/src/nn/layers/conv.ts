import { type } from 'arktype';
import { defineNode } from '../../graph/node-type.js';
import { type ConvOptions, conv1d, conv2d } from '../../ops/conv.js';
import type { Rng } from '../../random/rng.js';
import type { Runtime } from '../../runtime.js';
import type { Tensor } from '../../tensor/tensor.js';
import { defaultBias, defaultWeight } from '../init.js';
import { Module, type NodeDescription, Parameter } from '../module.js';

const positive = type('number.integer > 0');
const nonNegative = type('number.integer >= 0');
/** One spatial axis's padding: symmetric, or [before, after]. */
export const axisPadding = nonNegative.or(type([nonNegative, nonNegative]));
/** A size per spatial axis: one number for all, or a list of `rank`. */
export const spatialSize = (rank: number) =>
  rank === 1 ? positive : positive.or(positive.array().exactlyLength(rank));
/** A number for every side, 'same' / 'valid', or one entry per spatial axis. */
export const convPadding = (rank: number) =>
  nonNegative.or("'same' | 'valid'").or(axisPadding.array().exactlyLength(rank));

function convSchema(rank: number) {
  return type({
    inChannels: positive,
    outChannels: positive,
    kernelSize: spatialSize(rank),
    stride: spatialSize(rank).default(1),
    padding: convPadding(rank).default(0),
    dilation: spatialSize(rank).default(1),
    groups: positive.default(1),
    bias: 'boolean = true',
  }).narrow((o, ctx) => {
    if (o.inChannels % o.groups !== 0 || o.outChannels % o.groups !== 0) {
      return ctx.reject({
        path: ['groups'],
        expected: `a divisor of inChannels ${o.inChannels} and outChannels ${o.outChannels}`,
        actual: String(o.groups),
      });
    }
    const strides = typeof o.stride === 'number' ? [o.stride] : o.stride;
    if (o.padding === 'same' && strides.some((s) => s !== 1)) {
      return ctx.reject({
        path: ['padding'],
        expected: "not 'same' with a stride other than 1 (as in PyTorch)",
        actual: "'same'",
      });
    }
    return true;
  });
}

export const conv1dOptions = convSchema(1);
export const conv2dOptions = convSchema(2);
export type Conv1dOptions = typeof conv1dOptions.infer;
export type Conv2dOptions = typeof conv2dOptions.infer;

declare module '../../graph/spec.js' {
  interface NodeOptions {
    conv1d: typeof conv1dOptions.inferIn;
    conv2d: typeof conv2dOptions.inferIn;
  }
}

type AnyConvOptions = Conv1dOptions | Conv2dOptions;

/**
 * Convolution over the last `rank` axes with PyTorch's layout ([Cout, Cin/groups, …kernel]) and
 * initialisation. Inputs are [B, Cin, …] or unbatched [Cin, …]; more leading axes (time-major
 * [T, B, Cin, …]) are merged into the batch, so a whole sequence is one convolution.
 */
abstract class ConvNd<O extends AnyConvOptions> extends Module {
  weight: Parameter;
  bias: Parameter | null;

  protected constructor(
    rt: Runtime,
    readonly rank: 1 | 2,
    readonly options: O,
    rng: Rng,
  ) {
    super();
    const { inChannels, outChannels, groups } = options;
    const kernel =
      typeof options.kernelSize === 'number'
        ? new Array<number>(rank).fill(options.kernelSize)
        : options.kernelSize;
    const shape = [outChannels, inChannels / groups, ...kernel];
    this.weight = new Parameter(defaultWeight(rt, shape, { rng }));
    const fanIn = shape.slice(1).reduce((a, b) => a * b, 1);
    this.bias = options.bias ? new Parameter(defaultBias(rt, outChannels, fanIn, { rng })) : null;
  }

  forward(x: Tensor): Tensor {
    const conv = this.rank === 1 ? conv1d : conv2d;
    const { stride, padding, dilation, groups } = this.options;
    const options = { stride, padding, dilation, groups } as ConvOptions;
    const extra = x.rank - (this.rank + 2);
    if (extra <= 0) return conv(x, this.weight, this.bias, options);
    const merged = x.reshape([-1, ...x.shape.slice(extra + 1)]);
    const y = conv(merged, this.weight, this.bias, options);
    return y.reshape([...x.shape.slice(0, extra + 1), ...y.shape.slice(1)]);
  }

  override describe(): NodeDescription {
    return { type: `conv${this.rank}d`, options: this.options };
  }
}

/** 1-D convolution over [B, Cin, L] (cross-correlation, as `torch.nn.Conv1d`). */
export class Conv1d extends ConvNd<Conv1dOptions> {
  constructor(rt: Runtime, options: typeof conv1dOptions.inferIn, rng: Rng = rt.rng.split()) {
    super(rt, 1, conv1dOptions.assert(options), rng);
  }
}

/** 2-D convolution over [B, Cin, H, W] (as `torch.nn.Conv2d`). */
export class Conv2d extends ConvNd<Conv2dOptions> {
  constructor(rt: Runtime, options: typeof conv2dOptions.inferIn, rng: Rng = rt.rng.split()) {
    super(rt, 2, conv2dOptions.assert(options), rng);
  }
}

export const convNodes = [
  defineNode({
    name: 'conv1d',
    description:
      '1-D convolution (cross-correlation) over [B, C, L] with stride, padding, dilation and groups',
    options: conv1dOptions,
    example: {
      options: { inChannels: 2, outChannels: 4, kernelSize: 3, padding: 'same', groups: 2 },
      input: (rt) => rt.randn([2, 2, 6]),
    },
    build: (options, ctx) => new Conv1d(ctx.runtime, options, ctx.rng),
  }),
  defineNode({
    name: 'conv2d',
    description:
      '2-D convolution (cross-correlation) over [B, C, H, W] with stride, padding, dilation and groups',
    options: conv2dOptions,
    example: {
      options: { inChannels: 2, outChannels: 3, kernelSize: [3, 2], stride: 2, padding: 1 },
      input: (rt) => rt.randn([1, 2, 5, 5]),
    },
    build: (options, ctx) => new Conv2d(ctx.runtime, options, ctx.rng),
  }),
];

import { type } from 'arktype';
import { ShapeError } from '../../errors.js';
import { defineNode, type NodeType } from '../../graph/node-type.js';
import { batchNorm, layerNorm } from '../../ops/nn.js';
import type { Runtime } from '../../runtime.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Buffer, Module, type NodeDescription, Parameter } from '../module.js';

export const batchNormOptions = type({
  numFeatures: 'number.integer > 0',
  eps: 'number > 0 = 0.00001',
  momentum: '0 <= number <= 1 = 0.1',
  affine: 'boolean = true',
  trackRunningStats: 'boolean = true',
});
export type BatchNormOptions = typeof batchNormOptions.infer;

export const layerNormOptions = type({
  normalizedShape: type('number.integer > 0').or(type('number.integer > 0').array().atLeastLength(1)),
  eps: 'number > 0 = 0.00001',
  elementwiseAffine: 'boolean = true',
  bias: 'boolean = true',
});
export type LayerNormOptions = typeof layerNormOptions.infer;

declare module '../../graph/spec.js' {
  interface NodeOptions {
    batchnorm1d: typeof batchNormOptions.inferIn;
    batchnorm2d: typeof batchNormOptions.inferIn;
    layernorm: typeof layerNormOptions.inferIn;
  }
}

/**
 * Batch normalisation per channel (axis 1), as PyTorch's BatchNorm: batch statistics in training (the
 * running mean and unbiased variance move towards them by `momentum`), running statistics in eval.
 * Time-major sequences are reshaped by the caller ([T, B, C] → [T·B, C]).
 */
abstract class BatchNormNd extends Module {
  readonly options: BatchNormOptions;
  weight: Parameter | null;
  bias: Parameter | null;
  runningMean: Buffer | null;
  runningVar: Buffer | null;

  protected constructor(
    rt: Runtime,
    readonly type: 'batchnorm1d' | 'batchnorm2d',
    options: typeof batchNormOptions.inferIn,
  ) {
    super();
    this.options = batchNormOptions.assert(options);
    const c = this.options.numFeatures;
    this.weight = this.options.affine ? new Parameter(rt.ones([c])) : null;
    this.bias = this.options.affine ? new Parameter(rt.zeros([c])) : null;
    this.runningMean = this.options.trackRunningStats ? new Buffer(rt.zeros([c])) : null;
    this.runningVar = this.options.trackRunningStats ? new Buffer(rt.ones([c])) : null;
  }

  protected abstract checkRank(rank: number): boolean;

  forward(x: Tensor): Tensor {
    if (!this.checkRank(x.rank) || x.shape[1] !== this.options.numFeatures) {
      const expected =
        this.type === 'batchnorm1d'
          ? `[B, ${this.options.numFeatures}] or [B, ${this.options.numFeatures}, L]`
          : `[B, ${this.options.numFeatures}, H, W]`;
      throw new ShapeError(this.type, `input must be ${expected}`, [x.shape]);
    }
    return batchNorm(x, {
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      weight: this.weight,
      bias: this.bias,
      training: this.training,
      momentum: this.options.momentum,
      eps: this.options.eps,
    });
  }

  override describe(): NodeDescription {
    return { type: this.type, options: this.options };
  }
}

/** Batch normalisation of [B, C] or [B, C, L]. */
export class BatchNorm1d extends BatchNormNd {
  constructor(rt: Runtime, options: typeof batchNormOptions.inferIn) {
    super(rt, 'batchnorm1d', options);
  }
  protected checkRank(rank: number): boolean {
    return rank === 2 || rank === 3;
  }
}

/** Batch normalisation of [B, C, H, W]. */
export class BatchNorm2d extends BatchNormNd {
  constructor(rt: Runtime, options: typeof batchNormOptions.inferIn) {
    super(rt, 'batchnorm2d', options);
  }
  protected checkRank(rank: number): boolean {
    return rank === 4;
  }
}

/** Layer normalisation over the last axes (`normalizedShape`), with an elementwise affine map. */
export class LayerNorm extends Module {
  readonly options: LayerNormOptions;
  weight: Parameter | null;
  bias: Parameter | null;

  constructor(rt: Runtime, options: typeof layerNormOptions.inferIn) {
    super();
    this.options = layerNormOptions.assert(options);
    const { normalizedShape: n, elementwiseAffine, bias } = this.options;
    const shape = typeof n === 'number' ? [n] : n;
    this.weight = elementwiseAffine ? new Parameter(rt.ones(shape)) : null;
    this.bias = elementwiseAffine && bias ? new Parameter(rt.zeros(shape)) : null;
  }

  forward(x: Tensor): Tensor {
    return layerNorm(x, this.options.normalizedShape, {
      weight: this.weight,
      bias: this.bias,
      eps: this.options.eps,
    });
  }

  override describe(): NodeDescription {
    return { type: 'layernorm', options: this.options };
  }
}

export const normNodes: NodeType[] = [
  defineNode({
    name: 'batchnorm1d',
    description: 'batch normalisation of [B, C] or [B, C, L] per channel (running statistics in eval)',
    options: batchNormOptions,
    example: { options: { numFeatures: 3 }, input: (rt) => rt.randn([4, 3, 5]) },
    build: (options, ctx) => new BatchNorm1d(ctx.runtime, options),
  }),
  defineNode({
    name: 'batchnorm2d',
    description: 'batch normalisation of [B, C, H, W] per channel (running statistics in eval)',
    options: batchNormOptions,
    example: { options: { numFeatures: 3 }, input: (rt) => rt.randn([2, 3, 4, 4]) },
    build: (options, ctx) => new BatchNorm2d(ctx.runtime, options),
  }),
  defineNode({
    name: 'layernorm',
    description: 'layer normalisation over the last axes with an elementwise affine map',
    options: layerNormOptions,
    example: { options: { normalizedShape: [3, 4] }, input: (rt) => rt.randn([2, 3, 4]) },
    build: (options, ctx) => new LayerNorm(ctx.runtime, options),
  }),
];

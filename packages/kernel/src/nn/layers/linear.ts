import { type } from 'arktype';
import { defineNode } from '../../graph/node-type.js';
import { linear } from '../../ops/linear.js';
import type { Rng } from '../../random/rng.js';
import type { Runtime } from '../../runtime.js';
import type { Tensor } from '../../tensor/tensor.js';
import { defaultBias, defaultWeight } from '../init.js';
import { Module, type NodeDescription, Parameter } from '../module.js';

export const linearOptions = type({
  inFeatures: 'number.integer > 0',
  outFeatures: 'number.integer > 0',
  bias: 'boolean = true',
});
export type LinearOptions = typeof linearOptions.infer;

declare module '../../graph/spec.js' {
  interface NodeOptions {
    linear: typeof linearOptions.inferIn;
  }
}

/** y = x Wᵀ + b over the last axis, W of shape [out, in] (PyTorch's layout and initialisation). */
export class Linear extends Module {
  readonly options: LinearOptions;
  weight: Parameter;
  bias: Parameter | null;

  constructor(rt: Runtime, options: typeof linearOptions.inferIn, rng: Rng = rt.rng.split()) {
    super();
    this.options = linearOptions.assert(options);
    const { inFeatures, outFeatures } = this.options;
    this.weight = new Parameter(defaultWeight(rt, [outFeatures, inFeatures], { rng }));
    this.bias = this.options.bias ? new Parameter(defaultBias(rt, outFeatures, inFeatures, { rng })) : null;
  }

  forward(x: Tensor): Tensor {
    // One product over every leading axis (time and batch), never one per step, with the bias added
    // in the same op (backends write it into the product instead of allocating another output).
    return linear(x, this.weight, this.bias);
  }

  override describe(): NodeDescription {
    return { type: 'linear', options: this.options };
  }
}

export const linearNode = defineNode({
  name: 'linear',
  description: 'fully connected layer: y = x Wᵀ + b over the last axis',
  options: linearOptions,
  example: { options: { inFeatures: 3, outFeatures: 2 }, input: (rt) => rt.randn([4, 2, 3]) },
  build: (options, ctx) => new Linear(ctx.runtime, options, ctx.rng),
});

import { type } from 'arktype';
import { defineNode } from '../../graph/node-type.js';
import { embedding } from '../../ops/nn.js';
import type { Rng } from '../../random/rng.js';
import type { Runtime } from '../../runtime.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module, type NodeDescription, Parameter } from '../module.js';

export const embeddingOptions = type({
  numEmbeddings: 'number.integer > 0',
  embeddingDim: 'number.integer > 0',
});
export type EmbeddingOptions = typeof embeddingOptions.infer;

declare module '../../graph/spec.js' {
  interface NodeOptions {
    embedding: typeof embeddingOptions.inferIn;
  }
}

/** A lookup table: int32 indices of any shape → [..., embeddingDim]; weights start N(0, 1) as in PyTorch. */
export class Embedding extends Module {
  readonly options: EmbeddingOptions;
  weight: Parameter;

  constructor(rt: Runtime, options: typeof embeddingOptions.inferIn, rng: Rng = rt.rng.split()) {
    super();
    this.options = embeddingOptions.assert(options);
    this.weight = new Parameter(rt.randn([this.options.numEmbeddings, this.options.embeddingDim], { rng }));
  }

  forward(indices: Tensor): Tensor {
    return embedding(indices, this.weight);
  }

  override describe(): NodeDescription {
    return { type: 'embedding', options: this.options };
  }
}

export const embeddingNode = defineNode({
  name: 'embedding',
  description: 'lookup table of numEmbeddings vectors of embeddingDim, indexed by int32 tensors of any shape',
  options: embeddingOptions,
  example: {
    options: { numEmbeddings: 5, embeddingDim: 3 },
    input: (rt) => rt.fromArray(Int32Array.from([0, 4, 2, 2]), [2, 2]),
  },
  build: (options, ctx) => new Embedding(ctx.runtime, options, ctx.rng),
});

import { type } from 'arktype';
import { defineNode, type NodeType } from '../../graph/node-type.js';
import { dropout } from '../../ops/nn.js';
import type { Rng } from '../../random/rng.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module, type NodeDescription } from '../module.js';

/** A module without parameters that applies one function; its node options are recorded for export. */
class FunctionModule<O extends Record<string, unknown>> extends Module {
  constructor(
    readonly type: string,
    readonly options: O,
    readonly fn: (x: Tensor, options: O) => Tensor,
  ) {
    super();
  }
  forward(x: Tensor): Tensor {
    return this.fn(x, this.options);
  }
  override describe(): NodeDescription {
    return { type: this.type, options: this.options };
  }
}

const none = type({});

function functionNode(name: string, description: string, fn: (x: Tensor) => Tensor): NodeType {
  return defineNode({
    name,
    description,
    options: none,
    example: { input: (rt) => rt.randn([2, 3]) },
    build: () => new FunctionModule(name, {}, fn),
  });
}

export const flattenOptions = type({ startAxis: 'number.integer = 1', endAxis: 'number.integer = -1' });
export const dropoutOptions = type({ p: '0 <= number < 1 = 0.5' });

declare module '../../graph/spec.js' {
  interface NodeOptions {
    relu: Record<string, never>;
    sigmoid: Record<string, never>;
    tanh: Record<string, never>;
    identity: Record<string, never>;
    flatten: typeof flattenOptions.inferIn;
    dropout: typeof dropoutOptions.inferIn;
  }
}

export class ReLU extends FunctionModule<Record<string, never>> {
  constructor() {
    super('relu', {}, (x) => x.relu());
  }
}

export class Flatten extends FunctionModule<typeof flattenOptions.infer> {
  constructor(options: typeof flattenOptions.inferIn = {}) {
    super('flatten', flattenOptions.assert(options), (x, o) => x.flatten(o.startAxis, o.endAxis));
  }
}

/**
 * Inverted dropout: in training, zeroes each element with probability p and scales the rest by
 * 1/(1−p); identity in eval mode. The mask comes from the module's own random stream.
 */
export class Dropout extends Module {
  readonly options: typeof dropoutOptions.infer;
  constructor(
    options: typeof dropoutOptions.inferIn,
    readonly rng: Rng,
  ) {
    super();
    this.options = dropoutOptions.assert(options);
  }
  forward(x: Tensor): Tensor {
    return dropout(x, this.options.p, { training: this.training, rng: this.rng });
  }
  override describe(): NodeDescription {
    return { type: 'dropout', options: this.options };
  }
}

export const simpleNodes: NodeType[] = [
  functionNode('relu', 'rectified linear unit', (x) => x.relu()),
  functionNode('sigmoid', 'logistic sigmoid', (x) => x.sigmoid()),
  functionNode('tanh', 'hyperbolic tangent', (x) => x.tanh()),
  functionNode('identity', 'passes its input through', (x) => x),
  defineNode({
    name: 'flatten',
    description: 'merges axes startAxis..endAxis into one',
    options: flattenOptions,
    example: { input: (rt) => rt.randn([2, 3, 4]) },
    build: (o) => new Flatten(o),
  }),
  defineNode({
    name: 'dropout',
    description: 'inverted dropout with probability p (training only)',
    options: dropoutOptions,
    example: { input: (rt) => rt.randn([2, 3]) },
    build: (o, ctx) => new Dropout(o, ctx.rng),
  }),
];

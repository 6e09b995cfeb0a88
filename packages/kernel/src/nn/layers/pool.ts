import { type } from 'arktype';
import { defineNode, type NodeType } from '../../graph/node-type.js';
import { avgPool1d, avgPool2d, maxPool1d, maxPool2d, sumPool1d, sumPool2d } from '../../ops/pool.js';
import type { Tensor } from '../../tensor/tensor.js';
import { Module, type NodeDescription } from '../module.js';
import { axisPadding, spatialSize } from './conv.js';

const nonNegative = type('number.integer >= 0');
const poolPadding = (rank: number) => nonNegative.or(axisPadding.array().exactlyLength(rank));

/** Options shared by every pooling node; `stride` defaults to the kernel size when absent. */
function poolSchema(rank: number) {
  return type({
    kernelSize: spatialSize(rank),
    'stride?': spatialSize(rank),
    padding: poolPadding(rank).default(0),
  });
}

export const sumPool1dOptions = poolSchema(1);
export const sumPool2dOptions = poolSchema(2);
export const avgPool1dOptions = poolSchema(1).and({ countIncludePad: 'boolean = true' });
export const avgPool2dOptions = poolSchema(2).and({ countIncludePad: 'boolean = true' });
export const maxPool1dOptions = poolSchema(1).and({ dilation: spatialSize(1).default(1) });
export const maxPool2dOptions = poolSchema(2).and({ dilation: spatialSize(2).default(1) });

declare module '../../graph/spec.js' {
  interface NodeOptions {
    sumpool1d: typeof sumPool1dOptions.inferIn;
    sumpool2d: typeof sumPool2dOptions.inferIn;
    avgpool1d: typeof avgPool1dOptions.inferIn;
    avgpool2d: typeof avgPool2dOptions.inferIn;
    maxpool1d: typeof maxPool1dOptions.inferIn;
    maxpool2d: typeof maxPool2dOptions.inferIn;
  }
}

type PoolKind = 'sum' | 'avg' | 'max';

const SCHEMAS = {
  sum: { 1: sumPool1dOptions, 2: sumPool2dOptions },
  avg: { 1: avgPool1dOptions, 2: avgPool2dOptions },
  max: { 1: maxPool1dOptions, 2: maxPool2dOptions },
} as const;

type Schemas = typeof SCHEMAS;
type Options<K extends PoolKind, R extends 1 | 2> = Schemas[K][R]['infer'];
type OptionsIn<K extends PoolKind, R extends 1 | 2> = Schemas[K][R]['inferIn'];

/**
 * A pooling layer over the last 1 or 2 axes; every leading axis (batch, channels, time) is pooled
 * independently. Sum and average pooling match NIR's SumPool2d and AvgPool2d.
 */
export class Pool<K extends PoolKind = PoolKind, R extends 1 | 2 = 1 | 2> extends Module {
  readonly options: Options<K, R>;
  constructor(
    readonly kind: K,
    readonly rank: R,
    options: OptionsIn<K, R>,
  ) {
    super();
    this.options = (SCHEMAS[kind][rank] as Schemas[PoolKind][1 | 2]).assert(options) as Options<K, R>;
  }

  forward(x: Tensor): Tensor {
    const o = this.options as Options<PoolKind, 1 | 2> & {
      countIncludePad?: boolean;
      dilation?: number | number[];
    };
    const { kernelSize } = o;
    const common = { padding: o.padding, ...(o.stride === undefined ? {} : { stride: o.stride }) };
    if (this.kind === 'sum') return (this.rank === 1 ? sumPool1d : sumPool2d)(x, kernelSize, common);
    if (this.kind === 'avg') {
      return (this.rank === 1 ? avgPool1d : avgPool2d)(x, kernelSize, {
        ...common,
        countIncludePad: o.countIncludePad ?? true,
      });
    }
    return (this.rank === 1 ? maxPool1d : maxPool2d)(x, kernelSize, { ...common, dilation: o.dilation ?? 1 });
  }

  override describe(): NodeDescription {
    return { type: `${this.kind}pool${this.rank}d`, options: this.options };
  }
}

export class SumPool1d extends Pool<'sum', 1> {
  constructor(options: OptionsIn<'sum', 1>) {
    super('sum', 1, options);
  }
}
export class SumPool2d extends Pool<'sum', 2> {
  constructor(options: OptionsIn<'sum', 2>) {
    super('sum', 2, options);
  }
}
export class AvgPool1d extends Pool<'avg', 1> {
  constructor(options: OptionsIn<'avg', 1>) {
    super('avg', 1, options);
  }
}
export class AvgPool2d extends Pool<'avg', 2> {
  constructor(options: OptionsIn<'avg', 2>) {
    super('avg', 2, options);
  }
}
export class MaxPool1d extends Pool<'max', 1> {
  constructor(options: OptionsIn<'max', 1>) {
    super('max', 1, options);
  }
}
export class MaxPool2d extends Pool<'max', 2> {
  constructor(options: OptionsIn<'max', 2>) {
    super('max', 2, options);
  }
}

const DESCRIPTIONS: Record<PoolKind, string> = {
  sum: 'sum over each window (NIR SumPool)',
  avg: 'mean over each window (NIR AvgPool; padding counted unless countIncludePad is false)',
  max: 'maximum over each window (padding never wins)',
};

export const poolNodes: NodeType[] = (['sum', 'avg', 'max'] as const).flatMap((kind) =>
  ([1, 2] as const).map((rank) =>
    defineNode({
      name: `${kind}pool${rank}d`,
      description: `${rank}-D ${DESCRIPTIONS[kind]}`,
      options: SCHEMAS[kind][rank],
      example: { options: { kernelSize: 2 }, input: (rt) => rt.randn(rank === 1 ? [2, 3, 6] : [2, 3, 4, 4]) },
      build: (options) => new Pool(kind, rank, options),
    }),
  ),
);

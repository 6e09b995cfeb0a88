import { DTypeError } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import { broadcastShapes, type Shape } from '../tensor/shape.js';
import { sample } from './examples.js';
import { defineOp, type OpDef } from './op.js';

/** Random ops carry a key from a seeded stream; kernels derive element i from (key, i) alone. */
export type RandomKey = readonly [number, number];

const fillOp = defineOp<{ shape: Shape; value: number; dtype: DType }>({
  name: 'fill',
  infer: (_, { shape, dtype }) => [{ shape, dtype }],
  examples: () => [
    { inputs: [], attrs: { shape: [2, 3], value: 1.5, dtype: 'float32' } },
    { label: 'int32', inputs: [], attrs: { shape: [4], value: 7, dtype: 'int32' } },
  ],
});

const uniformOp = defineOp<{ shape: Shape; dtype: DType; low: number; high: number; key: RandomKey }>({
  name: 'random_uniform',
  infer: (_, { shape, dtype }) => {
    if (dtype !== 'float32' && dtype !== 'float64')
      throw new DTypeError('random_uniform', `dtype must be float, found ${dtype}`);
    return [{ shape, dtype }];
  },
  examples: () => [{ inputs: [], attrs: { shape: [2, 3], dtype: 'float32', low: -1, high: 2, key: [1, 2] } }],
});

const normalOp = defineOp<{ shape: Shape; dtype: DType; mean: number; std: number; key: RandomKey }>({
  name: 'random_normal',
  infer: (_, { shape, dtype }) => {
    if (dtype !== 'float32' && dtype !== 'float64')
      throw new DTypeError('random_normal', `dtype must be float, found ${dtype}`);
    return [{ shape, dtype }];
  },
  examples: () => [{ inputs: [], attrs: { shape: [2, 3], dtype: 'float64', mean: 1, std: 2, key: [3, 4] } }],
});

/** Spikes: element i is 1 with the probability at i of `p` (broadcast to `shape`). */
const bernoulliOp = defineOp<{ shape?: Shape; key: RandomKey }>({
  name: 'bernoulli',
  infer: ([p], { shape }) => [
    { shape: shape ? broadcastShapes('bernoulli', p!.shape, shape) : p!.shape, dtype: 'spike' },
  ],
  examples: (rt) => [
    { inputs: [sample(rt, [2, 3], 0, 1)], attrs: { key: [5, 6] } },
    { label: 'broadcast', inputs: [sample(rt, [3], 0, 1)], attrs: { shape: [2, 3], key: [7, 8] } },
  ],
});

export const creationOps: OpDef[] = [fillOp, uniformOp, normalOp, bernoulliOp];

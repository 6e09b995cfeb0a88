import { DTypeError } from '../errors.js';
import type { DType } from '../tensor/dtype.js';
import { type Shape, broadcastShapes } from '../tensor/shape.js';
import { type OpDef, defineOp } from './op.js';

/** Random ops carry a key from a seeded stream; kernels derive element i from (key, i) alone. */
export type RandomKey = readonly [number, number];

const fillOp = defineOp<{ shape: Shape; value: number; dtype: DType }>({
  name: 'fill',
  infer: (_, { shape, dtype }) => [{ shape, dtype }],
});

const uniformOp = defineOp<{ shape: Shape; dtype: DType; low: number; high: number; key: RandomKey }>({
  name: 'random_uniform',
  infer: (_, { shape, dtype }) => {
    if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError('random_uniform', `dtype must be float, found ${dtype}`);
    return [{ shape, dtype }];
  },
});

const normalOp = defineOp<{ shape: Shape; dtype: DType; mean: number; std: number; key: RandomKey }>({
  name: 'random_normal',
  infer: (_, { shape, dtype }) => {
    if (dtype !== 'float32' && dtype !== 'float64') throw new DTypeError('random_normal', `dtype must be float, found ${dtype}`);
    return [{ shape, dtype }];
  },
});

/** Spikes: element i is 1 with the probability at i of `p` (broadcast to `shape`). */
const bernoulliOp = defineOp<{ shape?: Shape; key: RandomKey }>({
  name: 'bernoulli',
  infer: ([p], { shape }) => [{ shape: shape ? broadcastShapes('bernoulli', p!.shape, shape) : p!.shape, dtype: 'spike' }],
});

export const creationOps: OpDef[] = [fillOp, uniformOp, normalOp, bernoulliOp];

import { ShapeError } from '../errors.js';
import { arithmeticResult } from '../tensor/dtype.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { sample, spikes } from './examples.js';
import { defineOp, type OpDef } from './op.js';
import { sumTo } from './reduce.js';

export interface MatmulOptions {
  /** Use the transpose of the last two axes of the left operand. */
  readonly transA?: boolean;
  /** Use the transpose of the last two axes of the right operand. */
  readonly transB?: boolean;
}

export interface MatmulAttrs {
  readonly transA: boolean;
  readonly transB: boolean;
}

/** [..., M, K] × [..., K, N] → [..., M, N], leading axes broadcast. Spike inputs run event-driven. */
const matmulOp = defineOp<MatmulAttrs>({
  name: 'matmul',
  infer: ([a, b], { transA, transB }) => {
    const as = a!.shape;
    const bs = b!.shape;
    if (as.length < 2 || bs.length < 2)
      throw new ShapeError('matmul', 'operands need at least 2 axes', [as, bs]);
    const [m, ka] = transA ? [as.at(-1)!, as.at(-2)!] : [as.at(-2)!, as.at(-1)!];
    const [kb, n] = transB ? [bs.at(-1)!, bs.at(-2)!] : [bs.at(-2)!, bs.at(-1)!];
    if (ka !== kb) throw new ShapeError('matmul', `inner dimensions differ (${ka} vs ${kb})`, [as, bs]);
    const batch = broadcastShapes('matmul', as.slice(0, -2), bs.slice(0, -2));
    return [{ shape: [...batch, m, n], dtype: arithmeticResult(a!.dtype, b!.dtype) }];
  },
  grad: ({ inputs: [a, b], attrs: { transA, transB }, grads: [g] }) => {
    const ga = !a!.requiresGrad
      ? null
      : transA
        ? b!.matmul(g!, { transA: transB, transB: true })
        : g!.matmul(b!, { transB: !transB });
    const gb = !b!.requiresGrad
      ? null
      : transB
        ? g!.matmul(a!, { transA: true, transB: transA })
        : a!.matmul(g!, { transA: !transA });
    return [ga && sumTo(ga, a!.shape), gb && sumTo(gb, b!.shape)];
  },
  examples: (rt) => [
    { inputs: [sample(rt, [2, 3]), sample(rt, [3, 4])], attrs: { transA: false, transB: false } },
    {
      label: 'batched, transposed',
      inputs: [sample(rt, [2, 3, 2]), sample(rt, [4, 3])],
      attrs: { transA: true, transB: true },
    },
    // The event-driven paths: spikes on the left (S·W), and on the right of a transposed float (Gᵀ·S).
    {
      label: 'spike left',
      inputs: [spikes(rt, [1, 0, 1, 0, 0, 1], [2, 3]), sample(rt, [3, 4])],
      attrs: { transA: false, transB: false },
    },
    {
      label: 'spike right',
      inputs: [sample(rt, [2, 3]), spikes(rt, [0, 1, 1, 1, 0, 0, 1, 0], [2, 4])],
      attrs: { transA: true, transB: false },
    },
  ],
});

export const matmulOps: OpDef[] = [matmulOp];

/**
 * Matrix product. 1-D operands are treated as a row (left) or column (right) vector and the added
 * axis is removed from the result, as in NumPy.
 */
export function matmul(a: Tensor, b: Tensor, options: MatmulOptions = {}): Tensor {
  const vecA = a.rank === 1;
  const vecB = b.rank === 1;
  const a2 = vecA ? a.reshape([1, a.size]) : a;
  const b2 = vecB ? b.reshape([b.size, 1]) : b;
  let out = a.runtime.run1('matmul', [a2, b2], {
    transA: options.transA ?? false,
    transB: options.transB ?? false,
  } satisfies MatmulAttrs);
  if (vecA) out = out.squeeze(-2);
  if (vecB) out = out.squeeze(-1);
  return out;
}

import { ShapeError } from '../errors.js';
import { arithmeticResult } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { sample, spikes } from './examples.js';
import { defineOp, type OpDef } from './op.js';

/**
 * y = x·Wᵀ (+ b) over the last axis: x [..., in], W [out, in], b [out] → y [..., out]. The same values as
 * `x.matmul(W, { transB: true }).add(b)`, as one op, so a backend can write the bias into the product's
 * output instead of allocating a second tensor of the output's size (for the layers of a network, the
 * largest tensors of a step). Backends without a kernel of their own run exactly that decomposition.
 * A spike x runs the event-driven product, as in matmul.
 */
const linearOp = defineOp({
  name: 'linear',
  infer: (inputs) => {
    if (inputs.length !== 2 && inputs.length !== 3) {
      throw new ShapeError('linear', `takes x, W and an optional b, found ${inputs.length} inputs`);
    }
    const [x, w, b] = inputs as [(typeof inputs)[0], (typeof inputs)[0], (typeof inputs)[0]?];
    const xs = x.shape;
    const ws = w.shape;
    if (xs.length < 1 || ws.length !== 2 || xs.at(-1) !== ws[1]) {
      throw new ShapeError('linear', 'expects x [..., in] and W [out, in]', [xs, ws]);
    }
    if (b && (b.shape.length !== 1 || b.shape[0] !== ws[0])) {
      throw new ShapeError('linear', `b must be [${ws[0]}]`, [xs, ws, b.shape]);
    }
    const product = arithmeticResult(x.dtype, w.dtype);
    const dtype = b ? arithmeticResult(product, b.dtype) : product;
    return [{ shape: [...xs.slice(0, -1), ws[0]!], dtype }];
  },
  grad: ({ inputs: [x, w, b], grads: [g] }) => {
    const out = w!.shape[0]!;
    const rows = g!.reshape([-1, out]);
    // Products over the rows of every leading axis at once (one [rows, out] matrix, not one per step).
    const gx = x!.requiresGrad ? rows.matmul(w!).reshape(x!.shape) : null;
    const gw = w!.requiresGrad ? rows.matmul(x!.reshape([-1, x!.shape.at(-1)!]), { transA: true }) : null;
    const gb = b?.requiresGrad ? rows.sum(0) : null;
    return b ? [gx, gw, gb] : [gx, gw];
  },
  decompose: ([x, w, b]) => {
    const flat = x!.rank === 2 ? x! : x!.reshape([-1, x!.shape.at(-1)!]);
    let y = flat.matmul(w!, { transB: true });
    if (b) y = y.add(b);
    return [x!.rank === 2 ? y : y.reshape([...x!.shape.slice(0, -1), w!.shape[0]!])];
  },
  examples: (rt) => [
    { inputs: [sample(rt, [2, 3, 4]), sample(rt, [5, 4]), sample(rt, [5])], attrs: {} },
    { label: 'no bias', inputs: [sample(rt, [3, 4]), sample(rt, [2, 4])], attrs: {} },
    {
      label: 'spike input',
      inputs: [spikes(rt, [1, 0, 1, 0, 0, 1], [2, 3]), sample(rt, [4, 3]), sample(rt, [4])],
      attrs: {},
    },
  ],
});

export const linearOps: OpDef[] = [linearOp];

/** y = x·Wᵀ + b over the last axis (b optional), W stored [out, in] as in `Linear`. */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  return x.runtime.run1('linear', bias ? [x, weight, bias] : [x, weight]);
}

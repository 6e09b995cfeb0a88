import { NeuriteError, ShapeError } from '../errors.js';
import { gradDType } from '../tensor/dtype.js';
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { GradNode } from './node.js';

export interface BackwardOptions {
  /** Keep the tape so backward can run again through the same graph. */
  readonly retainGraph?: boolean;
}

/**
 * Reverse-mode differentiation from `root`: walks the tape in reverse topological order, calls each op's
 * vector-Jacobian product, sums the gradients reaching each tensor, and accumulates into `.grad` of the
 * leaves that require it. Runs with recording off, so gradients are plain tensors.
 */
export function backward(root: Tensor, seed?: Tensor, options: BackwardOptions = {}): void {
  const rt = root.runtime;
  if (!root.requiresGrad) {
    throw new NeuriteError(
      'backward: the tensor does not require grad (no input of its graph requires grad)',
    );
  }
  if (seed === undefined && root.size !== 1) {
    throw new ShapeError(
      'backward',
      'an implicit gradient needs a tensor of one element; pass the gradient',
      [root.shape],
    );
  }
  if (seed !== undefined && !sameShape(seed.shape, root.shape)) {
    throw new ShapeError('backward', 'the gradient must have the shape of the tensor', [
      seed.shape,
      root.shape,
    ]);
  }

  rt.noGrad(() => {
    const order = topologicalOrder(root);
    const grads = new Map<Tensor, Tensor>();
    grads.set(root, seed ?? rt.full(root.shape, 1, { dtype: gradDType(root.dtype), backend: root.backend }));

    for (let i = order.length - 1; i >= 0; i--) {
      const node = order[i]!;
      const outGrads = node.outputs.map((o) => grads.get(o) ?? null);
      for (const o of node.outputs) grads.delete(o);
      if (outGrads.every((g) => g === null)) continue;
      const inputGrads = node.op.grad!({
        inputs: node.inputs,
        outputs: node.outputs,
        attrs: node.attrs,
        grads: outGrads,
        runtime: rt,
      });
      node.inputs.forEach((input, k) => {
        const g = inputGrads[k];
        if (!g || !input.requiresGrad) return;
        if (!sameShape(g.shape, input.shape)) {
          throw new ShapeError(node.op.name, 'gradient shape differs from the input shape', [
            g.shape,
            input.shape,
          ]);
        }
        if (input.gradNode) {
          const prev = grads.get(input);
          grads.set(input, prev ? prev.add(g) : g);
        } else {
          input.grad = input.grad ? input.grad.add(g) : g;
        }
      });
      if (!options.retainGraph) node.release();
    }
  });
}

function topologicalOrder(root: Tensor): GradNode[] {
  const order: GradNode[] = [];
  const seen = new Set<GradNode>();
  // Iterative post-order DFS: deep unrolled graphs (long time loops) would overflow a recursive walk.
  const stack: { node: GradNode; next: number }[] = [];
  if (root.gradNode) {
    stack.push({ node: root.gradNode, next: 0 });
    seen.add(root.gradNode);
  }
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    const inputs = top.node.inputs;
    if (inputs.length === 0 && top.next === 0 && top.node.outputs.length === 0) {
      throw new NeuriteError('backward: the graph was already freed by an earlier backward()', {
        hint: 'pass { retainGraph: true } to the first backward() to run backward twice',
      });
    }
    if (top.next < inputs.length) {
      const child = inputs[top.next++]!.gradNode;
      if (child && !seen.has(child)) {
        seen.add(child);
        stack.push({ node: child, next: 0 });
      }
    } else {
      order.push(top.node);
      stack.pop();
    }
  }
  return order;
}

import type { OpDef } from '../ops/op.js';
import type { Tensor } from '../tensor/tensor.js';

/**
 * One record on the tape: an op applied to inputs, producing outputs. The record hangs off its outputs
 * (`tensor.gradNode`), so the tape is exactly the part of the graph still reachable from live tensors
 * and the garbage collector frees the rest; no explicit dispose is needed.
 */
export class GradNode {
  /** Cleared after backward (unless the graph is retained) so intermediate tensors can be collected. */
  inputs: readonly Tensor[];
  outputs: readonly Tensor[];

  constructor(
    readonly op: OpDef,
    inputs: readonly Tensor[],
    outputs: readonly Tensor[],
    readonly attrs: unknown,
  ) {
    this.inputs = inputs;
    this.outputs = outputs;
  }

  release(): void {
    this.inputs = [];
    this.outputs = [];
  }
}

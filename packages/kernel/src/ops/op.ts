import type { TensorMeta } from '../backend/contract.js';
import type { Runtime } from '../runtime.js';
import type { Tensor } from '../tensor/tensor.js';

/** What a gradient function receives: the op's inputs and outputs as they were, and the output grads. */
export interface GradContext<A = unknown> {
  readonly inputs: readonly Tensor[];
  readonly outputs: readonly Tensor[];
  readonly attrs: A;
  /** One gradient per output; null where that output did not influence the loss. */
  readonly grads: readonly (Tensor | null)[];
  readonly runtime: Runtime;
}

/**
 * An op: a named computation with shape inference and, when differentiable, a vector-Jacobian product.
 * Kernels (one per backend) are registered separately under the same name. Gradient functions are
 * written with ops, so they run on whatever backend holds the tensors.
 */
export interface OpDef<A = any> {
  readonly name: string;
  /** Checks inputs and attrs and returns each output's shape and dtype. Errors name the op and shapes. */
  infer(inputs: readonly TensorMeta[], attrs: A): TensorMeta[];
  /** Gradients with respect to each input (null for inputs that get none). Absent: not differentiable. */
  grad?(ctx: GradContext<A>): (Tensor | null)[];
  /**
   * The op written with other ops, for fused ops that exist so a backend can compute them in one kernel
   * (`linear` is matmul then add). A device backend without a kernel of its own for the op runs this
   * decomposition on the device, instead of moving the data to the cpu kernel; its ops record their
   * own gradients.
   */
  decompose?(inputs: readonly Tensor[], attrs: A): Tensor[];
  /**
   * Small sample calls of the op, for the conformance kit (`@neurite/kernel/testing`): each is run on
   * the cpu kernel against `infer`'s shapes and dtypes, and gradient-checked when the op has `grad`.
   */
  examples?(rt: Runtime): readonly OpExample<A>[];
}

/** One sample call of an op: its inputs and attrs, and what the gradient check covers. */
export interface OpExample<A = any> {
  /** Named in reports (default: the example's position). */
  readonly label?: string;
  readonly inputs: readonly Tensor[];
  readonly attrs: A;
  /** Inputs whose gradient is checked (default: every float input); `[]` checks shapes only. */
  readonly wrt?: readonly number[];
  /**
   * Outputs the gradient check projects (default: every float output). Leave out outputs whose
   * gradient is a surrogate rather than the derivative, such as spikes.
   */
  readonly outputs?: readonly number[];
  /** Finite-difference step and tolerances (gradcheck's defaults otherwise). */
  readonly tolerance?: { readonly eps?: number; readonly atol?: number; readonly rtol?: number };
}

/** Identity helper that keeps `A` inferred when declaring an op. */
export function defineOp<A = Record<string, never>>(def: OpDef<A>): OpDef<A> {
  return def;
}

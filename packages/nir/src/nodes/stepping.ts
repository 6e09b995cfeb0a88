import type { Module, Tensor } from '@neurite/kernel';

/**
 * Step modes, duck-typed the way the neuron plugin's layers expose them (`stepMode`): 'multi' takes a
 * whole time-major sequence [T, B, ...F]; 'single' takes one step [B, ...F] and carries the state to the
 * next call. The NIR simulator switches a graph's nodes to 'single' to run recurrent edges.
 */
export type StepMode = 'multi' | 'single';

export interface Stepped {
  stepMode: StepMode;
}

export function isStepped(m: Module): m is Module & Stepped {
  return typeof (m as Partial<Stepped>).stepMode === 'string';
}

/** One step of a time-major sequence: [T, B, ...F] → [B, ...F] at step t. */
export function stepOf(x: Tensor, t: number): Tensor {
  return x.slice([t], [t + 1]).reshape(x.shape.slice(1));
}

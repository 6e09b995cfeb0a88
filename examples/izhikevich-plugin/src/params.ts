import type { SurrogateSpec } from '@neurite/neuron-lif';

/**
 * Izhikevich (2003), "Simple model of spiking neurons": v' = 0.04v² + 5v + 140 − u + I,
 * u' = a(bv − u), and when v ≥ 30 mV: v ← c, u ← u + d. Time in ms, v in mV. The parameter sets of
 * the paper's Fig. 2 for the cortical cell classes.
 */
export const CELL_TYPES = {
  'regular-spiking': { a: 0.02, b: 0.2, c: -65, d: 8 },
  'intrinsically-bursting': { a: 0.02, b: 0.2, c: -55, d: 4 },
  chattering: { a: 0.02, b: 0.2, c: -50, d: 2 },
  'fast-spiking': { a: 0.1, b: 0.2, c: -65, d: 2 },
  'low-threshold-spiking': { a: 0.02, b: 0.25, c: -65, d: 2 },
} as const;

export type CellType = keyof typeof CELL_TYPES;

/** Attrs of `izhikevich_scan` and `izhikevich_scan_grad` (plain JSON, as every backend reads them). */
export interface IzhikevichAttrs {
  readonly a: number;
  readonly b: number;
  readonly c: number;
  readonly d: number;
  /** Euler step in ms. */
  readonly dt: number;
  /** The spike cut-off (30 mV in the paper). */
  readonly vPeak: number;
  /** Treat the reset as a constant in the backward pass (no gradient through the spike into v and u). */
  readonly detachReset: boolean;
  /** The surrogate the backward pass uses for ∂s/∂v (a name in the `surrogate` registry). */
  readonly surrogate: SurrogateSpec;
}

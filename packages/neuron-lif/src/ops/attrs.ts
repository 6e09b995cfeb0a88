/**
 * Attrs of the fused scan ops. The layout, the recurrence and the gradient equations are specified in
 * OPS.md (the contract backends implement); this file only types them.
 */

export type ResetMode = 'subtract' | 'zero' | 'none';

/** A surrogate as the graph form names it: a registered name and its resolved parameters. */
export interface SurrogateSpec {
  readonly name: string;
  readonly [param: string]: number | string;
}

/**
 * A surrogate as the fused backward kernels receive it: one of the canonical names of OPS.md with its
 * numeric parameters, `pdsg` (σ given as an input tensor) or `given` (φ precomputed with tensor ops).
 */
export type KernelSurrogate =
  | { readonly name: 'atan'; readonly alpha: number }
  | { readonly name: 'fast-sigmoid'; readonly slope: number }
  | { readonly name: 'sigmoid'; readonly slope: number }
  | { readonly name: 'triangle'; readonly width: number; readonly scale: number }
  | { readonly name: 'straight-through'; readonly scale: number }
  | { readonly name: 'pdsg' }
  | { readonly name: 'given' };

export type KernelSurrogateName = KernelSurrogate['name'];

export interface LifScanAttrs {
  /** false: leaky integrator (no threshold, spikes or reset). */
  readonly spiking: boolean;
  /** Current-based synapse: state i with decay alpha. */
  readonly synapse: boolean;
  /** Threshold adaptation: state a with decay rho and strength kappa. */
  readonly adaptive: boolean;
  readonly reset: ResetMode;
  /** The value a 'zero' reset sets the membrane to. */
  readonly vReset: number;
  /** Backward only: the reset carries no gradient. */
  readonly detachReset: boolean;
  /** Backward only: the registered surrogate; the gradient function turns it into a KernelSurrogate. */
  readonly surrogate: SurrogateSpec;
}

/** Which gradients `lif_scan_grad` computes, in its output order. */
export const GRAD_OUTPUTS = ['x', 'v0', 'i0', 'a0', 'beta', 'alpha', 'threshold', 'rho', 'kappa'] as const;

export interface LifScanGradAttrs extends Omit<LifScanAttrs, 'surrogate'> {
  readonly surrogate: KernelSurrogate;
  /** One flag per gradient output (GRAD_OUTPUTS order); false outputs come back with shape [0]. */
  readonly needs: readonly boolean[];
}

/** Input positions of `lif_scan`. */
export const IN = { x: 0, v0: 1, i0: 2, a0: 3, beta: 4, alpha: 5, threshold: 6, rho: 7, kappa: 8 } as const;
/** Output positions of `lif_scan`. */
export const OUT = { s: 0, h: 1, i: 2, a: 3, vT: 4, iT: 5, aT: 6 } as const;

/** The shape of an absent tensor (zero state, zero gradient, unused parameter or output). */
export const ABSENT: readonly number[] = [0];

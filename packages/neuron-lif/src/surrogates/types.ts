import type { Tensor } from '@neurite/kernel';
import type { Type } from 'arktype';
import type { KernelSurrogate } from '../ops/attrs.js';

/**
 * A surrogate gradient: the spike is the Heaviside step of z = h − θ in the forward pass, and φ(z) stands
 * in for its derivative in the backward pass. Registered under the kind `surrogate`; plugins may add more.
 */
export interface SurrogateDef<P extends Record<string, unknown> = any> {
  readonly name: string;
  readonly description: string;
  /** arktype schema of the parameters, with their defaults. */
  readonly options: Type<any, any>;
  /**
   * φ(z) written with tensor ops, so it runs on every backend: the unrolled neurons and
   * `surrogate_spike` use it, and so does the fused scan for surrogates without a `fused` form.
   * `sigma` (broadcastable to z) is given to surrogates that depend on the membrane's spread.
   */
  derivative(z: Tensor, params: P, sigma?: Tensor): Tensor;
  /**
   * A smooth scalar function whose derivative is φ, in double precision. Gradient checks differentiate it
   * numerically and compare with φ, which is what "gradcheck of a surrogate" means for a step function.
   */
  primitive(z: number, params: P, sigma?: number): number;
  /** The canonical form the fused kernels compute natively (OPS.md); absent: φ is precomputed. */
  fused?(params: P): KernelSurrogate;
  /** φ depends on the running standard deviation of the membrane (PDSG). */
  readonly membraneStd?: boolean;
}

declare module '@neurite/kernel' {
  interface RegistryKinds {
    surrogate: SurrogateDef;
  }
}

/** Declares a surrogate, typing its functions' parameters from the schema (defaults applied). */
export function defineSurrogate<const S extends Type<any, any>>(
  def: { readonly options: S } & Omit<SurrogateDef<S['infer']>, 'options'>,
): SurrogateDef<S['infer']> {
  return def;
}

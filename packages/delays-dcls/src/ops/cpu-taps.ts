import type { Bump } from './bump.js';

/**
 * The kept taps of a set of synapses sharing one row (all synapses into output o, or all out of input i),
 * as a flat list the kernels sweep four at a time: every entry is one (synapse, tap) pair with the offset
 * of the row it reads, its coefficient w·n_k, and n_k and ∂n_k/∂c for the weight and position gradients.
 * Grouping by shared row, rather than by synapse, lets one pass over the row serve four taps of possibly
 * different synapses, so a layer of one-tap delays (max mode, SIG = 0) runs as fast as a wide bump.
 */
export class TapList {
  length = 0;
  /** Offset of the row (and shift) the entry reads or writes. */
  readonly offset: Int32Array;
  /** w·n_k */
  readonly coef: Float64Array;
  readonly n: Float64Array;
  readonly dn: Float64Array;
  /** Flat synapse index o·Cin + i. */
  readonly synapse: Int32Array;

  constructor(capacity: number) {
    this.offset = new Int32Array(capacity);
    this.coef = new Float64Array(capacity);
    this.n = new Float64Array(capacity);
    this.dn = new Float64Array(capacity);
    this.synapse = new Int32Array(capacity);
  }

  /**
   * Appends the kept taps of one synapse, tap k at offset base + (K − 1 − k)·perDelay (its delay in steps
   * times ±B). Taps whose coefficient is exactly zero are kept only when `keepZeros` (their correlation
   * still feeds the weight gradient).
   */
  add(
    bump: Bump,
    synapse: number,
    weight: number,
    base: number,
    perDelay: number,
    slopes: boolean,
    keepZeros: boolean,
  ): void {
    const last = bump.kernelSize - 1;
    for (let k = bump.k0; k <= bump.k1; k++) {
      const c = weight * bump.n[k]!;
      if (c === 0 && !keepZeros) continue;
      const at = this.length++;
      this.offset[at] = base + (last - k) * perDelay;
      this.coef[at] = c;
      this.n[at] = bump.n[k]!;
      this.dn[at] = slopes ? bump.dn[k]! : 0;
      this.synapse[at] = synapse;
    }
  }
}

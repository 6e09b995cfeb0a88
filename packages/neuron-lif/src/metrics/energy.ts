/**
 * Energy per operation, in joules. Defaults: Horowitz, "Computing's energy problem (and what we can do
 * about it)", ISSCC 2014, 45 nm CMOS at 0.9 V: a 32-bit float add costs 0.9 pJ and a 32-bit float multiply
 * 3.7 pJ, so a multiply-accumulate (MAC, what a real-valued input costs per synapse) is 4.6 pJ and an
 * accumulate (AC, what a binary spike costs per synapse: the weight is only added) is 0.9 pJ. These are the
 * figures the SNN literature uses for SynOps energy comparisons (memory access is not counted).
 */
export interface EnergyModel {
  /** Joules per accumulate (a spike reaching one synapse). */
  readonly ac: number;
  /** Joules per multiply-accumulate (a real value reaching one synapse). */
  readonly mac: number;
}

export const HOROWITZ_45NM_FP32: EnergyModel = { ac: 0.9e-12, mac: 4.6e-12 };

export interface EnergyEstimate {
  /** Joules for the counted operations. */
  readonly joules: number;
  /** Joules had every synaptic operation been a MAC (the same network run as an ANN on real values). */
  readonly denseJoules: number;
}

export function estimateEnergy(
  ops: { acs: number; macs: number; denseMacs: number },
  model: EnergyModel = HOROWITZ_45NM_FP32,
): EnergyEstimate {
  return { joules: ops.acs * model.ac + ops.macs * model.mac, denseJoules: ops.denseMacs * model.mac };
}

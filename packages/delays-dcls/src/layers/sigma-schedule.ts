/**
 * The reference's width schedule (`SnnDelays.decrease_sig`, 'exp' method): SIG starts at sigInit and,
 * after each of the first finalEpoch = ⌊epochs·decayFraction⌋ epochs (epochs // 4 in the reference), is
 * multiplied by α = (sigFinal / sigInit)^(1/finalEpoch), so that it reaches sigFinal (0.23, i.e. σ = 0.5)
 * and stays there. It only ever decreases: a sigInit at or below sigFinal stays put, as the reference's
 * `sig > 0.23` guard has it.
 */
export interface SigmaScheduleOptions {
  readonly sigInit: number;
  readonly sigFinal: number;
  readonly decayFraction: number;
}

/** Epochs over which SIG decays. */
export function decayEpochs(epochs: number, decayFraction: number): number {
  return Math.floor(epochs * decayFraction);
}

/** α, the factor applied after each decaying epoch; 1 when SIG does not decay. */
export function sigmaDecayFactor(o: SigmaScheduleOptions, epochs: number): number {
  const n = decayEpochs(epochs, o.decayFraction);
  if (n <= 0 || !(o.sigInit > o.sigFinal)) return 1;
  return (o.sigFinal / o.sigInit) ** (1 / n);
}

/**
 * SIG after `done` completed epochs of `epochs` (closed form of the repeated multiplication, so a run
 * resumed from a checkpoint sets the same value).
 */
export function sigmaAfter(o: SigmaScheduleOptions, done: number, epochs: number): number {
  const n = decayEpochs(epochs, o.decayFraction);
  if (n <= 0 || !(o.sigInit > o.sigFinal)) return o.sigInit;
  if (done >= n) return o.sigFinal;
  return o.sigInit * sigmaDecayFactor(o, epochs) ** done;
}

import { powerSpectrum } from './spectrum.js';

export interface SnrOptions {
  readonly harmonics?: number;
  /** Neighbouring bins on each side that estimate the noise floor around a target bin. */
  readonly neighbours?: number;
  /** Bins skipped on each side of the target (spectral leakage of the window). */
  readonly guard?: number;
  /** Zero-padding factor for the FFT (frequency resolution fs / (pad · samples)). */
  readonly pad?: number;
}

/**
 * Harmonic signal-to-noise scores: for each candidate f, the power at h·f (h = 1..harmonics) over the
 * mean power of the bins around it (excluding a guard band), averaged over harmonics in decibels.
 * A narrow stimulus-locked peak stands out against its neighbours; a broad rhythm such as alpha,
 * which lifts a whole band, does not — which is why this beats raw power and plain CCA on alpha-rich EEG.
 */
export function harmonicSnrScores(
  channels: readonly ArrayLike<number>[],
  fs: number,
  freqs: readonly number[],
  options: SnrOptions = {},
): number[] {
  const harmonics = options.harmonics ?? 2;
  const pad = options.pad ?? 1;
  const n = channels[0]?.length ?? 0;
  const nfft = Math.max(n, Math.round(n * pad));
  // Sum spectra over channels (one channel on the SSVEP fixture).
  const power = new Float64Array(Math.floor(nfft / 2) + 1);
  for (const ch of channels) {
    const p = powerSpectrum(ch, nfft);
    for (let k = 0; k < power.length; k++) power[k] = power[k]! + p[k]!;
  }
  const binHz = fs / nfft;
  // The noise floor: bins within ±1 Hz of the target, the target bin itself left out.
  const neighbours = options.neighbours ?? Math.max(2, Math.round(1 / binHz));
  const guard = options.guard ?? 0;
  return freqs.map((f) => {
    let total = 0;
    let used = 0;
    for (let h = 1; h <= harmonics; h++) {
      const k = Math.round((h * f) / binHz);
      if (k + guard + neighbours >= power.length) break;
      let noise = 0;
      for (let d = guard + 1; d <= guard + neighbours; d++) noise += power[k - d]! + power[k + d]!;
      noise /= 2 * neighbours;
      // The target's power: the strongest of the bin and its guard bins.
      let signal = 0;
      for (let d = -guard; d <= guard; d++) signal = Math.max(signal, power[k + d]!);
      total += 10 * Math.log10(signal / Math.max(noise, Number.MIN_VALUE));
      used++;
    }
    return used ? total / used : Number.NEGATIVE_INFINITY;
  });
}

import { Rng } from '@neurite/kernel';

/**
 * Multichannel SSVEP-like trials with known answers: class k flickers at freqs[k] with a class phase;
 * the response (fundamental and a weaker second harmonic) reaches each channel through a fixed random
 * mixing weight, under independent Gaussian noise of standard deviation `noise`.
 */
export function syntheticSsvep(options: {
  freqs: readonly number[];
  trialsPerClass: number;
  channels: number;
  samples: number;
  fs: number;
  noise: number;
  seed: number;
  /** The subject: the mixing into channels is drawn from this seed, shared by train and test sets. */
  subject?: number;
}): { trials: Float64Array[]; labels: number[] } {
  const rng = new Rng(options.seed);
  const { channels, samples, fs } = options;
  const subject = new Rng(options.subject ?? 1000);
  const raw = Array.from({ length: channels }, () => subject.normal());
  // Unit RMS mixing, so `noise` alone sets the per-channel signal-to-noise ratio.
  const rms = Math.sqrt(raw.reduce((s, v) => s + v * v, 0) / channels);
  const mixing = raw.map((v) => v / rms);
  const trials: Float64Array[] = [];
  const labels: number[] = [];
  options.freqs.forEach((f, k) => {
    const phase = (k * Math.PI) / 3;
    for (let n = 0; n < options.trialsPerClass; n++) {
      const t = new Float64Array(channels * samples);
      for (let c = 0; c < channels; c++) {
        for (let s = 0; s < samples; s++) {
          const time = s / fs;
          const response =
            Math.sin(2 * Math.PI * f * time + phase) + 0.4 * Math.sin(4 * Math.PI * f * time + 2 * phase);
          t[c * samples + s] = mixing[c]! * response + options.noise * rng.normal();
        }
      }
      trials.push(t);
      labels.push(k);
    }
  });
  return { trials, labels };
}

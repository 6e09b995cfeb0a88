import { ValidationError } from '@neurite/kernel';

/**
 * The cochlear front end: speech in, spikes out, in the spirit of the cochlea model behind the
 * Heidelberg Spiking Digits. Every parameter is documented in the package README ("Spiking audio").
 *
 * 1. The waveform has its mean removed and is scaled to unit RMS (`normalize`).
 * 2. A bank of `channels` band-pass filters with centre frequencies evenly spaced on the ERB-rate scale
 *    of Glasberg & Moore (1990), E(f) = 21.4·log10(1 + 0.00437·f), from `minFrequency` to
 *    `maxFrequency`. Each is a 4th-order all-pole gammatone approximation (Lyon's APGF): four identical
 *    two-pole resonators with poles at radius exp(−2π·b/fs) and angle 2π·f/fs, where
 *    b = `bandwidthScale`·ERB(f) and ERB(f) = 24.7·(0.00437·f + 1) Hz, preceded by one shared
 *    zero pair at DC and Nyquist (1 − z⁻²) that makes the bank band-pass. Gains are set for unit
 *    response at each centre frequency.
 * 3. Half-wave rectification and power-law compression: drive = `gain`·max(y, 0)^`compression`
 *    (cube root by default, Stevens' loudness law as in PLP).
 * 4. One leaky integrate-and-fire neuron per channel, stepped at the audio rate:
 *    v ← v + (dt/`tau`)·(drive − v); a spike when v ≥ 1, then v ← 0 and `refractory` ms of silence.
 */
export interface CochleaOptions {
  /** Number of channels (SHD has 700). */
  readonly channels?: number;
  /** Lowest centre frequency in Hz (default 50). */
  readonly minFrequency?: number;
  /** Highest centre frequency in Hz (default 0.95 × Nyquist, capped at 20 kHz). */
  readonly maxFrequency?: number;
  /** Filter bandwidth as a multiple of the ERB (default 1.019, the 4th-order gammatone value). */
  readonly bandwidthScale?: number;
  /** Exponent of the compression after rectification (default 1/3). */
  readonly compression?: number;
  /** Input gain of the spiking neurons on the compressed signal (default 4). */
  readonly gain?: number;
  /** Membrane time constant in ms (default 5). */
  readonly tau?: number;
  /** Refractory period in ms (default 1). */
  readonly refractory?: number;
  /** Waveform scaling before filtering: unit RMS (default), unit peak, or none. */
  readonly normalize?: 'rms' | 'peak' | 'none';
}

export type CochleaParams = Required<CochleaOptions>;

/** Spikes of one recording: times in seconds and the channel of each, sorted by time then channel. */
export interface CochleaSpikes {
  readonly times: Float32Array;
  readonly units: Uint16Array;
}

export const COCHLEA_DEFAULTS = {
  channels: 700,
  minFrequency: 50,
  bandwidthScale: 1.019,
  compression: 1 / 3,
  gain: 4,
  tau: 5,
  refractory: 1,
  normalize: 'rms',
} as const;

/** Options completed with defaults and checked against the sample rate. */
export function cochleaParams(options: CochleaOptions, sampleRate: number): CochleaParams {
  const p: CochleaParams = {
    ...COCHLEA_DEFAULTS,
    maxFrequency: Math.min(20000, 0.95 * (sampleRate / 2)),
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
  } as CochleaParams;
  const issues: { path: string; message: string }[] = [];
  if (!Number.isInteger(p.channels) || p.channels < 1 || p.channels > 65535)
    issues.push({ path: 'channels', message: `must be an integer 1–65535 (was ${p.channels})` });
  if (!(p.minFrequency > 0))
    issues.push({ path: 'minFrequency', message: `must be positive (was ${p.minFrequency})` });
  if (!(p.maxFrequency > p.minFrequency && p.maxFrequency < sampleRate / 2)) {
    issues.push({
      path: 'maxFrequency',
      message: `must lie between minFrequency and the Nyquist frequency ${sampleRate / 2} Hz (was ${p.maxFrequency})`,
    });
  }
  for (const key of ['bandwidthScale', 'compression', 'gain', 'tau'] as const) {
    if (!(p[key] > 0) || !Number.isFinite(p[key]))
      issues.push({ path: key, message: `must be positive (was ${p[key]})` });
  }
  if (!(p.refractory >= 0)) issues.push({ path: 'refractory', message: `must be ≥ 0 (was ${p.refractory})` });
  if (!['rms', 'peak', 'none'].includes(p.normalize))
    issues.push({ path: 'normalize', message: `must be rms, peak or none (was ${p.normalize})` });
  if (!(sampleRate > 0)) issues.push({ path: 'sampleRate', message: `must be positive (was ${sampleRate})` });
  if (issues.length) throw new ValidationError('cochlea', issues);
  return p;
}

/** Centre frequencies in Hz, ascending, evenly spaced on the ERB-rate scale. */
export function erbSpacedFrequencies(
  channels: number,
  minFrequency: number,
  maxFrequency: number,
): Float64Array {
  const erbRate = (f: number) => 21.4 * Math.log10(1 + 0.00437 * f);
  const inverse = (e: number) => (10 ** (e / 21.4) - 1) / 0.00437;
  const lo = erbRate(minFrequency);
  const hi = erbRate(maxFrequency);
  const out = new Float64Array(channels);
  for (let c = 0; c < channels; c++)
    out[c] = inverse(channels === 1 ? lo : lo + ((hi - lo) * c) / (channels - 1));
  return out;
}

/** Turns a waveform into spikes (see the model above). */
export function cochleaSpikes(
  signal: Float32Array | Float64Array,
  sampleRate: number,
  options: CochleaOptions = {},
): CochleaSpikes {
  return cochleaKernel(signal, sampleRate, cochleaParams(options, sampleRate));
}

/**
 * The model's arithmetic, self-contained (it references nothing outside its body) so that the Node
 * entry can run the very same function in worker threads from its source text.
 */
export function cochleaKernel(
  signal: Float32Array | Float64Array,
  sampleRate: number,
  p: CochleaParams,
): CochleaSpikes {
  const n = signal.length;
  // 1. Normalisation.
  const x = new Float64Array(n);
  let mean = 0;
  for (let i = 0; i < n; i++) mean += signal[i]!;
  mean = n ? mean / n : 0;
  let energy = 0;
  let peak = 0;
  for (let i = 0; i < n; i++) {
    const v = signal[i]! - mean;
    x[i] = v;
    energy += v * v;
    if (Math.abs(v) > peak) peak = Math.abs(v);
  }
  const scale =
    p.normalize === 'rms'
      ? energy > 0
        ? 1 / Math.sqrt(energy / n)
        : 0
      : p.normalize === 'peak'
        ? peak > 0
          ? 1 / peak
          : 0
        : 1;
  // The shared zero pair (1 − z⁻²).
  const input = new Float64Array(n);
  for (let i = 0; i < n; i++) input[i] = scale * (x[i]! - (i >= 2 ? x[i - 2]! : 0));

  const erbRate = (f: number) => 21.4 * Math.log10(1 + 0.00437 * f);
  const lo = erbRate(p.minFrequency);
  const hi = erbRate(p.maxFrequency);
  const alpha = 1 / (p.tau * 1e-3 * sampleRate);
  const refractorySteps = Math.round(p.refractory * 1e-3 * sampleRate);
  const exponent = p.compression;
  const cube = Math.abs(exponent - 1 / 3) < 1e-12;
  const gain = p.gain;

  let spikeSteps = new Int32Array(1024);
  let spikeUnits = new Uint16Array(1024);
  let count = 0;
  for (let c = 0; c < p.channels; c++) {
    const e = p.channels === 1 ? lo : lo + ((hi - lo) * c) / (p.channels - 1);
    const f = (10 ** (e / 21.4) - 1) / 0.00437;
    const b = p.bandwidthScale * 24.7 * (0.00437 * f + 1);
    const r = Math.exp((-2 * Math.PI * b) / sampleRate);
    const theta = (2 * Math.PI * f) / sampleRate;
    const a1 = 2 * r * Math.cos(theta);
    const a2 = -r * r;
    // |H(e^{iθ})| of (1 − z⁻²)/(1 − a1 z⁻¹ − a2 z⁻²)⁴, for unit gain at the centre frequency.
    const zr = Math.cos(theta);
    const zi = -Math.sin(theta);
    const z2r = Math.cos(2 * theta);
    const z2i = -Math.sin(2 * theta);
    const dr = 1 - a1 * zr - a2 * z2r;
    const di = -a1 * zi - a2 * z2i;
    const numerator = Math.hypot(1 - z2r, -z2i);
    const denominator = (dr * dr + di * di) ** 2;
    const g = numerator > 0 ? denominator / numerator : 0;

    let s1a = 0,
      s1b = 0,
      s2a = 0,
      s2b = 0,
      s3a = 0,
      s3b = 0,
      s4a = 0,
      s4b = 0;
    let v = 0;
    let quiet = 0;
    for (let i = 0; i < n; i++) {
      const s1 = input[i]! + a1 * s1a + a2 * s1b;
      s1b = s1a;
      s1a = s1;
      const s2 = s1 + a1 * s2a + a2 * s2b;
      s2b = s2a;
      s2a = s2;
      const s3 = s2 + a1 * s3a + a2 * s3b;
      s3b = s3a;
      s3a = s3;
      const s4 = s3 + a1 * s4a + a2 * s4b;
      s4b = s4a;
      s4a = s4;
      if (quiet > 0) {
        quiet--;
        continue;
      }
      const y = g * s4;
      const drive = y > 0 ? gain * (cube ? Math.cbrt(y) : y ** exponent) : 0;
      v += alpha * (drive - v);
      if (v >= 1) {
        v = 0;
        quiet = refractorySteps;
        if (count === spikeSteps.length) {
          const steps = new Int32Array(count * 2);
          steps.set(spikeSteps);
          spikeSteps = steps;
          const units = new Uint16Array(count * 2);
          units.set(spikeUnits);
          spikeUnits = units;
        }
        spikeSteps[count] = i;
        spikeUnits[count] = c;
        count++;
      }
    }
  }
  // Order by time step, then channel (a counting sort over steps; channels were visited in order).
  const perStep = new Int32Array(n + 1);
  for (let k = 0; k < count; k++) perStep[spikeSteps[k]! + 1]!++;
  for (let i = 0; i < n; i++) perStep[i + 1]! += perStep[i]!;
  const times = new Float32Array(count);
  const units = new Uint16Array(count);
  for (let k = 0; k < count; k++) {
    const at = perStep[spikeSteps[k]!]!++;
    times[at] = spikeSteps[k]! / sampleRate;
    units[at] = spikeUnits[k]!;
  }
  return { times, units };
}

import { sosfiltfilt } from '../signal/filter.js';
import { iirNotch } from '../signal/iir-design.js';
import { detectMains } from '../signal/mains.js';
import { CcaBlock, canonicalCorrelations } from './cca.js';
import { fbccaSubBands, fbccaWeights } from './filter-bank.js';
import { sinCosReference } from './references.js';
import { harmonicSnrScores } from './snr.js';

/** How windows are scored against candidate frequencies (training-free methods). */
export type SsvepMethod = 'cca' | 'fbcca' | 'snr';

export interface DetectOptions {
  readonly fs: number;
  readonly freqs: readonly number[];
  /** Harmonics in the references (CCA 2, FBCCA 3 as in Nakanishi's code, SNR 2). */
  readonly harmonics?: number;
  /** FBCCA sub-bands (5) and weights n^−a + b (a = 1.25, b = 0.25). */
  readonly bands?: number;
  readonly weightA?: number;
  readonly weightB?: number;
  /** FBCCA: sum w·r² (Chen 2015) instead of w·r (Nakanishi's code, the default). */
  readonly squared?: boolean;
}

/** Reference blocks per frequency, built once for a window length. */
function referenceBlocks(
  freqs: readonly number[],
  harmonics: number,
  samples: number,
  fs: number,
): CcaBlock[] {
  return freqs.map((f) => new CcaBlock(sinCosReference(f, harmonics, samples, fs), 2 * harmonics, samples));
}

/** Stacks channels (each `samples` long from `start`) into a row-major block. */
function stack(channels: readonly ArrayLike<number>[], start: number, samples: number): Float64Array {
  const out = new Float64Array(channels.length * samples);
  channels.forEach((ch, c) => {
    for (let k = 0; k < samples; k++) out[c * samples + k] = ch[start + k]!;
  });
  return out;
}

/**
 * Scores every window of a continuous multichannel signal against every candidate frequency and picks
 * the best per window. Windows are consecutive and non-overlapping, `windowSamples` long. FBCCA's
 * sub-band filters run over the whole signal once (zero-phase), then windows are cut, so window edges
 * carry no filter transients.
 */
export function detectWindows(
  channels: readonly ArrayLike<number>[],
  windowSamples: number,
  method: SsvepMethod,
  options: DetectOptions,
): { frequencies: number[]; scores: number[][] } {
  const { fs, freqs } = options;
  const harmonics = options.harmonics ?? (method === 'fbcca' ? 3 : 2);
  const length = channels[0]?.length ?? 0;
  const windows = Math.floor(length / windowSamples);
  const scores: number[][] = [];
  if (method === 'snr') {
    for (let w = 0; w < windows; w++) {
      const cut = channels.map(
        (ch) => Array.prototype.slice.call(ch, w * windowSamples, (w + 1) * windowSamples) as number[],
      );
      scores.push(harmonicSnrScores(cut, fs, freqs, { harmonics }));
    }
  } else {
    const refs = referenceBlocks(freqs, harmonics, windowSamples, fs);
    const bands: (readonly ArrayLike<number>[])[] =
      method === 'cca'
        ? [channels]
        : fbccaSubBands(fs, options.bands ?? 5).map((sos) => channels.map((ch) => sosfiltfilt(sos, ch)));
    const weights = method === 'cca' ? [1] : fbccaWeights(bands.length, options.weightA, options.weightB);
    const squared = method === 'fbcca' && options.squared === true;
    for (let w = 0; w < windows; w++) {
      const row = new Array<number>(freqs.length).fill(0);
      bands.forEach((band, b) => {
        const block = new CcaBlock(stack(band, w * windowSamples, windowSamples), band.length, windowSamples);
        refs.forEach((ref, i) => {
          const r = canonicalCorrelations(block, ref)[0] ?? 0;
          row[i] = row[i]! + weights[b]! * (squared ? r * r : r);
        });
      });
      scores.push(row);
    }
  }
  return { frequencies: scores.map((row) => freqs[argmax(row)]!), scores };
}

export interface SsvepDecodeOptions extends Omit<DetectOptions, 'fs'> {
  /** Window length in seconds. */
  readonly window: number;
  readonly method: SsvepMethod;
  /**
   * Mains notch before scoring: 'auto' (the default) notches 50 or 60 Hz when a narrow line stands
   * 10 dB over its surroundings, a number notches that frequency, null disables it.
   */
  readonly notch?: 'auto' | number | null;
}

export interface SsvepDecodeResult {
  readonly windows: number;
  readonly frequencies: number[];
  readonly mode: number;
  readonly notch: number | null;
  readonly scores: number[][];
}

/** Detects the stimulation frequency in each window of a continuous recording. */
export function decodeSsvep(
  channels: readonly ArrayLike<number>[],
  fs: number,
  options: SsvepDecodeOptions,
): SsvepDecodeResult {
  const notch =
    options.notch === undefined || options.notch === 'auto'
      ? channels[0]
        ? detectMains(channels[0], fs)
        : null
      : options.notch;
  const cleaned =
    notch !== null && notch < fs / 2
      ? channels.map((ch) => sosfiltfilt(iirNotch(notch, 30, fs), ch))
      : channels;
  const windowSamples = Math.round(options.window * fs);
  const { frequencies, scores } = detectWindows(cleaned, windowSamples, options.method, { ...options, fs });
  return { windows: frequencies.length, frequencies, mode: mode(frequencies), notch, scores };
}

export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** The most frequent value (the smallest on ties); NaN for none. */
export function mode(values: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = Number.NaN;
  let n = 0;
  for (const [v, c] of [...counts].sort((a, b) => a[0] - b[0])) if (c > n) [best, n] = [v, c];
  return best;
}

import { ValidationError } from '@neurite/kernel';
import { type CvResult, crossValidateWithPermutations } from '../evaluate/cross-validation.js';
import { type Annotation, type Recording, recordingRate, signalChannels } from '../recording.js';
import { Mdm, TangentSpaceLogistic } from '../riemann/classifiers.js';
import { augment, covariance } from '../riemann/covariance.js';
import { epoch } from '../signal/epochs.js';
import { sosfiltfilt } from '../signal/filter.js';
import { butter } from '../signal/iir-design.js';

/** GDF's standard cue codes (biosig event table): left hand, right hand, foot, tongue. */
export const GDF_CUES: Record<number, string> = { 769: 'left', 770: 'right', 771: 'foot', 772: 'tongue' };

export interface MotorImageryOptions {
  /** Band-pass in Hz (Butterworth order 4, zero-phase, on the continuous signal). */
  readonly band?: readonly [number, number];
  /** Window relative to the cue in seconds. */
  readonly tmin?: number;
  readonly tmax?: number;
  /**
   * Which events are trials: labels or codes (`0x301`, `769`, `Stimulus/S  1`); by default the GDF cue
   * codes 0x301–0x304 that occur.
   */
  readonly events?: readonly string[];
  /** Augmented covariance: embedding order and lag in samples. */
  readonly order?: number;
  readonly lag?: number;
  readonly folds?: number;
  readonly permutations?: number;
  readonly seed?: number;
}

export interface MotorImageryTrials {
  readonly trials: Float64Array[];
  readonly labels: number[];
  readonly classNames: string[];
  readonly channels: number;
  readonly samples: number;
  readonly rate: number;
}

function matches(a: Annotation, key: string): boolean {
  const code = /^0x[0-9a-f]+$/i.test(key) ? Number.parseInt(key, 16) : /^\d+$/.test(key) ? Number(key) : null;
  return code !== null ? a.code === code : a.label === key;
}

/** Band-passed trials cut after each cue, labelled by cue class. */
export function motorImageryTrials(rec: Recording, options: MotorImageryOptions = {}): MotorImageryTrials {
  const rate = recordingRate(rec);
  const channels = signalChannels(rec).filter((i) => rec.channels[i]!.sampleRate === rate);
  const [lo, hi] = options.band ?? [8, 30];
  const sos = butter(4, [lo, hi], 'bandpass', rate);
  const filtered = channels.map((i) => sosfiltfilt(sos, rec.data[i]!));
  const keys =
    options.events ??
    Object.keys(GDF_CUES)
      .map((c) => `0x${Number(c).toString(16)}`)
      .filter((k) => rec.annotations.some((a) => matches(a, k)));
  if (keys.length < 2) {
    throw new ValidationError(
      'motor imagery',
      [
        {
          path: 'events',
          message: `needs at least two event classes; found ${keys.length} (${keys.join(', ') || 'none'})`,
        },
      ],
      {
        hint: 'name the trial events with --events, e.g. --events 0x301,0x302',
      },
    );
  }
  const onsets: number[] = [];
  const labels: number[] = [];
  rec.annotations.forEach((a) => {
    const k = keys.findIndex((key) => matches(a, key));
    if (k >= 0) {
      onsets.push(a.onset);
      labels.push(k);
    }
  });
  const ep = epoch(filtered, onsets, { rate, tmin: options.tmin ?? 0.5, tmax: options.tmax ?? 2.5 });
  const size = ep.channels * ep.samples;
  const trials = Array.from({ length: ep.trials }, (_, t) => ep.data.subarray(t * size, (t + 1) * size));
  const classNames = keys.map((k) => {
    const code = Number.parseInt(k, 16);
    return /^0x/i.test(k) && GDF_CUES[code] ? GDF_CUES[code]! : k;
  });
  return {
    trials,
    labels: ep.kept.map((i) => labels[i]!),
    classNames,
    channels: ep.channels,
    samples: ep.samples,
    rate,
  };
}

export interface PipelineResult extends CvResult {
  readonly name: string;
}

/**
 * Cross-validated accuracy with permutation p-values of four Riemannian pipelines: MDM and tangent space
 * + logistic regression, on plain and on augmented (order, lag) covariances.
 */
export function evaluateMotorImagery(
  data: MotorImageryTrials,
  options: MotorImageryOptions = {},
): PipelineResult[] {
  const { channels, samples } = data;
  const order = options.order ?? 4;
  const lag = options.lag ?? 4;
  const plain = data.trials.map((t) => covariance(t, channels, samples));
  const aug = data.trials.map((t) =>
    covariance(augment(t, channels, samples, order, lag), order * channels, samples - order * lag),
  );
  const cv = {
    folds: options.folds ?? 5,
    permutations: options.permutations ?? 100,
    seed: options.seed ?? 0,
  };
  const n = channels;
  const m = order * channels;
  return [
    { name: 'mdm', ...crossValidateWithPermutations(() => new Mdm(n), plain, data.labels, cv) },
    {
      name: 'tangent-space+lr',
      ...crossValidateWithPermutations(() => new TangentSpaceLogistic(n), plain, data.labels, cv),
    },
    {
      name: `augmented(${order},${lag})+mdm`,
      ...crossValidateWithPermutations(() => new Mdm(m), aug, data.labels, cv),
    },
    {
      name: `augmented(${order},${lag})+tangent-space+lr`,
      ...crossValidateWithPermutations(() => new TangentSpaceLogistic(m), aug, data.labels, cv),
    },
  ];
}

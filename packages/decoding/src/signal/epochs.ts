import { ValidationError } from '@neurite/kernel';

/** Trials cut around events: data [trials][channels][samples] flattened, with the time axis. */
export interface Epochs {
  readonly data: Float64Array;
  readonly trials: number;
  readonly channels: number;
  readonly samples: number;
  /** Seconds relative to the event of each sample. */
  readonly times: Float64Array;
  /** Index (into the events given) of each kept trial; events too close to the ends are dropped. */
  readonly kept: number[];
}

export interface EpochOptions {
  readonly rate: number;
  /** Window start and end in seconds relative to each event (end exclusive). */
  readonly tmin: number;
  readonly tmax: number;
  /** Seconds [from, to] (relative to the event) whose per-channel mean is subtracted; null for none. */
  readonly baseline?: readonly [number, number] | null;
}

/**
 * Cuts [tmin, tmax) around each event onset (seconds) from channels sampled at `rate`, and subtracts
 * each trial's per-channel baseline mean (MNE's epochs with baseline correction). Events whose window
 * runs off the recording are dropped and reported through `kept`.
 */
export function epoch(
  channels: readonly ArrayLike<number>[],
  onsets: readonly number[],
  options: EpochOptions,
): Epochs {
  const { rate, tmin, tmax } = options;
  if (!(rate > 0) || !(tmax > tmin)) {
    throw new ValidationError('epoch', [
      { path: 'tmin/tmax', message: `need rate > 0 and tmax > tmin (were ${rate}, ${tmin}, ${tmax})` },
    ]);
  }
  const first = Math.round(tmin * rate);
  const samples = Math.round(tmax * rate) - first;
  const length = channels[0]?.length ?? 0;
  const kept: number[] = [];
  onsets.forEach((t, i) => {
    const start = Math.round(t * rate) + first;
    if (start >= 0 && start + samples <= length) kept.push(i);
  });
  const C = channels.length;
  const data = new Float64Array(kept.length * C * samples);
  const times = Float64Array.from({ length: samples }, (_, k) => (first + k) / rate);
  let b0 = 0;
  let b1 = 0;
  if (options.baseline) {
    b0 = Math.max(0, Math.round(options.baseline[0] * rate) - first);
    b1 = Math.min(samples, Math.round(options.baseline[1] * rate) - first);
    if (b1 <= b0)
      throw new ValidationError('epoch', [
        { path: 'baseline', message: `must overlap the window [${tmin}, ${tmax}) s` },
      ]);
  }
  kept.forEach((ev, trial) => {
    const start = Math.round(onsets[ev]! * rate) + first;
    for (let c = 0; c < C; c++) {
      const src = channels[c]!;
      const o = (trial * C + c) * samples;
      for (let k = 0; k < samples; k++) data[o + k] = src[start + k]!;
      if (options.baseline) {
        let mean = 0;
        for (let k = b0; k < b1; k++) mean += data[o + k]!;
        mean /= b1 - b0;
        for (let k = 0; k < samples; k++) data[o + k] = data[o + k]! - mean;
      }
    }
  });
  return { data, trials: kept.length, channels: C, samples, times, kept };
}

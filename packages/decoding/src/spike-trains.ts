import type { FileSummary } from '@neurite/kernel';

/** Spike times of recorded units, in seconds on the recording's clock. */
export interface SpikeTrains {
  readonly format: string;
  readonly units: readonly { readonly id: string; readonly times: Float64Array }[];
  /** The time span the units were recorded over, when the file states it. */
  readonly timeRange?: readonly [number, number];
  readonly details?: Record<string, unknown>;
}

export function summarizeSpikes(trains: SpikeTrains): FileSummary {
  let spikes = 0;
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const u of trains.units) {
    spikes += u.times.length;
    for (const t of u.times) {
      if (t < first) first = t;
      if (t > last) last = t;
    }
  }
  const span = trains.timeRange ?? (spikes ? ([first, last] as const) : ([0, 0] as const));
  const summary: FileSummary = {
    format: trains.format,
    units: trains.units.length,
    spikes,
    durationSeconds: span[1] - span[0],
  };
  if (trains.details) summary.details = trains.details;
  return summary;
}

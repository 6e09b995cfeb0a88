import { type Rng, ValidationError } from '@neurite/kernel';
import { type EventStream, filterEvents, sortEvents } from '../events/types.js';

export interface TimeJitterOptions {
  /** Standard deviation of the normal jitter added to each time, in µs. */
  readonly std: number;
  readonly rng: Rng;
  /** Drop events whose jittered time falls before 0 (default true). */
  readonly clipNegative?: boolean;
}

/** Adds normal noise to every timestamp and re-sorts (tonic's TimeJitter with sorting). Seeded by `rng`. */
export function timeJitter<E extends EventStream>(events: E, options: TimeJitterOptions): E {
  if (!(options.std >= 0))
    throw new ValidationError('timeJitter', [{ path: 'std', message: `must be ≥ 0 (was ${options.std})` }]);
  const t = new Float64Array(events.t.length);
  for (let i = 0; i < t.length; i++) t[i] = events.t[i]! + options.std * options.rng.normal();
  let out = sortEvents({ ...events, t });
  if (options.clipNegative ?? true) {
    const keep = new Uint8Array(out.t.length);
    for (let i = 0; i < keep.length; i++) keep[i] = out.t[i]! >= 0 ? 1 : 0;
    out = filterEvents(out, keep);
  }
  return out;
}

/** Drops each event with probability `p` (tonic's DropEvent). Seeded by `rng`. */
export function dropEvents<E extends EventStream>(events: E, p: number, rng: Rng): E {
  if (!(p >= 0 && p <= 1))
    throw new ValidationError('dropEvents', [{ path: 'p', message: `must be in [0, 1] (was ${p})` }]);
  const keep = new Uint8Array(events.t.length);
  for (let i = 0; i < keep.length; i++) keep[i] = rng.uniform() >= p ? 1 : 0;
  return filterEvents(events, keep);
}

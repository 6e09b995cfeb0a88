import { ValidationError } from '@neurite/kernel';
import { type CameraEvents, filterEvents } from '../events/types.js';

export interface DenoiseOptions {
  /** µs within which a neighbour must have fired for an event to be kept. */
  readonly filterTime: number;
  /**
   * 'cross' (default, tonic's Denoise): the four pixels left, right, above and below; 'square': all
   * eight pixels of the 3×3 neighbourhood.
   */
  readonly neighbourhood?: 'cross' | 'square';
}

/**
 * Drops events that no neighbouring pixel supports: an event at (x, y, t) is kept when a neighbour
 * fired at some t' with t − filterTime < t' ≤ t (events in time order). The event's own pixel does not
 * count. Unlike tonic, a pixel that has not fired yet never supports an event (tonic's memory starts at
 * `filterTime`, which lets every event of the first `filterTime` µs through).
 */
export function denoise(events: CameraEvents, options: DenoiseOptions): CameraEvents {
  const { filterTime } = options;
  if (!(filterTime > 0))
    throw new ValidationError('denoise', [
      { path: 'filterTime', message: `must be positive (was ${filterTime})` },
    ]);
  const [w, h] = events.sensor;
  // Time until which each pixel supports its neighbours.
  const until = new Float64Array(w * h).fill(Number.NEGATIVE_INFINITY);
  const keep = new Uint8Array(events.t.length);
  const square = options.neighbourhood === 'square';
  for (let i = 0; i < events.t.length; i++) {
    const x = events.x[i]!;
    const y = events.y[i]!;
    const t = events.t[i]!;
    until[y * w + x] = t + filterTime;
    let supported = false;
    for (let dy = -1; dy <= 1 && !supported; dy++) {
      const yy = y + dy;
      if (yy < 0 || yy >= h) continue;
      for (let dx = -1; dx <= 1; dx++) {
        if ((dx === 0 && dy === 0) || (!square && dx !== 0 && dy !== 0)) continue;
        const xx = x + dx;
        if (xx >= 0 && xx < w && until[yy * w + xx]! > t) {
          supported = true;
          break;
        }
      }
    }
    keep[i] = supported ? 1 : 0;
  }
  return filterEvents(events, keep);
}

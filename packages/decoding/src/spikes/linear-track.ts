import { linalg, ValidationError } from '@neurite/kernel';

export interface TrackPositions {
  /** Sample times in seconds. */
  readonly times: Float64Array;
  /** Position along the track (first principal axis of the valid 2-D positions, from its minimum). */
  readonly position: Float64Array;
  /** Whether each sample is valid tracking (not a dropout). */
  readonly valid: Uint8Array;
  /** Track length in the position unit (camera pixels for the nelpy example). */
  readonly length: number;
}

/**
 * Linearises 2-D tracker positions on a linear track. Runs of identical coordinates longer than
 * `dropoutSeconds` (default 10 s) are tracker dropouts (the LED out of view leaves the last or a fixed
 * coordinate); the remaining points are projected on their first principal axis.
 */
export function linearizeTrack(
  times: Float64Array,
  x: Float64Array,
  y: Float64Array,
  options: { dropoutSeconds?: number } = {},
): TrackPositions {
  const n = times.length;
  if (x.length !== n || y.length !== n || n < 3)
    throw new ValidationError('linearizeTrack', [
      { path: 'x/y', message: 'need as many coordinates as times (at least 3)' },
    ]);
  const valid = new Uint8Array(n).fill(1);
  const limit = options.dropoutSeconds ?? 10;
  let start = 0;
  for (let i = 1; i <= n; i++) {
    if (i === n || x[i] !== x[start] || y[i] !== y[start]) {
      if (times[i - 1]! - times[start]! > limit) valid.fill(0, start, i);
      start = i;
    }
  }
  let mx = 0;
  let my = 0;
  let count = 0;
  for (let i = 0; i < n; i++)
    if (valid[i]) {
      mx += x[i]!;
      my += y[i]!;
      count++;
    }
  if (count < 3)
    throw new ValidationError('linearizeTrack', [
      { path: 'x/y', message: 'no valid tracking left after removing dropouts' },
    ]);
  mx /= count;
  my /= count;
  const cov = new Float64Array(4);
  for (let i = 0; i < n; i++)
    if (valid[i]) {
      const dx = x[i]! - mx;
      const dy = y[i]! - my;
      cov[0] = cov[0]! + dx * dx;
      cov[1] = cov[1]! + dx * dy;
      cov[3] = cov[3]! + dy * dy;
    }
  cov[2] = cov[1]!;
  const { vectors } = linalg.dense.eigh(cov, 2);
  const ux = vectors[1]!;
  const uy = vectors[3]!;
  const position = new Float64Array(n);
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    position[i] = (x[i]! - mx) * ux + (y[i]! - my) * uy;
    if (valid[i]) {
      lo = Math.min(lo, position[i]!);
      hi = Math.max(hi, position[i]!);
    }
  }
  for (let i = 0; i < n; i++) position[i] = position[i]! - lo;
  return { times, position, valid, length: hi - lo };
}

/** Linear interpolation of (times, values) at t; NaN outside or across an invalid sample. */
export function interpolate(times: Float64Array, values: Float64Array, valid: Uint8Array, t: number): number {
  let lo = 0;
  let hi = times.length - 1;
  if (t < times[0]! || t > times[hi]!) return Number.NaN;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (times[mid]! <= t) lo = mid;
    else hi = mid;
  }
  if (!valid[lo] || !valid[hi]) return Number.NaN;
  const span = times[hi]! - times[lo]!;
  const f = span > 0 ? (t - times[lo]!) / span : 0;
  return values[lo]! + f * (values[hi]! - values[lo]!);
}

import { ValidationError } from '@neurite/kernel';

/** [start, end) index ranges into a time-sorted event stream. */
export type Slices = [number, number][];

/** First index whose time is ≥ `value` (times sorted). */
export function lowerBound(t: Float64Array, value: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function positive(name: string, value: number, integer: boolean): void {
  if (!(value > 0) || !Number.isFinite(value) || (integer && !Number.isInteger(value))) {
    throw new ValidationError('slicing', [
      { path: name, message: `must be a positive ${integer ? 'integer' : 'number'} (was ${value})` },
    ]);
  }
}

/**
 * Windows of `window` µs every `window − overlap` µs from the first event (or `start`) to the last (or
 * `end`); the last, shorter window is kept only with `includeIncomplete`. At least one window. (tonic's
 * SliceByTime.)
 */
export function sliceByTime(
  t: Float64Array,
  window: number,
  options: { overlap?: number; includeIncomplete?: boolean; start?: number; end?: number } = {},
): Slices {
  positive('timeWindow', window, false);
  const stride = window - (options.overlap ?? 0);
  positive('timeWindow − overlap', stride, false);
  if (!t.length && options.start === undefined) return [];
  const start = options.start ?? t[0]!;
  const end = options.end ?? t[t.length - 1]!;
  const span = (end - start - window) / stride;
  const count = Math.max(1, (options.includeIncomplete ? Math.ceil(span) : Math.floor(span)) + 1);
  const out: Slices = [];
  for (let k = 0; k < count; k++) {
    const s = start + k * stride;
    out.push([lowerBound(t, s), lowerBound(t, s + window)]);
  }
  return out;
}

/** Slices of `count` events every `count − overlap` events (tonic's SliceByEventCount). */
export function sliceByCount(
  n: number,
  count: number,
  options: { overlap?: number; includeIncomplete?: boolean } = {},
): Slices {
  positive('eventCount', count, true);
  const stride = count - (options.overlap ?? 0);
  positive('eventCount − overlap', stride, true);
  const size = Math.min(count, n);
  const span = (n - size) / stride;
  const slices = (options.includeIncomplete ? Math.ceil(span) : Math.floor(span)) + 1;
  const out: Slices = [];
  for (let k = 0; k < slices; k++) out.push([k * stride, Math.min(n, k * stride + size)]);
  return out;
}

/**
 * `bins` windows of ⌊duration / bins⌋ · (1 + overlap) µs, one every window · (1 − overlap) µs from the
 * first event (tonic's SliceByTimeBins).
 */
export function sliceByTimeBins(t: Float64Array, bins: number, overlap = 0): Slices {
  positive('nTimeBins', bins, true);
  if (!(overlap >= 0 && overlap < 1))
    throw new ValidationError('slicing', [
      { path: 'overlap', message: `must be in [0, 1) (was ${overlap})` },
    ]);
  if (!t.length) return Array.from({ length: bins }, () => [0, 0] as [number, number]);
  const t0 = t[0]!;
  const window = Math.floor((t[t.length - 1]! - t0) / bins) * (1 + overlap);
  const stride = window * (1 - overlap);
  const out: Slices = [];
  for (let k = 0; k < bins; k++) {
    const s = t0 + k * stride;
    out.push([lowerBound(t, s), lowerBound(t, s + window)]);
  }
  return out;
}

/** `bins` slices of ⌊n / bins⌋ · (1 + overlap) events (tonic's SliceByEventBins). */
export function sliceByEventBins(n: number, bins: number, overlap = 0): Slices {
  positive('nEventBins', bins, true);
  if (!(overlap >= 0 && overlap < 1))
    throw new ValidationError('slicing', [
      { path: 'overlap', message: `must be in [0, 1) (was ${overlap})` },
    ]);
  const size = Math.floor(Math.floor(n / bins) * (1 + overlap));
  const stride = Math.floor(size * (1 - overlap));
  const out: Slices = [];
  for (let k = 0; k < bins; k++) out.push([Math.min(n, k * stride), Math.min(n, k * stride + size)]);
  return out;
}

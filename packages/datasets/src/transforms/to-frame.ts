import { ValidationError } from '@neurite/kernel';
import type { EventStream } from '../events/types.js';
import { type Slices, sliceByCount, sliceByEventBins, sliceByTime, sliceByTimeBins } from './slice.js';

/** Exactly one way of cutting the stream into frames, as in tonic's ToFrame. */
export type FrameSlicing =
  | {
      readonly timeWindow: number;
      readonly overlap?: number;
      readonly includeIncomplete?: boolean;
      readonly start?: number;
      readonly end?: number;
    }
  | { readonly eventCount: number; readonly overlap?: number; readonly includeIncomplete?: boolean }
  | { readonly nTimeBins: number; readonly overlap?: number }
  | { readonly nEventBins: number; readonly overlap?: number };

export type ToFrameOptions = FrameSlicing & {
  /** 2 (default): ON and OFF counted apart; 1: merged. */
  readonly polarities?: 1 | 2;
};

export interface Frames {
  /** Event counts per frame, polarity and pixel (or channel). */
  readonly data: Float32Array;
  /** [T, P, H, W] for camera events, [T, P, C] for channel events. */
  readonly shape: number[];
}

/** The slices of an event stream for a frame slicing. */
export function slicesFor(events: EventStream, options: FrameSlicing): Slices {
  const n = events.t.length;
  if ('timeWindow' in options) return sliceByTime(events.t, options.timeWindow, options);
  if ('eventCount' in options) return sliceByCount(n, options.eventCount, options);
  if ('nTimeBins' in options) return sliceByTimeBins(events.t, options.nTimeBins, options.overlap);
  if ('nEventBins' in options) return sliceByEventBins(n, options.nEventBins, options.overlap);
  throw new ValidationError('toFrame', [
    { path: '', message: 'give one of timeWindow, eventCount, nTimeBins, nEventBins' },
  ]);
}

/**
 * Accumulates events into frames of counts, cutting the stream by time windows, event counts, or a
 * fixed number of time or event bins (tonic's ToFrame semantics; times in µs).
 */
export function toFrame(events: EventStream, options: ToFrameOptions): Frames {
  const slices = slicesFor(events, options);
  const polarities = options.polarities ?? 2;
  const plane = events.kind === 'camera' ? events.sensor[0] * events.sensor[1] : events.channels;
  const frame = polarities * plane;
  const data = new Float32Array(slices.length * frame);
  slices.forEach(([start, end], k) => {
    const base = k * frame;
    for (let i = start; i < end; i++) {
      const p = polarities === 2 ? events.p[i]! : 0;
      const pixel =
        events.kind === 'camera' ? events.y[i]! * events.sensor[0] + events.x[i]! : events.channel[i]!;
      data[base + p * plane + pixel]! += 1;
    }
  });
  const shape =
    events.kind === 'camera'
      ? [slices.length, polarities, events.sensor[1], events.sensor[0]]
      : [slices.length, polarities, events.channels];
  return { data, shape };
}

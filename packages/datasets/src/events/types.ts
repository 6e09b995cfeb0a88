/**
 * Event data as a structure of typed arrays, one entry per event, sorted by time.
 *
 * Event cameras give `x`, `y` and a sensor size; neuromorphic cochleas and spike-train files give a
 * `channel` (an address) and a channel count. Times are microseconds in a Float64Array: exact for integer
 * microsecond clocks up to 2^53 µs, and able to hold the 0.2 µs ticks of cochlea boards.
 */
export interface CameraEvents {
  readonly kind: 'camera';
  readonly x: Uint16Array;
  readonly y: Uint16Array;
  /** Microseconds, non-decreasing. */
  readonly t: Float64Array;
  /** 1 = ON (brightness increase), 0 = OFF. */
  readonly p: Uint8Array;
  /** [width, height] in pixels. */
  readonly sensor: readonly [number, number];
}

export interface ChannelEvents {
  readonly kind: 'channel';
  readonly channel: Uint32Array;
  /** Microseconds, non-decreasing. */
  readonly t: Float64Array;
  /** Polarity where the source has one (ON/OFF cochlea channels), else 0. */
  readonly p: Uint8Array;
  /** Number of channels (addresses); every `channel` value is below it. */
  readonly channels: number;
}

export type EventStream = CameraEvents | ChannelEvents;

export function eventCount(events: EventStream): number {
  return events.t.length;
}

/** Duration in seconds from the first to the last event (0 for fewer than two events). */
export function durationSeconds(events: EventStream): number {
  const n = events.t.length;
  return n < 2 ? 0 : (events.t[n - 1]! - events.t[0]!) / 1e6;
}

/** Whether the times are non-decreasing. */
export function isSorted(t: Float64Array): boolean {
  for (let i = 1; i < t.length; i++) if (t[i]! < t[i - 1]!) return false;
  return true;
}

/** The order that sorts `t` stably (equal times keep their file order). */
export function stableOrder(t: Float64Array): Uint32Array {
  const order = new Uint32Array(t.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => t[a]! - t[b]! || a - b);
  return order;
}

function gather<A extends Uint8Array | Uint16Array | Uint32Array | Float64Array>(
  a: A,
  order: Uint32Array,
): A {
  const out = new (a.constructor as new (n: number) => A)(order.length);
  for (let i = 0; i < order.length; i++) out[i] = a[order[i]!]!;
  return out;
}

/** Events reordered by `order` (indices into the stream). */
export function selectEvents<E extends EventStream>(events: E, order: Uint32Array): E {
  if (events.kind === 'camera') {
    return {
      ...events,
      x: gather(events.x, order),
      y: gather(events.y, order),
      t: gather(events.t, order),
      p: gather(events.p, order),
    };
  }
  return {
    ...events,
    channel: gather(events.channel, order),
    t: gather(events.t, order),
    p: gather(events.p, order),
  };
}

/** The events sorted by time (stable); the same object when already sorted. */
export function sortEvents<E extends EventStream>(events: E): E {
  return isSorted(events.t) ? events : selectEvents(events, stableOrder(events.t));
}

/** Keeps the events whose `keep` entry is non-zero. */
export function filterEvents<E extends EventStream>(events: E, keep: Uint8Array): E {
  let n = 0;
  for (let i = 0; i < keep.length; i++) if (keep[i]) n++;
  const order = new Uint32Array(n);
  for (let i = 0, j = 0; i < keep.length; i++) if (keep[i]) order[j++] = i;
  return selectEvents(events, order);
}

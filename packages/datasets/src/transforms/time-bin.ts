import { ValidationError } from '@neurite/kernel';
import type { ChannelEvents } from '../events/types.js';

export interface TimeBinOptions {
  /** Bin width in µs. */
  readonly dt: number;
  /** Number of bins: later events are dropped, a shorter stream is padded with empty bins. */
  readonly T: number;
  /** Channels of the output (events of channels at or above it are dropped); the stream's count by default. */
  readonly channels?: number;
  /** Merge this many neighbouring channels into one (700 → 140 with 5). Default 1. */
  readonly channelFactor?: number;
  /** Where bin 0 starts: time 0 (default, recording start) or the first event. */
  readonly origin?: 'zero' | 'first';
  /** 'spikes' (default): 1 where a bin holds any event, as spike data; 'counts': event counts. */
  readonly output?: 'spikes' | 'counts';
}

/** A time-major [T, channels] tensor of spike data (Uint8Array, 0/1) or counts (Float32Array). */
export interface Binned {
  readonly data: Uint8Array | Float32Array;
  readonly shape: [number, number];
}

/** Bins spike times (seconds or µs via `scale`) and units into [T, channels]. The shared core of timeBin. */
export function binSpikes(
  times: ArrayLike<number>,
  units: ArrayLike<number>,
  options: TimeBinOptions & { channels: number },
  scale = 1,
  origin = 0,
): Binned {
  const { dt, T } = options;
  if (!(dt > 0) || !Number.isFinite(dt))
    throw new ValidationError('time binning', [
      { path: 'dt', message: `must be a positive number of µs (was ${dt})` },
    ]);
  if (!Number.isSafeInteger(T) || T < 1)
    throw new ValidationError('time binning', [
      { path: 'T', message: `must be a positive integer (was ${T})` },
    ]);
  const factor = options.channelFactor ?? 1;
  if (!Number.isSafeInteger(factor) || factor < 1)
    throw new ValidationError('time binning', [
      { path: 'channelFactor', message: `must be a positive integer (was ${factor})` },
    ]);
  const channels = Math.ceil(options.channels / factor);
  const counts = options.output === 'counts';
  const data = counts ? new Float32Array(T * channels) : new Uint8Array(T * channels);
  for (let i = 0; i < times.length; i++) {
    const u = units[i]!;
    if (u >= options.channels || u < 0) continue;
    const bin = Math.floor((times[i]! * scale - origin) / dt);
    if (bin < 0 || bin >= T) continue;
    const at = bin * channels + Math.floor(u / factor);
    if (counts) data[at]! += 1;
    else data[at] = 1;
  }
  return { data, shape: [T, channels] };
}

/** Bins channel events (cochlea, SHD-style spikes) into a time-major [T, channels] tensor. */
export function timeBin(events: ChannelEvents, options: TimeBinOptions): Binned {
  const origin = options.origin === 'first' && events.t.length ? events.t[0]! : 0;
  return binSpikes(
    events.t,
    events.channel,
    { ...options, channels: options.channels ?? events.channels },
    1,
    origin,
  );
}

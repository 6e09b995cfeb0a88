import { ValidationError } from '@neurite/kernel';
import { type CameraEvents, type ChannelEvents, filterEvents } from '../events/types.js';

/**
 * Spatial downsampling: coordinates divided by `factor` (rounded down), the sensor shrunk to match.
 * Events that land on one pixel stay separate events (tonic's Downsample with spatial factors).
 */
export function downsample(events: CameraEvents, factor: number | readonly [number, number]): CameraEvents {
  const [fx, fy] = typeof factor === 'number' ? [factor, factor] : factor;
  for (const [name, f] of [
    ['factor x', fx],
    ['factor y', fy],
  ] as const) {
    if (!(f >= 1) || !Number.isFinite(f))
      throw new ValidationError('downsample', [{ path: name, message: `must be at least 1 (was ${f})` }]);
  }
  const x = new Uint16Array(events.x.length);
  const y = new Uint16Array(events.y.length);
  for (let i = 0; i < x.length; i++) {
    x[i] = Math.floor(events.x[i]! / fx);
    y[i] = Math.floor(events.y[i]! / fy);
  }
  return { ...events, x, y, sensor: [Math.ceil(events.sensor[0] / fx), Math.ceil(events.sensor[1] / fy)] };
}

/** Channel downsampling: `factor` neighbouring channels merged into one (700 → 140 with 5). */
export function downsampleChannels(events: ChannelEvents, factor: number): ChannelEvents {
  if (!Number.isInteger(factor) || factor < 1)
    throw new ValidationError('downsampleChannels', [
      { path: 'factor', message: `must be a positive integer (was ${factor})` },
    ]);
  const channel = new Uint32Array(events.channel.length);
  for (let i = 0; i < channel.length; i++) channel[i] = Math.floor(events.channel[i]! / factor);
  return { ...events, channel, channels: Math.ceil(events.channels / factor) };
}

export interface CropBox {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/**
 * Keeps the events inside a box and moves them to its origin. `size` alone crops the centre of the
 * sensor (tonic's CenterCrop); a box crops anywhere.
 */
export function crop(
  events: CameraEvents,
  region: CropBox | { readonly size: readonly [number, number] },
): CameraEvents {
  const [w, h] = events.sensor;
  const box: CropBox =
    'size' in region
      ? {
          x: Math.floor((w - region.size[0]) / 2),
          y: Math.floor((h - region.size[1]) / 2),
          width: region.size[0],
          height: region.size[1],
        }
      : region;
  const issues: { path: string; message: string }[] = [];
  if (!(box.width >= 1 && box.height >= 1))
    issues.push({ path: 'size', message: `must be at least 1×1 (was ${box.width}×${box.height})` });
  if (box.x < 0 || box.y < 0 || box.x + box.width > w || box.y + box.height > h) {
    issues.push({
      path: 'box',
      message: `must lie inside the ${w}×${h} sensor (was ${box.width}×${box.height} at ${box.x},${box.y})`,
    });
  }
  if (issues.length) throw new ValidationError('crop', issues);
  const keep = new Uint8Array(events.t.length);
  for (let i = 0; i < keep.length; i++) {
    const x = events.x[i]! - box.x;
    const y = events.y[i]! - box.y;
    keep[i] = x >= 0 && y >= 0 && x < box.width && y < box.height ? 1 : 0;
  }
  const kept = filterEvents(events, keep);
  const x = kept.x.map((v) => v - box.x);
  const y = kept.y.map((v) => v - box.y);
  return { ...kept, x, y, sensor: [box.width, box.height] };
}

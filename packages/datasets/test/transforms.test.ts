import { Rng, ValidationError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import {
  type CameraEvents,
  type ChannelEvents,
  crop,
  denoise,
  downsample,
  downsampleChannels,
  dropEvents,
  readAtisBin,
  sliceByCount,
  sliceByEventBins,
  sliceByTime,
  sliceByTimeBins,
  timeBin,
  timeJitter,
  toFrame,
} from '../src/index.js';
import { readData } from './helpers.js';

const camera = (
  rows: [number, number, number, number][],
  sensor: [number, number] = [4, 3],
): CameraEvents => ({
  kind: 'camera',
  x: Uint16Array.from(rows, (r) => r[0]),
  y: Uint16Array.from(rows, (r) => r[1]),
  t: Float64Array.from(rows, (r) => r[2]),
  p: Uint8Array.from(rows, (r) => r[3]),
  sensor,
});

describe('slicing (tonic semantics)', () => {
  const t = Float64Array.of(0, 10, 20, 30, 40, 50, 60, 70, 80, 95);
  it('by time window, with overlap and the incomplete tail on request', () => {
    expect(sliceByTime(t, 30)).toEqual([
      [0, 3],
      [3, 6],
      [6, 9],
    ]);
    expect(sliceByTime(t, 30, { includeIncomplete: true })).toEqual([
      [0, 3],
      [3, 6],
      [6, 9],
      [9, 10],
    ]);
    // stride 20: ⌊(95 − 40) / 20⌋ + 1 = 3 windows
    expect(sliceByTime(t, 40, { overlap: 20 })).toEqual([
      [0, 4],
      [2, 6],
      [4, 8],
    ]);
  });
  it('by event count and by bins', () => {
    expect(sliceByCount(10, 4)).toEqual([
      [0, 4],
      [4, 8],
    ]);
    expect(sliceByCount(10, 4, { includeIncomplete: true, overlap: 1 })).toEqual([
      [0, 4],
      [3, 7],
      [6, 10],
    ]);
    // windows of ⌊95 / 3⌋ = 31: the last event (95) falls after the third window, as in tonic
    expect(sliceByTimeBins(t, 3)).toEqual([
      [0, 4],
      [4, 7],
      [7, 9],
    ]);
    expect(sliceByEventBins(10, 3)).toEqual([
      [0, 3],
      [3, 6],
      [6, 9],
    ]);
  });
  it('rejects a non-positive stride', () => {
    expect(() => sliceByTime(t, 10, { overlap: 10 })).toThrow(ValidationError);
  });
});

describe('toFrame', () => {
  const e = camera([
    [0, 0, 0, 1],
    [3, 2, 5, 0],
    [3, 2, 6, 0],
    [1, 1, 12, 1],
  ]);
  it('counts events per [T, P, H, W] frame', () => {
    const f = toFrame(e, { timeWindow: 10, includeIncomplete: true });
    expect(f.shape).toEqual([2, 2, 3, 4]);
    const at = (t: number, p: number, y: number, x: number) => f.data[((t * 2 + p) * 3 + y) * 4 + x];
    expect(at(0, 1, 0, 0)).toBe(1);
    expect(at(0, 0, 2, 3)).toBe(2);
    expect(at(1, 1, 1, 1)).toBe(1);
    expect(f.data.reduce((a, b) => a + b, 0)).toBe(4);
  });
  it('merges polarities and frames channel events as [T, P, C]', () => {
    expect(toFrame(e, { nEventBins: 2, polarities: 1 }).shape).toEqual([2, 1, 3, 4]);
    const c: ChannelEvents = {
      kind: 'channel',
      channel: Uint32Array.of(0, 2, 2),
      t: Float64Array.of(0, 1, 2),
      p: new Uint8Array(3),
      channels: 3,
    };
    const f = toFrame(c, { eventCount: 3 });
    expect(f.shape).toEqual([1, 2, 3]);
    expect(Array.from(f.data)).toEqual([1, 0, 2, 0, 0, 0]);
  });
  it('frames the N-MNIST sample into 10 time bins holding all but the events past the last bin', () => {
    const nmnist = readAtisBin(readData('events/tonic_sample_nmnist.bin'));
    const f = toFrame(nmnist, { nTimeBins: 10 });
    expect(f.shape).toEqual([10, 2, 34, 34]);
    const total = f.data.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThan(4300);
    expect(total).toBeLessThanOrEqual(4325);
  });
});

describe('timeBin', () => {
  const spikes: ChannelEvents = {
    kind: 'channel',
    channel: Uint32Array.of(0, 1, 1, 5, 2),
    t: Float64Array.of(100, 900, 1100, 1500, 5000),
    p: new Uint8Array(5),
    channels: 6,
  };
  it('bins into [T, channels] spikes from time 0, padding and cutting to T', () => {
    const b = timeBin(spikes, { dt: 1000, T: 3 });
    expect(b.shape).toEqual([3, 6]);
    expect(Array.from(b.data)).toEqual([1, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
  });
  it('counts, merges channels and starts at the first event on request', () => {
    const b = timeBin(spikes, { dt: 1000, T: 2, output: 'counts', channelFactor: 2, origin: 'first' });
    expect(b.shape).toEqual([2, 3]);
    expect(Array.from(b.data)).toEqual([2, 0, 0, 1, 0, 1]);
    expect(b.data).toBeInstanceOf(Float32Array);
  });
});

describe('denoise', () => {
  it('keeps events a 4-neighbour supported within filterTime (tonic), or an 8-neighbour in square mode', () => {
    const e = camera(
      [
        [1, 1, 0, 1], // nothing fired yet: dropped
        [1, 2, 5, 1], // below (1,1) fired at 0: kept
        [2, 3, 7, 1], // diagonal neighbour (1,2): dropped in cross mode
        [3, 0, 100, 1], // isolated: dropped
        [1, 1, 200, 1], // neighbours fired long ago: dropped
      ],
      [4, 4],
    );
    expect(Array.from(denoise(e, { filterTime: 10 }).t)).toEqual([5]);
    expect(Array.from(denoise(e, { filterTime: 10, neighbourhood: 'square' }).t)).toEqual([5, 7]);
  });
});

describe('downsample and crop', () => {
  const e = camera(
    [
      [0, 0, 0, 1],
      [3, 2, 1, 0],
      [2, 1, 2, 1],
    ],
    [4, 3],
  );
  it('divides coordinates and the sensor', () => {
    const d = downsample(e, 2);
    expect(d.sensor).toEqual([2, 2]);
    expect(Array.from(d.x)).toEqual([0, 1, 1]);
    expect(Array.from(d.y)).toEqual([0, 1, 0]);
    const c: ChannelEvents = {
      kind: 'channel',
      channel: Uint32Array.of(0, 699, 5),
      t: Float64Array.of(0, 1, 2),
      p: new Uint8Array(3),
      channels: 700,
    };
    const dc = downsampleChannels(c, 5);
    expect(dc.channels).toBe(140);
    expect(Array.from(dc.channel)).toEqual([0, 139, 1]);
  });
  it('crops a box or the centre and moves events to its origin', () => {
    const box = crop(e, { x: 2, y: 1, width: 2, height: 2 });
    expect(box.sensor).toEqual([2, 2]);
    expect(Array.from(box.x)).toEqual([1, 0]);
    expect(Array.from(box.y)).toEqual([1, 0]);
    expect(crop(e, { size: [2, 1] }).sensor).toEqual([2, 1]);
    expect(() => crop(e, { x: 3, y: 0, width: 2, height: 1 })).toThrow(ValidationError);
  });
});

describe('seeded augmentation', () => {
  const nmnist = readAtisBin(readData('events/tonic_sample_nmnist.bin'));
  it('drops about p of the events, identically for one seed', () => {
    const a = dropEvents(nmnist, 0.25, new Rng(7));
    const b = dropEvents(nmnist, 0.25, new Rng(7));
    const c = dropEvents(nmnist, 0.25, new Rng(8));
    expect(a).toEqual(b);
    expect(a.t.length).not.toBe(c.t.length);
    expect(a.t.length / nmnist.t.length).toBeCloseTo(0.75, 1);
  });
  it('jitters times by the given spread, keeps them sorted and non-negative', () => {
    const a = timeJitter(nmnist, { std: 100, rng: new Rng(3) });
    expect(a).toEqual(timeJitter(nmnist, { std: 100, rng: new Rng(3) }));
    for (let i = 1; i < a.t.length; i++) expect(a.t[i]! >= a.t[i - 1]!).toBe(true);
    expect(a.t[0]!).toBeGreaterThanOrEqual(0);
    const sum = a.t.reduce((s, t) => s + t, 0) - nmnist.t.reduce((s, t) => s + t, 0);
    expect(Math.abs(sum / nmnist.t.length)).toBeLessThan(10);
  });
});

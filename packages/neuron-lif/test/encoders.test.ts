import { buildModel } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { setStepMode } from '../src/neurons/layer.js';
import { runtime } from './helpers.js';

describe('rate encoder', () => {
  it('fires each step with probability clamp(gain·x, 0, 1), as spikes [T, B, ...]', () => {
    const rt = runtime(11);
    const enc = buildModel(rt, { type: 'rate-encoder', steps: 400 });
    const x = rt.tensor([[0, 0.25, 0.5, 1, 1.7]]);
    const s = enc.forward(x);
    expect(s.dtype).toBe('spike');
    expect(s.shape).toEqual([400, 1, 5]);
    const rate = s.mean(0).dataSync();
    expect(rate[0]).toBe(0);
    expect(rate[1]).toBeGreaterThan(0.19);
    expect(rate[1]).toBeLessThan(0.31);
    expect(rate[2]).toBeGreaterThan(0.43);
    expect(rate[2]).toBeLessThan(0.57);
    expect(rate[3]).toBe(1);
    expect(rate[4]).toBe(1);
    const gained = buildModel(rt, { type: 'rate-encoder', steps: 400, gain: 2 }).forward(rt.tensor([[0.25]]));
    expect(gained.mean().dataSync()[0]).toBeGreaterThan(0.43);
  });

  it('single-step mode emits one step [B, ...] per call', () => {
    const rt = runtime(12);
    const enc = buildModel(rt, { type: 'rate-encoder', steps: 10 });
    setStepMode(enc, 'single');
    expect(enc.forward(rt.rand([3, 4])).shape).toEqual([3, 4]);
  });
});

describe('latency encoder', () => {
  it('linear: one spike at round((1 − x)(T − 1)); inputs at or below the threshold never fire', () => {
    const rt = runtime();
    const enc = buildModel(rt, { type: 'latency-encoder', steps: 5 });
    const s = enc.forward(rt.tensor([[1, 0.5, 0.26, 0.005]]));
    expect(s.shape).toEqual([5, 1, 4]);
    const rows = s.toArraySync() as number[][][];
    const firstSpike = [0, 1, 2, 3].map((i) => rows.findIndex((r) => r[0]![i] === 1));
    expect(firstSpike).toEqual([0, 2, 3, -1]);
    expect(s.sum(0).dataSync()).toEqual(Float32Array.from([1, 1, 1, 0]));
  });

  it('log (RC) mode fires stronger inputs earlier, clipped to the last step', () => {
    const rt = runtime();
    const enc = buildModel(rt, { type: 'latency-encoder', steps: 10, mode: 'log', tau: 2, threshold: 0.1 });
    const times = (enc as unknown as { spikeTimes(x: unknown): { dataSync(): Float32Array } })
      .spikeTimes(rt.tensor([[1, 0.5, 0.101, 0.05]]))
      .dataSync();
    // τ·ln(x / (x − θ)): 2·ln(1/0.9) = 0.21 → 0; 2·ln(0.5/0.4) = 0.45 → 0; 2·ln(0.101/0.001) ≈ 9.2 → 9 (clipped).
    expect(Array.from(times)).toEqual([0, 0, 9, -1]);
  });

  it('single-step mode emits the same spikes step by step', () => {
    const rt = runtime();
    const enc = buildModel(rt, { type: 'latency-encoder', steps: 4 });
    const x = rt.tensor([[0.9, 0.4, 0.02]]);
    const multi = Array.from(enc.forward(x).dataSync());
    setStepMode(enc, 'single');
    const single = [0, 1, 2, 3].flatMap(() => Array.from(enc.forward(x).dataSync()));
    expect(single).toEqual(multi);
  });
});

describe('delta encoder', () => {
  it('ON where the signal rose by the threshold since the last step, OFF where it fell', () => {
    const rt = runtime();
    const enc = buildModel(rt, { type: 'delta-encoder', threshold: 0.2 });
    const x = rt.tensor([0.5, 0.5, 0.8, 0.75, 0.25], { shape: [5, 1, 1] });
    const s = enc.forward(x);
    expect(s.shape).toEqual([5, 1, 2, 1]);
    const rows = s.toArraySync() as number[][][][];
    expect(rows.map((r) => r[0]![0]![0])).toEqual([0, 0, 1, 0, 0]);
    expect(rows.map((r) => r[0]![1]![0])).toEqual([0, 0, 0, 0, 1]);
    const fromZero = buildModel(rt, {
      type: 'delta-encoder',
      threshold: 0.2,
      initial: 'zero',
      off: false,
    }).forward(x);
    expect(fromZero.shape).toEqual([5, 1, 1]);
    expect(Array.from(fromZero.dataSync())).toEqual([1, 0, 1, 0, 0]);
  });

  it('single-step mode keeps the previous frame', () => {
    const rt = runtime();
    const enc = buildModel(rt, { type: 'delta-encoder', threshold: 0.2 });
    const x = rt.tensor([0.5, 0.5, 0.8, 0.75, 0.25], { shape: [5, 1, 1] });
    const multi = Array.from(enc.forward(x).dataSync());
    setStepMode(enc, 'single');
    const single = [0, 1, 2, 3, 4].flatMap((t) =>
      Array.from(enc.forward(x.slice([t], [t + 1]).reshape([1, 1])).dataSync()),
    );
    expect(single).toEqual(multi);
  });
});

import { type BenchmarkWorkload, createRuntime } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import bench, { formatWorkload, runBenchmarks } from '../src/index.js';

const OURS = ['sgemm', 'shd-mlp', 'on-lif', 'events-inference'];

function checkTiming(t: { medianMs: number; minMs: number; maxMs: number; runs: number }) {
  expect(t.minMs).toBeGreaterThanOrEqual(0);
  expect(t.minMs).toBeLessThanOrEqual(t.medianMs);
  expect(t.medianMs).toBeLessThanOrEqual(t.maxMs);
  expect(t.runs).toBeGreaterThanOrEqual(3);
}

describe('the benchmark suite', () => {
  it('registers its workloads as benchmark entries', () => {
    const rt = createRuntime().use(bench());
    expect(rt.registry('benchmark').names()).toEqual(expect.arrayContaining(OURS));
  });

  // Plumbing only: small sizes, few repeats, and no timing is asserted.
  it('runs every workload in quick mode and reports the JSON shape of `neurite bench --json`', async () => {
    const rt = createRuntime().use(bench());
    const lines: string[] = [];
    const report = await runBenchmarks(rt, { names: OURS, quick: true, log: (l) => lines.push(l) });
    const json = JSON.parse(JSON.stringify(report)) as { workloads: BenchmarkWorkload[]; quick: boolean };
    expect(json.quick).toBe(true);
    expect(new Set(json.workloads.map((w) => w.name))).toEqual(new Set(OURS));
    for (const w of json.workloads) {
      expect(typeof w.params).toBe('object');
      checkTiming(w.neurite);
      if (w.peer === null) {
        expect(w.ratio).toBeNull();
        expect(w.note).toMatch(/peer skipped|not installed/);
      } else {
        expect(typeof w.peer.name).toBe('string');
        checkTiming(w.peer);
        expect(w.ratio).toBeCloseTo(w.neurite.medianMs / w.peer.medianMs, 6);
      }
      expect(formatWorkload(w)).toContain(w.name);
    }
    // Every backend of every workload is present.
    const backends = json.workloads
      .filter((w) => w.name === 'sgemm')
      .map((w) => `${w.params.backend}×${w.params.threads}`);
    expect(new Set(backends)).toEqual(new Set(['cpu×1', 'wasm×1', 'wasm×2']));
    const events = json.workloads.find((w) => w.name === 'events-inference' && w.params.backend === 'wasm')!;
    expect(events.params.events).toBe(4325);
    expect(events.neurite.eventsPerSecond).toBeGreaterThan(0);
    expect(lines.some((l) => l.startsWith('▶ shd-mlp'))).toBe(true);
  });

  it('refuses an unknown benchmark name before running anything', async () => {
    const rt = createRuntime().use(bench());
    await expect(runBenchmarks(rt, { names: ['sgemm', 'nope'] })).rejects.toThrow(/nope/);
  });
});

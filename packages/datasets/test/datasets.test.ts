import { copyFileSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, DataLoader, Rng } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import datasets, {
  loadMnist,
  mnistOptions,
  nmnistOptions,
  type SpikeTrainSet,
  shiftImage,
} from '../src/index.js';
import { writeShdFile } from '../src/node.js';
import { dataPath } from './helpers.js';

describe('mnist', () => {
  const defaults = mnistOptions({}) as typeof mnistOptions.infer;
  it('splits like mnist.set(8000, 2000): 8,000 train and 1,756 test digits', async () => {
    const splits = await loadMnist(defaults);
    expect([splits.train.size, splits.test.size]).toEqual([8000, 1756]);
    const perDigit = new Array(10).fill(0);
    for (let i = 0; i < splits.test.size; i++) perDigit[splits.test.get(i).label]++;
    // The package's digits hold 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978 samples: the test
    // split takes samples 800–999 of each, cut at the digit's last.
    expect(perDigit).toEqual([200, 200, 191, 200, 180, 63, 200, 200, 144, 178]);
    const x = splits.train.get(0).input;
    expect(x.length).toBe(784);
    expect(Math.max(...x)).toBeLessThanOrEqual(1);
    expect(splits.info).toMatchObject({ inputShape: [784], spikes: false, classes: 10, timeMajor: false });
    expect(splits.augment).toBeUndefined();
  });
  it('orders each split by a seeded permutation', async () => {
    const a = await loadMnist({ ...defaults, train: 200, test: 100 });
    const b = await loadMnist({ ...defaults, train: 200, test: 100 });
    const c = await loadMnist({ ...defaults, train: 200, test: 100, seed: 1 });
    const labels = (s: typeof a) => Array.from({ length: s.train.size }, (_, i) => s.train.get(i).label);
    expect(labels(a)).toEqual(labels(b));
    expect(labels(a)).not.toEqual(labels(c));
    expect(labels(a).sort()).toEqual(labels(c).sort());
    expect(a.train.get(5).input).toEqual(b.train.get(5).input);
  });
  it('augments by seeded random shifts of up to ±k pixels', async () => {
    const splits = await loadMnist({ ...defaults, train: 100, test: 10, augment: 2 });
    const example = splits.train.get(0);
    const shifted = splits.augment!(example, new Rng(4));
    expect(shifted).toEqual(splits.augment!(example, new Rng(4)));
    expect(shifted.label).toBe(example.label);
    const one = shiftImage(
      { input: Float32Array.from({ length: 784 }, (_, i) => (i === 28 * 10 + 10 ? 1 : 0)), label: 0 },
      2,
      -1,
    );
    expect(one.input.indexOf(1)).toBe(28 * 9 + 12);
  });
  it('refuses more than the 10,000 digits', async () => {
    await expect(loadMnist({ ...defaults, train: 9000, test: 2000 })).rejects.toThrow(/at most 10000/);
  });
});

describe('shd and ssc', () => {
  it('read SHD-layout files and bin them to [T, channels], merging channels on request', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-shd-ds-'));
    const set = (label: number): SpikeTrainSet => ({
      times: [Float32Array.of(0.0005, 0.0123, 0.0125, 0.9995), Float32Array.of(1.5)],
      units: [Uint16Array.of(0, 4, 5, 699), Uint16Array.of(3)],
      labels: Uint16Array.of(label, 19),
    });
    await writeShdFile(join(dir, 'train.h5'), set(1));
    await writeShdFile(join(dir, 'test.h5'), set(2));
    const rt = createRuntime().use(datasets());
    const def = rt.registry('dataset').require('shd');
    const options = def.options({ trainFile: 'train.h5', testFile: 'test.h5', channelFactor: 5 });
    const splits = await def.load(options, { runtime: rt, baseDir: dir });
    expect(splits.info.inputShape).toEqual([100, 140]);
    const x = splits.train.get(0);
    expect(x.label).toBe(1);
    const on = [...x.input.keys()].filter((i) => x.input[i]);
    // 0.5 ms → bin 0, channel 0; 12.3 and 12.5 ms → bin 1, channels 4 → 0 and 5 → 1; 999.5 ms → bin 99, 699 → 139.
    expect(on).toEqual([0, 140 + 0, 140 + 1, 99 * 140 + 139]);
    expect(splits.train.get(1).input.every((v) => v === 0)).toBe(true); // 1.5 s is past T·dt
    expect(rt.registry('dataset').require('ssc').options({ trainFile: 'a', testFile: 'b' })).toMatchObject({
      dt: 10,
      T: 100,
      channels: 700,
    });
  });
});

describe('nmnist', () => {
  it('reads Train/Test digit folders of .bin files as [T, 2, 34, 34] spike frames', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-nmnist-'));
    for (const [split, digit] of [
      ['Train', '3'],
      ['Train', '7'],
      ['Test', '5'],
    ] as const) {
      mkdirSync(join(dir, split, digit), { recursive: true });
      copyFileSync(dataPath('events/tonic_sample_nmnist.bin'), join(dir, split, digit, '00001.bin'));
    }
    const rt = createRuntime().use(datasets());
    const def = rt.registry('dataset').require('nmnist');
    const splits = await def.load(nmnistOptions({ dir }), { runtime: rt });
    expect([splits.train.size, splits.test.size]).toEqual([2, 1]);
    expect(splits.info.inputShape).toEqual([31, 2, 34, 34]);
    const x = splits.train.get(1);
    expect(x.label).toBe(7);
    // 31 frames of 10 ms hold the events of the first 310 ms (the sample runs to 311.2 ms).
    const active = x.input.reduce((a, b) => a + b, 0);
    expect(active).toBeGreaterThan(1000);
    const batch = [...new DataLoader(rt, splits.train, splits.info, { batchSize: 2 })][0]!;
    expect(batch.input.shape).toEqual([31, 2, 2, 34, 34]);
  });
});

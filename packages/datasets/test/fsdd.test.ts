import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRuntime, DataLoader, type DatasetProgress, Rng, ValidationError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import datasets, { fsddSpikesOptions } from '../src/index.js';
import { buildFsddSpikes, readShdFile, resolveDataDir } from '../src/node.js';
import { DATA, dataPath, sameSpikeTrainSet } from './helpers.js';

const FSDD = dataPath('audio/fsdd');

describe('spiking FSDD', () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'neurite-fsdd-'));
  const progress: DatasetProgress[] = [];
  // One take of every speaker and digit: 40 recordings.
  const first = buildFsddSpikes({
    dir: FSDD,
    takes: 1,
    cacheDir,
    workers: 2,
    onProgress: (p) => progress.push(p),
  });

  it('turns 40 recordings (4 speakers × 10 digits) into 700-channel spike trains with labels and speakers', async () => {
    const built = await first;
    expect(built.cached).toBe(false);
    expect(built.set.times.length).toBe(40);
    expect(built.speakers).toEqual(['george', 'jackson', 'lucas', 'nicolas']);
    expect(Array.from(built.set.labels)).toEqual(Array.from({ length: 40 }, (_, i) => i % 10));
    expect(Array.from(built.set.speakers!)).toEqual(Array.from({ length: 40 }, (_, i) => Math.floor(i / 10)));
    expect(built.files[13]).toBe('3_jackson_0.wav');
    for (let i = 0; i < 40; i++) {
      expect(built.set.times[i]!.length).toBeGreaterThan(100);
      expect(Math.max(...built.set.units[i]!)).toBeLessThan(700);
    }
    expect(progress.filter((p) => p.stage === 'cochlea').at(-1)).toEqual({
      stage: 'cochlea',
      done: 40,
      total: 40,
    });
  });

  it('caches the set as SHD-layout HDF5 that reads back bit for bit, and re-uses it', async () => {
    const built = await first;
    expect(built.cacheFile).toMatch(/fsdd-spikes-700ch-[0-9a-f]{20}\.h5$/);
    const onDisk = await readShdFile(built.cacheFile!);
    expect(sameSpikeTrainSet(onDisk, built.set)).toBe(true);
    expect(onDisk.keys).toEqual([
      'zero',
      'one',
      'two',
      'three',
      'four',
      'five',
      'six',
      'seven',
      'eight',
      'nine',
    ]);
    const again = await buildFsddSpikes({ dir: FSDD, takes: 1, cacheDir, workers: 2 });
    expect(again.cached).toBe(true);
    expect(again.cacheFile).toBe(built.cacheFile);
    expect(sameSpikeTrainSet(again.set, built.set)).toBe(true);
  });

  it('keys the cache by the parameters: other channels or gain build a new file', async () => {
    const fewer = await buildFsddSpikes({
      dir: FSDD,
      takes: 1,
      cacheDir,
      workers: 0,
      cochlea: { channels: 140 },
    });
    expect(fewer.cached).toBe(false);
    expect(Math.max(...fewer.set.units.map((u) => Math.max(...u)))).toBeLessThan(140);
    const louder = await buildFsddSpikes({
      dir: FSDD,
      takes: 1,
      cacheDir,
      workers: 0,
      cochlea: { channels: 140, gain: 5 },
    });
    expect(louder.cached).toBe(false);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.h5')).length).toBe(3);
    expect(readdirSync(cacheDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('is a registered dataset with a speaker split, binned to [T, channels] spikes for the loader', async () => {
    const rt = createRuntime().use(datasets());
    const def = rt.registry('dataset').require('fsdd-spikes');
    const options = fsddSpikesOptions({ takes: 1, dt: 20, testSpeakers: ['lucas'] });
    if (options instanceof Error || 'summary' in options) throw new Error(String(options));
    const splits = await def.load(options, { runtime: rt, cacheDir, baseDir: resolve(DATA, '../../main') });
    expect(splits.info).toMatchObject({ spikes: true, timeMajor: true, classes: 10 });
    const T = splits.info.inputShape[0]!;
    expect(splits.info.inputShape).toEqual([T, 700]);
    expect(T).toBe(Math.ceil(((await first).longestSeconds * 1000) / 20));
    expect([splits.train.size, splits.test.size]).toEqual([30, 10]);
    const example = splits.test.get(3);
    expect(example.label).toBe(3);
    expect(example.input).toBeInstanceOf(Uint8Array);
    expect(example.input.length).toBe(T * 700);
    const loader = new DataLoader(rt, splits.train, splits.info, {
      batchSize: 8,
      shuffle: true,
      rng: new Rng(1),
    });
    const batch = [...loader][0]!;
    expect(batch.input.shape).toEqual([T, 8, 700]);
    expect(batch.input.dtype).toBe('spike');
    expect(batch.target.dtype).toBe('int32');
  });

  it('finds ../shared/data/audio/fsdd from the repository root or a package folder, and names unknown speakers', async () => {
    const root = resolve(DATA, '../../main');
    expect(resolveDataDir(undefined, 'audio/fsdd', root)).toBe(resolve(FSDD));
    expect(resolveDataDir(undefined, 'audio/fsdd', join(root, 'packages', 'datasets'))).toBe(resolve(FSDD));
    expect(resolveDataDir('recordings', 'audio/fsdd', '/data')).toBe('/data/recordings');
    const rt = createRuntime().use(datasets());
    const options = fsddSpikesOptions({ takes: 1, testSpeakers: ['theo'] }) as typeof fsddSpikesOptions.infer;
    await expect(
      rt.registry('dataset').require('fsdd-spikes').load(options, { runtime: rt, cacheDir, baseDir: root }),
    ).rejects.toThrow(ValidationError);
  });
});

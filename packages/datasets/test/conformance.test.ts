import { copyFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assertConformance } from '@neurite/kernel/testing';
import { describe, expect, it } from 'vitest';
import datasets from '../src/index.js';
import { writeShdFile } from '../src/node.js';
import { dataPath } from './helpers.js';

describe('conformance', () => {
  it('passes the kernel conformance kit, every dataset loaded small', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-datasets-conformance-'));
    const set = {
      times: [Float32Array.of(0.001, 0.02), Float32Array.of(0.5)],
      units: [Uint16Array.of(3, 600), Uint16Array.of(10)],
      labels: Uint16Array.of(4, 7),
    };
    await writeShdFile(join(dir, 'train.h5'), set);
    await writeShdFile(join(dir, 'test.h5'), set);
    for (const split of ['Train', 'Test']) {
      mkdirSync(join(dir, 'nmnist', split, '2'), { recursive: true });
      copyFileSync(dataPath('events/tonic_sample_nmnist.bin'), join(dir, 'nmnist', split, '2', 'a.bin'));
    }
    const files = { trainFile: join(dir, 'train.h5'), testFile: join(dir, 'test.h5') };
    const report = await assertConformance(datasets, {
      packageJson: JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')),
      datasets: {
        'fsdd-spikes': { takes: 1, channels: 64, cochlea: { gain: 4 } },
        shd: files,
        ssc: { ...files, channelFactor: 5 },
        nmnist: { dir: join(dir, 'nmnist') },
      },
      datasetContext: { cacheDir: join(dir, 'cache'), baseDir: dir },
      examplesPerSplit: 8,
    });
    expect(report.plugin).toBe('@neurite/datasets');
  });
});

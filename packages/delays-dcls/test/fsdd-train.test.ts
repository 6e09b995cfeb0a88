import { tmpdir } from 'node:os';
import { join } from 'node:path';
import datasets from '@neurite/datasets';
import { applyOverrides, createRuntime, resolveTrainConfig, TrainingSession } from '@neurite/kernel';
import neuronLif from '@neurite/neuron-lif';
import { describe, expect, it } from 'vitest';
import dcls, { fsddDelaysConfig } from '../src/index.js';
import { sharedData } from './helpers.js';

/**
 * End to end on real recordings: the fsdd-delays preset, shrunk (4 takes per speaker and digit: 120
 * training recordings of 3 speakers, 40 of the held-out one; 16 channels, 2 × 32 neurons), trained for 15
 * short epochs through the kernel's TrainingSession as `neurite train` runs it (about 10 s).
 */
describe('fsdd-delays end to end', () => {
  it('trains learned delays on spiking FSDD and beats chance on a held-out speaker', async () => {
    const rt = createRuntime({ seed: 0 }).use(neuronLif()).use(dcls()).use(datasets());
    const raw = applyOverrides(fsddDelaysConfig, [
      `dataset.dir=${join(sharedData, 'audio/fsdd')}`,
      'dataset.takes=4',
      'dataset.channels=16',
      'dataset.workers=0',
      'dataset.testSpeakers=["jackson"]',
      'model.inFeatures=16',
      'model.hidden=32',
      'model.maxDelay=9',
      'train.epochs=15',
      'train.batchSize=8',
    ]);
    const config = resolveTrainConfig(rt, raw);
    const session = await TrainingSession.create(rt, config, {
      cacheDir: join(tmpdir(), 'neurite-delays-dcls-test'),
    });
    expect(session.data.train.size).toBe(120);
    expect(session.data.test.size).toBe(40);
    const sigs: number[] = [];
    for (let e = 0; e < config.train.epochs; e++) {
      await session.trainer.trainEpoch(config.train.epochs);
      sigs.push(session.model.stateDict().get('dcls1.sig')!.itemSync());
    }
    const [first, last] = [session.trainer.history[0]!, session.trainer.history.at(-1)!];
    // SIG decays from ⌊9/2⌋ = 4 to 0.23 over the first quarter of the epochs, then stays.
    const decay = Math.floor(config.train.epochs / 4);
    expect(sigs[0]).toBeCloseTo(4 * (0.23 / 4) ** (1 / decay), 5);
    expect(sigs.slice(decay - 1).every((s) => Math.abs(s - 0.23) < 1e-6)).toBe(true);
    expect(last.train.loss).toBeLessThan(first.train.loss);
    expect(last.train.accuracy).toBeGreaterThan(0.5);
    expect(last.test.accuracy).toBeGreaterThan(0.2);
  }, 120_000);
});

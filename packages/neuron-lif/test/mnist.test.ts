import datasets, { loadMnist } from '@neurite/datasets';
import { createRuntime, resolveTrainConfig, TrainingSession } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import lifPlugin, { mnistSnnBaselineConfig, mnistSnnConfig } from '../src/index.js';

describe('MNIST SNN (reduced; the full runs are examples/mnist-snn.ts)', () => {
  it('the split of mnist.set(8000, 2000) is reproducible: 8,000 and 1,756 digits', async () => {
    const { train, test } = await loadMnist({ train: 8000, test: 2000, seed: 0, augment: 0 });
    expect(train.size).toBe(8000);
    expect(test.size).toBe(1756);
    expect(train.get(0).input.length).toBe(784);
    expect(new Set(Array.from({ length: train.size }, (_, i) => train.get(i).label)).size).toBe(10);
  });

  it('the presets validate against the registered node types, losses and datasets', () => {
    const rt = createRuntime().use(lifPlugin()).use(datasets());
    for (const preset of rt.registry('preset').values())
      expect(() => resolveTrainConfig(rt, preset.config)).not.toThrow();
    expect(rt.registry('preset').names().sort()).toEqual(['mnist-snn', 'mnist-snn-baseline']);
    expect(mnistSnnConfig.model).toBe(mnistSnnBaselineConfig.model);
  });

  it('one epoch on 2,000 digits reaches 80 % on the 1,756 test digits', async () => {
    const rt = createRuntime({ seed: 0 }).use(lifPlugin()).use(datasets());
    const config = resolveTrainConfig(rt, {
      ...mnistSnnBaselineConfig,
      dataset: { type: 'mnist', train: 8000, test: 2000, limit: 2000 },
      optimizer: { type: 'adam', lr: 2e-3 },
      train: { epochs: 1, batchSize: 64, evalBatchSize: 512 },
    });
    const session = await TrainingSession.create(rt, config);
    const record = await session.trainer.trainEpoch(1);
    expect(record.test.examples).toBe(1756);
    expect(record.test.accuracy, `test accuracy ${record.test.accuracy}`).toBeGreaterThan(0.8);
  }, 240_000);
});

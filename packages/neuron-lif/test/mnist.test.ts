import { createRuntime, resolveTrainConfig, TrainingSession } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { exampleMnistPlugin, loadMnist } from '../examples/mnist-data.js';
import lifPlugin, { mnistSnnBaselineConfig, mnistSnnConfig } from '../src/index.js';

describe('MNIST SNN (reduced; the full runs are examples/mnist-snn.ts)', () => {
  it('the split of mnist.set(8000, 2000) is reproducible: 8,000 and 1,756 digits', () => {
    const { train, test } = loadMnist(8000, 2000);
    expect(train.length).toBe(8000);
    expect(test.length).toBe(1756);
    expect(train[0]!.input.length).toBe(784);
    expect(new Set(train.map((e) => e.label)).size).toBe(10);
  });

  it('the presets validate against the registered node types, losses and datasets', () => {
    const rt = createRuntime().use(lifPlugin()).use(exampleMnistPlugin());
    for (const preset of rt.registry('preset').values())
      expect(() => resolveTrainConfig(rt, preset.config)).not.toThrow();
    expect(rt.registry('preset').names().sort()).toEqual(['mnist-snn', 'mnist-snn-baseline']);
    expect(mnistSnnConfig.model).toBe(mnistSnnBaselineConfig.model);
  });

  it('one epoch on 2,000 digits reaches 80 % on the 1,756 test digits', async () => {
    const rt = createRuntime({ seed: 0 }).use(lifPlugin()).use(exampleMnistPlugin());
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

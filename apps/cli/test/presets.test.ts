import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJson, neurite, repoRoot, tempDir } from './cli.ts';

/**
 * A plugin's preset through the installed CLI, as its README tells users to run it: the DCLS delay
 * experiment, shrunk (2 takes per speaker and digit, 8 channels, 2 × 16 neurons, 2 epochs) so that it
 * runs in seconds. The dataset folder is not given: the preset finds ../shared/data/audio/fsdd upwards.
 */
describe('neurite train <plugin preset>', () => {
  const shrink = [
    'dataset.takes=2',
    'dataset.channels=8',
    'dataset.workers=0',
    'dataset.testSpeakers=["lucas"]',
    'model.inFeatures=8',
    'model.hidden=16',
    'model.maxDelay=5',
    'train.epochs=2',
    'train.batchSize=8',
  ].flatMap((s) => ['--set', s]);

  it.each(['learned', 'random', 'none'])(
    'fsdd-delays with model.delays=%s reports metrics.accuracy on the held-out speaker',
    async (delays) => {
      const out = tempDir();
      const run = await neurite(
        ['train', 'fsdd-delays', '--set', `model.delays=${delays}`, ...shrink, '--out', out, '--json'],
        { cwd: repoRoot, timeoutMs: 170_000 },
      );
      expect(run.code, run.stderr).toBe(0);
      const result = lastJson<{ metrics: { accuracy: number; loss: number }; epochs: number }>(run);
      expect(result.epochs).toBe(2);
      // 20 held-out recordings: accuracy is a multiple of 1/20.
      expect(result.metrics.accuracy).toBeGreaterThanOrEqual(0);
      expect(result.metrics.accuracy).toBeLessThanOrEqual(1);
      expect(Number.isInteger(Math.round(result.metrics.accuracy * 20 * 1e6) / 1e6)).toBe(true);
      expect(Number.isFinite(result.metrics.loss)).toBe(true);
      expect(existsSync(join(out, 'checkpoint-0002'))).toBe(true);
    },
    180_000,
  );

  it('rejects a delay mode it does not know, naming the option and the modes', async () => {
    const run = await neurite(
      ['train', 'fsdd-delays', '--set', 'model.delays=sometimes', '--out', tempDir()],
      {
        cwd: repoRoot,
      },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/model\.delays/);
    expect(run.stderr).toMatch(/learned/);
  });
});

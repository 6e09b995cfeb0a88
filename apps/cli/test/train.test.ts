import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, lastJson, neurite, neuriteKilledAt, tempDir } from './cli.ts';

const toy = join(fixtures, 'toy.json');

describe('neurite train / eval / report', () => {
  it('trains from a config file, checkpoints, and prints the final metrics as JSON', async () => {
    const out = tempDir();
    const run = await neurite(['train', toy, '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const result = lastJson<{
      metrics: { accuracy: number; loss: number };
      epochs: number;
      out: string;
      report: string;
    }>(run);
    expect(result.epochs).toBe(3);
    expect(result.out).toBe(out);
    expect(result.metrics.accuracy).toBeGreaterThan(0.9);
    const latest = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'));
    expect(latest).toEqual({ epoch: 3, checkpoint: 'checkpoint-0003' });
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.history).toHaveLength(3);

    const evaluated = await neurite(['eval', out, '--json']);
    expect(evaluated.code, evaluated.stderr).toBe(0);
    expect(lastJson<{ metrics: { accuracy: number } }>(evaluated).metrics.accuracy).toBe(
      result.metrics.accuracy,
    );

    const report = await neurite(['report', out]);
    expect(report.code, report.stderr).toBe(0);
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('<svg');
  });

  it('resumes after a crash and ends with the same weights, bit for bit, as an uninterrupted run', async () => {
    const big = tempDir();
    const config = JSON.parse(readFileSync(toy, 'utf8'));
    config.dataset = { type: 'toy-blobs', train: 30000, test: 300 };
    config.train = { epochs: 3, batchSize: 64 };
    const configPath = join(big, 'config.json');
    writeFileSync(configPath, JSON.stringify(config));

    const straight = join(big, 'straight');
    const a = await neurite(['train', configPath, '--out', straight], { cwd: fixtures });
    expect(a.code, a.stderr).toBe(0);

    const interrupted = join(big, 'interrupted');
    const killed = await neuriteKilledAt(
      ['train', configPath, '--out', interrupted],
      'checkpoint of epoch 1 saved',
    );
    expect(killed.killed).toBe(true);
    const latest = JSON.parse(readFileSync(join(interrupted, 'latest.json'), 'utf8'));
    expect(latest.epoch).toBeLessThan(3);
    const resumed = await neurite(['train', configPath, '--out', interrupted, '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/resumed after epoch [12]/);

    const weights = (dir: string) => readFileSync(join(dir, 'checkpoint-0003', 'model.safetensors'));
    expect(Buffer.compare(weights(straight), weights(interrupted))).toBe(0);
  });

  it('refuses to resume with a different config, naming what changed', async () => {
    const out = tempDir();
    expect((await neurite(['train', toy, '--out', out, '--epochs', '1'])).code).toBe(0);
    const run = await neurite([
      'train',
      toy,
      '--out',
      out,
      '--epochs',
      '1',
      '--resume',
      '--set',
      'optimizer.lr=0.5',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/optimizer\.lr: differs from the config/);
  });

  it('reports bad configs with exit code 2 and the JSON path', async () => {
    const cases: [string[], RegExp][] = [
      [['--set', 'train.epochs=three'], /train\.epochs: must be a number \(was a string\)/],
      [['--set', 'model.layers.1.type=lifx'], /model\.layers\.1\.type: unknown node type 'lifx'/],
      [
        ['--set', 'model.layers.0.outFeatures=-4'],
        /model\.layers\.0\.outFeatures: must be positive \(was -4\)/,
      ],
      [['--set', 'dataset.type=nope'], /dataset\.type: unknown dataset 'nope'/],
    ];
    for (const [args, message] of cases) {
      const run = await neurite(['train', toy, '--out', tempDir(), ...args]);
      expect(run.code, run.stderr).toBe(2);
      expect(run.stderr).toMatch(message);
      expect(run.stderr.trim().split('\n')[0]).toMatch(/^neurite: /);
    }
    const missing = JSON.parse(readFileSync(toy, 'utf8'));
    delete missing.optimizer;
    const path = join(tempDir(), 'missing.json');
    writeFileSync(path, JSON.stringify(missing));
    const run = await neurite(['train', path]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/config: optimizer: must be an object \(was missing\)/);
  });

  it('answers unknown commands, options and presets with exit code 2 and a hint', async () => {
    const unknown = await neurite(['trian']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/unknown command 'trian'/);
    expect(unknown.stderr).toMatch(/hint: run 'neurite --help'/);
    const option = await neurite(['train', toy, '--epochz', '2']);
    expect(option.code).toBe(2);
    expect(option.stderr).toMatch(/Unknown option '--epochz'/);
    const preset = await neurite(['train', 'no-such-preset']);
    expect(preset.code).toBe(2);
    expect(preset.stderr).toMatch(/unknown preset 'no-such-preset'/);
  });
});

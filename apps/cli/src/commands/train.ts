import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type CommandDef,
  resolveTrainConfig,
  type SessionState,
  TrainingSession,
  ValidationError,
} from '@neurite/kernel';
import { loadConfig } from '../config-source.js';
import { Progress } from '../progress.js';
import { hasCheckpoint, loadCheckpoint, readJson, saveCheckpoint, writeJson } from '../run-dir.js';
import { cacheDir } from '../session-files.js';
import { writeReport } from './report.js';

/** Paths where two JSON values differ (for "this run was made with another config"). */
function differences(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return Object.is(a, b) ? [] : [path || '(root)'];
  }
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) =>
    differences(
      (a as Record<string, unknown>)[k],
      (b as Record<string, unknown>)[k],
      path ? `${path}.${k}` : k,
    ),
  );
}

export const trainCommand: CommandDef = {
  name: 'train',
  summary: 'train a model from a config file or a preset, checkpointing every epoch',
  args: [
    {
      name: 'config',
      description: 'a config JSON file, or the name of a preset (see neurite plugins)',
      required: true,
    },
  ],
  options: [
    { name: 'epochs', type: 'number', description: 'override train.epochs' },
    { name: 'seed', type: 'number', description: 'override the seed' },
    {
      name: 'set',
      type: 'string',
      repeatable: true,
      description: 'override any config field: path=value (lists comma-separated)',
    },
    {
      name: 'out',
      type: 'string',
      description: 'run folder for checkpoints, metrics and the report (default runs/<name>)',
    },
    { name: 'resume', type: 'boolean', description: 'continue from the last checkpoint in --out' },
    {
      name: 'json',
      type: 'boolean',
      description: 'print one JSON object with the final metrics on the last line',
    },
  ],
  examples: [
    'neurite train mnist-mlp',
    'neurite train mnist-snn --epochs 2 --out runs/snn',
    'neurite train fsdd-delays --set model.delays=learned --set dataset.testSpeakers=george --json',
    'neurite train config.json --out runs/a --resume',
  ],
  async run({ runtime: rt, args, options, stdout, stderr, cwd }) {
    const loaded = loadConfig(rt, args[0]!, cwd, {
      set: (options.set as string[] | undefined) ?? [],
      ...(options.epochs !== undefined ? { epochs: options.epochs as number } : {}),
      ...(options.seed !== undefined ? { seed: options.seed as number } : {}),
    });
    const config = resolveTrainConfig(rt, loaded.raw);
    const out = resolve(cwd, (options.out as string | undefined) ?? join('runs', loaded.name));
    const resume = Boolean(options.resume);
    if (resume && existsSync(join(out, 'config.json'))) {
      const saved = readJson<{ config: unknown }>(join(out, 'config.json')).config;
      const changed = differences(saved, config);
      if (changed.length) {
        throw new ValidationError(
          '--resume',
          changed.map((path) => ({
            path,
            message: `differs from the config the run in ${out} was started with`,
          })),
        );
      }
    }
    // Progress and logs go to stderr when stdout carries the JSON result.
    const log = options.json ? stderr : stdout;
    const progress = new Progress(log);
    log.write(`neurite: training ${loaded.name} into ${out}\n`);
    const session = await TrainingSession.create(rt, config, {
      baseDir: loaded.baseDir,
      cacheDir: cacheDir(cwd),
      onProgress: (p) => log.write(`${p.stage}: ${p.done}/${p.total}\n`),
    });
    if (resume && hasCheckpoint(out)) {
      const checkpoint = await loadCheckpoint(out, rt);
      session.restore(checkpoint, checkpoint.state as unknown as SessionState);
      log.write(`neurite: resumed after epoch ${checkpoint.epoch}\n`);
    } else {
      mkdirSync(out, { recursive: true });
      await writeJson(join(out, 'config.json'), { config, baseDir: loaded.baseDir });
    }
    const epochs = config.train.epochs;
    while (session.trainer.epoch < epochs) {
      progress.epochStart();
      const record = await session.trainer.trainEpoch(epochs, (p) => progress.batch(p));
      progress.epochEnd(record, epochs);
      const tensors = session.tensors();
      await saveCheckpoint(out, {
        epoch: record.epoch,
        ...tensors,
        state: session.state() as unknown as Record<string, unknown>,
      });
      await writeJson(join(out, 'metrics.json'), { history: session.trainer.history, test: record.test });
      log.write(`neurite: checkpoint of epoch ${record.epoch} saved\n`);
    }
    const final = session.trainer.history.at(-1)!;
    const report = await writeReport(rt, session, out, loaded.name);
    const metrics = { accuracy: final.test.accuracy, loss: final.test.loss, examples: final.test.examples };
    if (options.json) stdout.write(`${JSON.stringify({ metrics, epochs: final.epoch, out, report })}\n`);
    else {
      stdout.write(
        `test accuracy ${(100 * metrics.accuracy).toFixed(2)} %, loss ${metrics.loss.toFixed(4)} (${metrics.examples} examples)\n`,
      );
      stdout.write(`run folder ${out}\nreport ${report}\n`);
    }
    return 0;
  },
};

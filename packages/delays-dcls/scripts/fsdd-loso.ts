/**
 * The FSDD delay experiment: leave-one-speaker-out over the 4 speakers of the spiking Free Spoken Digits,
 * the same network, parameter budget and epochs for each delay mode (learned, fixed random, none). Every
 * run is the `fsdd-delays` preset with `model.delays` and `dataset.testSpeakers` set, exactly what
 * `neurite train fsdd-delays --set model.delays=… --set dataset.testSpeakers=…` runs.
 *
 *   pnpm -F @neurite/delays-dcls experiment:fsdd [--epochs 30] [--modes learned,random,none]
 *     [--speakers george,jackson,lucas,nicolas] [--seeds 0,1,2] [--set path=value …]
 *     [--out results/fsdd-loso.json]
 *
 * Results go to the JSON file after every run; a rerun skips the runs already there (same settings).
 * The summary gives, per mode, the mean and standard deviation over the held-out speakers of each
 * speaker's accuracy (averaged over the seeds), and the spread over every run.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import datasets from '@neurite/datasets';
import { applyOverrides, createRuntime, resolveTrainConfig, TrainingSession } from '@neurite/kernel';
import { writeFileAtomic } from '@neurite/kernel/node';
import neuronLif from '@neurite/neuron-lif';
import dcls, { Dcls1d, fsddDelaysConfig } from '../src/index.js';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string' },
    modes: { type: 'string', default: 'learned,random,none' },
    speakers: { type: 'string', default: 'george,jackson,lucas,nicolas' },
    seeds: { type: 'string', default: '0' },
    set: { type: 'string', multiple: true, default: [] },
    out: { type: 'string', default: 'results/fsdd-loso.json' },
  },
});
const root = resolve(import.meta.dirname, '../../..');
const outFile = resolve(import.meta.dirname, '..', values.out);
const modes = values.modes.split(',');
const speakers = values.speakers.split(',');
const seeds = values.seeds.split(',').map(Number);
const common = [...(values.epochs ? [`train.epochs=${values.epochs}`] : []), ...values.set];

interface Run {
  speaker: string;
  mode: string;
  settings: string[];
  accuracy: number;
  /** Learned delays evaluated with the training kernel (σ = 0.5 Gaussian) instead of rounded delays. */
  accuracyAsTrained?: number;
  loss: number;
  trainable: { weights: number; positions: number; other: number };
  epochs: {
    epoch: number;
    trainLoss: number;
    trainAccuracy: number;
    testAccuracy: number;
    seconds: number;
  }[];
}

const results: { machine: string; runs: Run[] } = existsSync(outFile)
  ? JSON.parse(readFileSync(outFile, 'utf8'))
  : { machine: '', runs: [] };
results.machine = `${(await import('node:os')).cpus().length} cores (${(await import('node:os')).cpus()[0]?.model}), Node ${process.version}`;

async function save(): Promise<void> {
  mkdirSync(dirname(outFile), { recursive: true });
  await writeFileAtomic(outFile, `${JSON.stringify(results, null, 2)}\n`);
}

// Seed 0 is the preset's own, so its runs carry no seed setting.
const seedSettings = (seed: number) => (seed === 0 ? [] : [`seed=${seed}`]);
for (const seed of seeds) {
  for (const speaker of speakers) {
    for (const mode of modes) {
      const settings = [
        ...common,
        ...seedSettings(seed),
        `model.delays=${mode}`,
        `dataset.testSpeakers=["${speaker}"]`,
      ];
      if (
        results.runs.some(
          (r) => r.speaker === speaker && r.mode === mode && r.settings.join() === settings.join(),
        )
      )
        continue;
      const rt = createRuntime({ seed: 0 }).use(neuronLif()).use(dcls()).use(datasets());
      // Workers: 0 — the cochlea pool's worker source does not survive tsx's transform; the cache is built once.
      const config = resolveTrainConfig(
        rt,
        applyOverrides(fsddDelaysConfig, ['dataset.workers=0', ...settings]),
      );
      const session = await TrainingSession.create(rt, config, {
        cacheDir: resolve(root, '.neurite-cache'),
        baseDir: root,
        onProgress: (p) => {
          if (p.done === p.total) console.error(`  ${p.stage}: ${p.total}`);
        },
      });
      const layers = session.model.modules().flatMap(([, m]) => (m instanceof Dcls1d ? [m] : []));
      const count = (pred: (name: string) => boolean) =>
        session.model
          .namedParameters()
          .filter(([n, p]) => p.requiresGrad && pred(n))
          .reduce((a, [, p]) => a + p.size, 0);
      const trainable = {
        weights: layers.reduce((a, l) => a + l.trainableCount().weights, 0),
        positions: layers.reduce((a, l) => a + l.trainableCount().positions, 0),
        other: count((n) => !/^dcls\d+\./.test(n)),
      };
      console.error(
        `${speaker} / ${mode}: ${session.data.info.description}; trainable ${JSON.stringify(trainable)}`,
      );
      const epochs: Run['epochs'] = [];
      for (let e = 0; e < config.train.epochs; e++) {
        const r = await session.trainer.trainEpoch(config.train.epochs);
        epochs.push({
          epoch: r.epoch,
          trainLoss: r.train.loss,
          trainAccuracy: r.train.accuracy,
          testAccuracy: r.test.accuracy,
          seconds: r.seconds,
        });
        console.error(
          `  epoch ${r.epoch}: train ${r.train.loss.toFixed(3)} / ${(100 * r.train.accuracy).toFixed(1)} %, test ${(100 * r.test.accuracy).toFixed(1)} %, ${r.seconds.toFixed(1)} s`,
        );
      }
      const final = session.trainer.history.at(-1)!;
      const run: Run = {
        speaker,
        mode,
        settings,
        accuracy: final.test.accuracy,
        loss: final.test.loss,
        trainable,
        epochs,
      };
      if (mode === 'learned') {
        for (const l of layers) l.inference = 'as-trained';
        run.accuracyAsTrained = (await session.trainer.evaluate()).accuracy;
        for (const l of layers) l.inference = 'rounded';
      }
      results.runs.push(run);
      await save();
    }
  }
}

// Summary: per mode, each speaker's accuracy averaged over the seeds, then mean ± sample standard
// deviation over the speakers; and the spread over every run.
const stats = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = xs.length > 1 ? Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1)) : 0;
  return { mean, sd, min: Math.min(...xs), max: Math.max(...xs), n: xs.length };
};
const pct = (v: number) => (100 * v).toFixed(1);
const wanted = new Set(seeds.map((seed) => [...common, ...seedSettings(seed)].join()));
console.log(`machine: ${results.machine}`);
const speakerMeans = new Map<string, Map<string, number>>();
for (const mode of modes) {
  const runs = results.runs.filter(
    (r) => r.mode === mode && speakers.includes(r.speaker) && wanted.has(r.settings.slice(0, -2).join()),
  );
  if (!runs.length) continue;
  const bySpeaker = speakers.flatMap((sp) => {
    const mine = runs.filter((r) => r.speaker === sp);
    return mine.length ? [{ speaker: sp, accuracy: stats(mine.map((r) => r.accuracy)).mean }] : [];
  });
  speakerMeans.set(mode, new Map(bySpeaker.map((r) => [r.speaker, r.accuracy])));
  const acc = stats(bySpeaker.map((r) => r.accuracy));
  const all = stats(runs.map((r) => r.accuracy));
  const secs = runs.flatMap((r) => r.epochs.map((e) => e.seconds));
  const first = stats(runs.map((r) => r.epochs[0]!.seconds));
  const rest = stats(
    runs.flatMap((r) => r.epochs.slice(Math.ceil(r.epochs.length / 4)).map((e) => e.seconds)),
  );
  const asTrained = runs.every((r) => r.accuracyAsTrained !== undefined)
    ? `; with the training kernel instead of rounded delays ${pct(stats(runs.map((r) => r.accuracyAsTrained!)).mean)} %`
    : '';
  console.log(
    `${mode.padEnd(8)} ${pct(acc.mean)} ± ${pct(acc.sd)} % over ${acc.n} held-out speakers (${bySpeaker.map((r) => `${r.speaker} ${pct(r.accuracy)}`).join(', ')}); ${all.n} runs ${pct(all.min)}–${pct(all.max)} %${asTrained}; ${stats(secs).mean.toFixed(1)} s/epoch (first epoch ${first.mean.toFixed(1)} s, after the σ decay ${rest.mean.toFixed(1)} s)`,
  );
}
// Paired by held-out speaker: the same split, so the speaker's difficulty cancels.
for (const [a, b] of [
  ['learned', 'random'],
  ['random', 'none'],
  ['learned', 'none'],
] as const) {
  const [ma, mb] = [speakerMeans.get(a), speakerMeans.get(b)];
  if (!ma || !mb) continue;
  const diffs = speakers.flatMap((sp) => (ma.has(sp) && mb.has(sp) ? [ma.get(sp)! - mb.get(sp)!] : []));
  if (!diffs.length) continue;
  const d = stats(diffs);
  console.log(
    `${a} − ${b}: ${d.mean >= 0 ? '+' : ''}${pct(d.mean)} ± ${pct(d.sd)} points over ${d.n} speakers (${diffs.filter((x) => x > 0).length} of ${d.n} positive)`,
  );
}

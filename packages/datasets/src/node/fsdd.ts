import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type DatasetProgress, ValidationError } from '@neurite/kernel';
import { type CochleaOptions, cochleaParams } from '../audio/cochlea.js';
import { FSDD_KEYS, fsddRecordings } from '../data/fsdd.js';
import { mono, readWav } from '../formats/wav.js';
import type { SpikeTrainSet } from '../hdf5/shd.js';
import { encodeAll } from './cochlea-pool.js';
import { readShdFile, writeShdFile } from './h5.js';

/** Bumped whenever the model's arithmetic changes, so old caches are not re-used. */
export const COCHLEA_MODEL_VERSION = 1;

export interface FsddBuildOptions {
  /** Folder of `{digit}_{speaker}_{take}.wav` files. */
  readonly dir: string;
  /** Cochlea options (`channels` 700 by default). */
  readonly cochlea?: CochleaOptions;
  /** Folder for the cached SHD-layout file; no caching when absent. */
  readonly cacheDir?: string;
  /** Worker threads (default: up to 2); 0 runs on the calling thread. */
  readonly workers?: number;
  /** Only takes 0 … takes−1 of every speaker and digit (a quick subset: 1 take gives 40 recordings). */
  readonly takes?: number;
  readonly onProgress?: (progress: DatasetProgress) => void;
}

export interface FsddSpikes {
  readonly set: SpikeTrainSet;
  /** Speaker names, indexed by `set.speakers`. */
  readonly speakers: readonly string[];
  /** Source file of each sample. */
  readonly files: readonly string[];
  /** The cache file, when caching. */
  readonly cacheFile?: string;
  /** Whether the set came from the cache. */
  readonly cached: boolean;
  /** Longest recording, seconds. */
  readonly longestSeconds: number;
}

/**
 * The spiking Free Spoken Digit set: every recording through the cochlear front end, labelled by digit,
 * with the speaker of each sample. The result is cached as an SHD-layout HDF5 file named by a hash of
 * the recordings' contents and names, the cochlea parameters and the model version, written atomically;
 * a later build with the same inputs reads it back instead of recomputing.
 */
export async function buildFsddSpikes(options: FsddBuildOptions): Promise<FsddSpikes> {
  const dir = resolve(options.dir);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ValidationError('fsdd-spikes', [
      { path: 'dir', message: `${dir} is not a folder of FSDD recordings` },
    ]);
  }
  const all = fsddRecordings(await readdir(dir));
  const recordings = options.takes === undefined ? all : all.filter((r) => r.take < options.takes!);
  if (!recordings.length)
    throw new ValidationError('fsdd-spikes', [
      { path: 'dir', message: `${dir} holds no {digit}_{speaker}_{take}.wav files` },
    ]);
  const report = options.onProgress;
  const bytes: Uint8Array[] = [];
  const hash = createHash('sha256');
  for (const [i, r] of recordings.entries()) {
    const b = new Uint8Array(await readFile(join(dir, r.name)));
    bytes.push(b);
    hash.update(r.name).update(String(b.length)).update(b);
    report?.({ stage: 'reading FSDD', done: i + 1, total: recordings.length });
  }
  const audio = bytes.map((b, i) => readWav(b, { file: join(dir, recordings[i]!.name) }));
  const sampleRate = audio[0]!.sampleRate;
  const mismatch = audio.findIndex((a) => a.sampleRate !== sampleRate);
  if (mismatch >= 0)
    throw new ValidationError('fsdd-spikes', [
      {
        path: 'dir',
        message: `${recordings[mismatch]!.name} is at ${audio[mismatch]!.sampleRate} Hz, others at ${sampleRate} Hz`,
      },
    ]);
  const params = cochleaParams(options.cochlea ?? {}, sampleRate);
  hash.update(JSON.stringify({ model: COCHLEA_MODEL_VERSION, sampleRate, params }));
  const speakers = [...new Set(recordings.map((r) => r.speaker))].sort();
  const files = recordings.map((r) => r.name);
  const longestSeconds = Math.max(...audio.map((a) => a.samples / a.sampleRate));
  const cacheFile = options.cacheDir
    ? join(
        resolve(options.cacheDir),
        `fsdd-spikes-${params.channels}ch-${hash.digest('hex').slice(0, 20)}.h5`,
      )
    : undefined;

  if (cacheFile && existsSync(cacheFile)) {
    report?.({ stage: 'reading cached spikes', done: 0, total: 1 });
    const set = await readShdFile(cacheFile);
    report?.({ stage: 'reading cached spikes', done: 1, total: 1 });
    return { set, speakers, files, cacheFile, cached: true, longestSeconds };
  }
  const spikes = await encodeAll(
    audio.map((a) => ({ signal: mono(a), sampleRate })),
    params,
    {
      ...(options.workers !== undefined ? { workers: options.workers } : {}),
      onDone: (done) => report?.({ stage: 'cochlea', done, total: recordings.length }),
    },
  );
  const set: SpikeTrainSet = {
    times: spikes.map((s) => s.times),
    units: spikes.map((s) => s.units),
    labels: Uint16Array.from(recordings, (r) => r.digit),
    speakers: Uint16Array.from(recordings, (r) => speakers.indexOf(r.speaker)),
    keys: [...FSDD_KEYS],
    metaInfo: { speaker_name: speakers },
  };
  if (cacheFile) {
    await mkdir(dirname(cacheFile), { recursive: true });
    await writeShdFile(cacheFile, set);
  }
  return { set, speakers, files, ...(cacheFile ? { cacheFile } : {}), cached: false, longestSeconds };
}

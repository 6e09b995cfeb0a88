import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type DatasetSplits, type ExampleSource, ValidationError } from '@neurite/kernel';
import { readAtisBin } from '../formats/atis-bin.js';
import { toFrame } from '../transforms/to-frame.js';

export interface NmnistOptions {
  /** Folder with `Train/<digit>/*.bin` and `Test/<digit>/*.bin`, as N-MNIST unpacks. */
  readonly dir: string;
  /** Frame length in ms (default 10). */
  readonly dt: number;
  /** Frames per example (default 31, covering N-MNIST's ~310 ms saccades). */
  readonly T: number;
}

function listSplit(dir: string, split: string): { file: string; label: number }[] {
  const root = join(dir, split);
  let entries: string[];
  try {
    entries = readdirSync(root);
  } catch {
    throw new ValidationError('nmnist', [
      { path: 'dir', message: `${root} is missing (expected ${split}/<digit>/*.bin)` },
    ]);
  }
  const out: { file: string; label: number }[] = [];
  for (const digit of entries.filter((e) => /^\d$/.test(e)).sort()) {
    const folder = join(root, digit);
    if (!statSync(folder).isDirectory()) continue;
    for (const f of readdirSync(folder)
      .filter((n) => n.endsWith('.bin'))
      .sort())
      out.push({ file: join(folder, f), label: Number(digit) });
  }
  return out;
}

/**
 * N-MNIST from its unpacked folders: each `.bin` is read when its example is asked for and turned into
 * `T` frames of `dt` ms from time 0, [T, 2, 34, 34], 1 where a pixel had an event of that polarity.
 */
export function loadNmnistFolder(options: NmnistOptions): DatasetSplits {
  const window = options.dt * 1000;
  const source = (items: { file: string; label: number }[]): ExampleSource => ({
    size: items.length,
    get(i) {
      const item = items[i];
      if (!item) throw new RangeError(`example ${i} of ${items.length}`);
      const events = readAtisBin(readFileSync(item.file), { file: item.file, sensor: [34, 34] });
      const frames = toFrame(events, {
        timeWindow: window,
        start: 0,
        end: options.T * window - 1,
        includeIncomplete: true,
      });
      const input = new Uint8Array(options.T * 2 * 34 * 34);
      for (let k = 0; k < input.length && k < frames.data.length; k++) input[k] = frames.data[k]! > 0 ? 1 : 0;
      return { input, label: item.label };
    },
  });
  return {
    train: source(listSplit(options.dir, 'Train')),
    test: source(listSplit(options.dir, 'Test')),
    info: {
      inputShape: [options.T, 2, 34, 34],
      spikes: true,
      classes: 10,
      timeMajor: true,
      description: `N-MNIST from ${options.dir}: ${options.T} frames of ${options.dt} ms`,
    },
  };
}

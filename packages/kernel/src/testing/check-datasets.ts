import { type } from 'arktype';
import type { DatasetContext, DatasetDef, DatasetInfo, Example } from '../data/dataset.js';
import { formatShape } from '../errors.js';
import { Rng } from '../random/rng.js';
import type { Runtime } from '../runtime.js';
import { sizeOf } from '../tensor/shape.js';
import { expect } from './report.js';

/**
 * Loads a small instance of a dataset and checks that it yields what its info declares: inputs of
 * `inputShape` (0/1 bytes when `spikes`), integer labels in [0, classes), the same example for the same
 * index, and an augmentation that keeps the layout and is reproducible from its seed.
 */
export async function checkDataset(
  rt: Runtime,
  def: DatasetDef,
  options: Readonly<Record<string, unknown>>,
  context: Omit<DatasetContext, 'runtime'>,
  maxPerSplit: number,
): Promise<string> {
  const validated = def.options(options);
  if (validated instanceof type.errors)
    throw new Error(`its example options are invalid: ${validated.summary.replaceAll('\n', '; ')}`);
  const splits = await def.load(validated, { runtime: rt, ...context });
  const info = splits.info;
  checkInfo(info);
  const width = sizeOf(info.inputShape);
  let checked = 0;
  for (const [split, source] of [
    ['train', splits.train],
    ['test', splits.test],
  ] as const) {
    expect(Number.isInteger(source.size) && source.size >= 0, `${split}.size is ${source.size}, not a count`);
    expect(split === 'test' || source.size > 0, 'the train split is empty');
    for (const i of sampleIndices(source.size, maxPerSplit)) {
      checkExample(source.get(i), info, width, `${split}.get(${i})`);
      checked++;
    }
    if (source.size > 0) {
      expect(
        sameExample(source.get(0), source.get(0)),
        `${split}.get(0) returns different examples on two calls`,
      );
    }
  }
  if (splits.augment) {
    const base = splits.train.get(0);
    const [a, b] = [splits.augment(base, new Rng(7)), splits.augment(base, new Rng(7))];
    checkExample(a, info, width, 'augment(train.get(0))');
    expect(sameExample(a, b), 'augment draws differently from two streams of the same seed');
  }
  return `${checked} example(s) of ${splits.train.size} + ${splits.test.size} match ${formatShape(info.inputShape)}${info.spikes ? ' spikes' : ''}, ${info.classes} classes`;
}

function checkInfo(info: DatasetInfo): void {
  const shape = info.inputShape;
  expect(
    shape.length > 0 && shape.every((d) => Number.isInteger(d) && d > 0),
    `info.inputShape ${formatShape(shape)} must be positive integers`,
  );
  expect(Number.isInteger(info.classes) && info.classes >= 1, `info.classes is ${info.classes}`);
  expect(
    !info.classNames || info.classNames.length === info.classes,
    `${info.classNames?.length} classNames for ${info.classes} classes`,
  );
  expect(
    !info.timeMajor || shape.length >= 2,
    `a time-major input needs [T, …features], found ${formatShape(shape)}`,
  );
  expect(typeof info.description === 'string' && info.description.length > 0, 'info.description is empty');
}

function checkExample(example: Example, info: DatasetInfo, width: number, where: string): void {
  const { input, label } = example;
  expect(
    input instanceof Float32Array || input instanceof Uint8Array,
    `${where}: input must be a Float32Array or Uint8Array`,
  );
  expect(
    input.length === width,
    `${where}: input has ${input.length} values, inputShape ${formatShape(info.inputShape)} needs ${width}`,
  );
  if (info.spikes) {
    const bad = input.findIndex((v) => v !== 0 && v !== 1);
    expect(bad < 0, `${where}: spike input holds ${input[bad]} at ${bad} (only 0 and 1)`);
  } else {
    const bad = input.findIndex((v) => !Number.isFinite(v));
    expect(bad < 0, `${where}: input holds ${input[bad]} at ${bad}`);
  }
  expect(
    Number.isInteger(label) && label >= 0 && label < info.classes,
    `${where}: label ${label} is outside [0, ${info.classes})`,
  );
}

function sameExample(a: Example, b: Example): boolean {
  return (
    a.label === b.label &&
    a.input.length === b.input.length &&
    a.input.every((v, i) => Object.is(v, b.input[i]))
  );
}

/** Every index of a small split; evenly spaced ones (first and last included) of a larger one. */
export function sampleIndices(size: number, max: number): number[] {
  if (size <= max) return Array.from({ length: size }, (_, i) => i);
  return Array.from({ length: max }, (_, k) => Math.round((k * (size - 1)) / (max - 1)));
}

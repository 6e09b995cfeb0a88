import type { Type } from 'arktype';
import type { Rng } from '../random/rng.js';
import type { Runtime } from '../runtime.js';

/** One example as host data: the input in `DatasetInfo.inputShape` layout, and its class. */
export interface Example {
  readonly input: Float32Array | Uint8Array;
  readonly label: number;
}

/** Random access to a split. `get` may decode lazily; it must be deterministic for an index. */
export interface ExampleSource {
  readonly size: number;
  get(index: number): Example;
}

export interface DatasetInfo {
  /** Shape of one example's input, e.g. [784] or [T, 700] (time first for sequences). */
  readonly inputShape: readonly number[];
  /** Whether inputs are 0/1 spikes (batched as the spike dtype). */
  readonly spikes: boolean;
  readonly classes: number;
  readonly classNames?: readonly string[];
  /** Whether the first input axis is time; batches of such data are laid out [T, B, …]. */
  readonly timeMajor: boolean;
  readonly description: string;
}

export interface DatasetSplits {
  readonly train: ExampleSource;
  readonly test: ExampleSource;
  readonly info: DatasetInfo;
  /** Random augmentation for training examples, drawing only from the given stream (seedable). */
  readonly augment?: ((example: Example, rng: Rng) => Example) | undefined;
}

/** Progress of a long dataset step (decoding, building a cache), for the CLI's progress display. */
export interface DatasetProgress {
  readonly stage: string;
  readonly done: number;
  readonly total: number;
}

export interface DatasetContext {
  readonly runtime: Runtime;
  /** Folder for caches the dataset may write (re-used when inputs and parameters are unchanged). */
  readonly cacheDir?: string;
  /** Folder relative paths in options resolve against (the config's folder, or the working folder). */
  readonly baseDir?: string;
  readonly onProgress?: (progress: DatasetProgress) => void;
}

/** A dataset a config names as `{"dataset": {"type": name, …options}}`. */
export interface DatasetDef<O = any> {
  readonly name: string;
  readonly description: string;
  readonly options: Type<O>;
  load(options: O, ctx: DatasetContext): Promise<DatasetSplits>;
  /**
   * Options of a small instance that loads without external files, for the conformance kit
   * (`@neurite/kernel/testing`). Datasets that read files get their options from the test instead.
   */
  readonly example?: Readonly<Record<string, unknown>>;
}

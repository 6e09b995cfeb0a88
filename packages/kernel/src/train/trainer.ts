import type { DatasetSplits } from '../data/dataset.js';
import { type Batch, DataLoader } from '../data/loader.js';
import type { Module } from '../nn/module.js';
import type { Rng } from '../random/rng.js';
import type { Runtime } from '../runtime.js';
import type { Tensor } from '../tensor/tensor.js';

/** The parts of an optimiser the loop drives (the kernel's optimisers implement it). */
export interface Steppable {
  step(): void;
  zeroGrad(): void;
}

export interface Metrics {
  readonly loss: number;
  readonly accuracy: number;
  readonly examples: number;
}

export interface EpochRecord {
  readonly epoch: number;
  readonly train: Metrics;
  readonly test: Metrics;
  readonly seconds: number;
}

export interface BatchProgress {
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  /** Running means over the epoch so far. */
  readonly loss: number;
  readonly accuracy: number;
}

export interface TrainerParts {
  readonly model: Module;
  readonly data: DatasetSplits;
  /** (model output, int32 targets) → scalar loss. */
  readonly loss: (output: Tensor, target: Tensor) => Tensor;
  /** Model output → class scores [B, C] for accuracy; identity by default. */
  readonly predict?: ((output: Tensor) => Tensor) | undefined;
  readonly optimizer: Steppable;
  /** Called after every optimiser step and at every epoch end, for schedules and gradient clipping. */
  readonly afterBackward?: (() => void) | undefined;
  readonly afterStep?: (() => void) | undefined;
  readonly afterEpoch?: ((epoch: number) => void) | undefined;
  readonly batchSize: number;
  readonly evalBatchSize?: number | undefined;
  readonly maxBatches?: number | undefined;
  /** Stream for shuffling and augmentation; saved in checkpoints. */
  readonly rng: Rng;
}

/**
 * The supervised training loop: shuffled batches, forward, loss, backward, optimiser step, module hooks
 * (`onStepEnd` after each step, `onEpochEnd` after each epoch), and evaluation on the test split.
 * Everything random draws from streams that checkpoints save, so a resumed run continues bit-identically.
 */
export class Trainer {
  readonly #rt: Runtime;
  readonly #parts: TrainerParts;
  readonly #train: DataLoader;
  readonly #test: DataLoader;
  /** Epochs completed. */
  epoch = 0;
  readonly history: EpochRecord[] = [];

  constructor(rt: Runtime, parts: TrainerParts) {
    this.#rt = rt;
    this.#parts = parts;
    const { data } = parts;
    this.#train = new DataLoader(rt, data.train, data.info, {
      batchSize: parts.batchSize,
      shuffle: true,
      rng: parts.rng,
      augment: data.augment,
    });
    this.#test = new DataLoader(rt, data.test, data.info, {
      batchSize: parts.evalBatchSize ?? Math.max(parts.batchSize, 256),
    });
  }

  get model(): Module {
    return this.#parts.model;
  }

  /** Batches in one training epoch (after `maxBatches`). */
  get batchesPerEpoch(): number {
    return Math.min(this.#train.length, this.#parts.maxBatches ?? Number.POSITIVE_INFINITY);
  }

  /** Trains one epoch, evaluates, runs the epoch hooks, and records the result. */
  async trainEpoch(epochs: number, onBatch?: (p: BatchProgress) => void): Promise<EpochRecord> {
    const { model, optimizer, loss, predict } = this.#parts;
    const started = performance.now();
    model.train();
    const batches = this.batchesPerEpoch;
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    let index = 0;
    for (const batch of this.#train) {
      if (index >= batches) break;
      optimizer.zeroGrad();
      const output = model.forward(batch.input);
      const value = loss(output, batch.target);
      value.backward();
      this.#parts.afterBackward?.();
      optimizer.step();
      model.visit('onStepEnd');
      this.#parts.afterStep?.();
      const hits = this.#rt.noGrad(() => countCorrect(predict ? predict(output) : output, batch));
      lossSum += (await value.item()) * batch.size;
      correct += await hits.item();
      seen += batch.size;
      index++;
      onBatch?.({
        epoch: this.epoch + 1,
        epochs,
        batch: index,
        batches,
        loss: lossSum / seen,
        accuracy: correct / seen,
      });
    }
    this.epoch++;
    model.visit('onEpochEnd', this.epoch, epochs);
    this.#parts.afterEpoch?.(this.epoch);
    const test = await this.evaluate();
    const record: EpochRecord = {
      epoch: this.epoch,
      train: { loss: lossSum / seen, accuracy: correct / seen, examples: seen },
      test,
      seconds: (performance.now() - started) / 1000,
    };
    this.history.push(record);
    return record;
  }

  /** Mean loss and accuracy on the test split (or another source), in eval mode without the tape. */
  async evaluate(loader: DataLoader = this.#test): Promise<Metrics> {
    const { model, loss, predict } = this.#parts;
    model.eval();
    let lossSum = 0;
    let correct = 0;
    let seen = 0;
    for (const batch of loader) {
      const [value, hits] = this.#rt.noGrad(() => {
        const output = model.forward(batch.input);
        return [loss(output, batch.target), countCorrect(predict ? predict(output) : output, batch)] as const;
      });
      lossSum += (await value.item()) * batch.size;
      correct += await hits.item();
      seen += batch.size;
    }
    model.train();
    return { loss: lossSum / Math.max(seen, 1), accuracy: correct / Math.max(seen, 1), examples: seen };
  }
}

function countCorrect(scores: Tensor, batch: Batch): Tensor {
  return scores.argmax(-1).eq(batch.target).sum();
}

import type { DatasetContext, DatasetSplits } from '../data/dataset.js';
import { NeuriteError } from '../errors.js';
import { buildModel } from '../graph/build.js';
import type { Module } from '../nn/module.js';
import { Adam, AdamW } from '../optim/adam.js';
import { clipGradNorm } from '../optim/clip.js';
import { LrScheduler, type LrSchedulerState } from '../optim/lr-scheduler.js';
import type { Optimizer, OptimizerScalars } from '../optim/optimizer.js';
import { paramGroups } from '../optim/param-groups.js';
import { cosineSchedule, oneCycleSchedule, type Schedule, stepSchedule } from '../optim/schedules.js';
import { SGD } from '../optim/sgd.js';
import { Rng } from '../random/rng.js';
import type { Runtime } from '../runtime.js';
import type { Tensor } from '../tensor/tensor.js';
import type { ScheduleConfig, TrainConfig } from './config.js';
import { type EpochRecord, Trainer } from './trainer.js';

/** Everything a resumed run needs besides the tensors: plain JSON. */
export interface SessionState {
  readonly epoch: number;
  readonly history: readonly EpochRecord[];
  readonly optimizer: OptimizerScalars;
  readonly scheduler: LrSchedulerState;
  readonly rngs: Readonly<Record<string, (number | null)[]>>;
}

/**
 * A training run assembled from a resolved config: the dataset, the model (initialised from the
 * config's seed), the loss, the optimiser with its parameter groups and schedules, and the loop. Its
 * state round-trips through `state()`/`restore()`, so a run resumed from a checkpoint ends with the
 * same weights, bit for bit, as one that was never interrupted.
 */
export class TrainingSession {
  private constructor(
    readonly runtime: Runtime,
    readonly config: TrainConfig,
    readonly data: DatasetSplits,
    readonly model: Module,
    readonly optimizer: Optimizer,
    readonly scheduler: LrScheduler,
    readonly trainer: Trainer,
    readonly rng: Rng,
  ) {}

  static async create(
    rt: Runtime,
    config: TrainConfig,
    ctx: Omit<DatasetContext, 'runtime'> = {},
  ): Promise<TrainingSession> {
    if (config.backend) await rt.setBackend(config.backend);
    rt.seed(config.seed);
    const root = new Rng(config.seed);
    const modelRng = root.split();
    const loopRng = root.split();

    const { type: datasetType, ...datasetOptions } = config.dataset;
    const data = await rt
      .registry('dataset')
      .require(datasetType)
      .load(datasetOptions, { ...ctx, runtime: rt });
    const model = buildModel(rt, config.model, { rng: modelRng });
    const { type: lossType, ...lossOptions } = config.loss;
    const lossDef = rt.registry('loss').require(lossType);

    const { optimizer, groups } = createOptimizer(model, config);
    // Planned schedule length: epochs × batches actually run per epoch.
    const batchesPerEpoch = Math.min(
      Math.ceil(data.train.size / config.train.batchSize),
      config.train.maxBatches ?? Number.POSITIVE_INFINITY,
    );
    const scheduler = new LrScheduler(
      optimizer,
      groups.map((g) => createSchedule(g, config.train.epochs, batchesPerEpoch)),
    );
    const clip = config.train.clipGradNorm;
    const trainer = new Trainer(rt, {
      model,
      data,
      loss: lossDef.create(lossOptions),
      predict: lossDef.predict?.bind(lossDef),
      optimizer,
      afterBackward: clip ? () => void clipGradNorm(optimizer.params, clip) : undefined,
      afterStep: () => scheduler.step(),
      batchSize: config.train.batchSize,
      evalBatchSize: config.train.evalBatchSize,
      maxBatches: config.train.maxBatches,
      rng: loopRng,
    });
    return new TrainingSession(rt, config, data, model, optimizer, scheduler, trainer, loopRng);
  }

  /** Tensors to checkpoint: the model's state (PyTorch-style names) and the optimiser's. */
  tensors(): { model: Map<string, Tensor>; training: Map<string, Tensor> } {
    return { model: this.model.stateDict(), training: this.optimizer.stateDict().tensors };
  }

  state(): SessionState {
    const rngs: Record<string, (number | null)[]> = {
      loop: this.rng.getState(),
      runtime: this.runtime.rng.getState(),
    };
    for (const [name, r] of this.model.namedRngs()) rngs[`model.${name}`] = r.getState();
    return {
      epoch: this.trainer.epoch,
      history: [...this.trainer.history],
      optimizer: this.optimizer.stateDict().scalars,
      scheduler: this.scheduler.stateDict(),
      rngs,
    };
  }

  restore(
    tensors: { model: ReadonlyMap<string, Tensor>; training: ReadonlyMap<string, Tensor> },
    state: SessionState,
  ): void {
    this.model.loadStateDict(tensors.model);
    this.optimizer.loadStateDict({ tensors: new Map(tensors.training), scalars: state.optimizer });
    this.scheduler.loadStateDict(state.scheduler);
    const streams = new Map<string, Rng>([
      ['loop', this.rng],
      ['runtime', this.runtime.rng],
      ...this.model.namedRngs().map(([n, r]): [string, Rng] => [`model.${n}`, r]),
    ]);
    for (const [name, saved] of Object.entries(state.rngs)) {
      const stream = streams.get(name);
      if (!stream) throw new NeuriteError(`checkpoint: random stream '${name}' does not exist in this model`);
      stream.setState(saved);
    }
    this.trainer.epoch = state.epoch;
    this.trainer.history.splice(0, this.trainer.history.length, ...state.history);
  }
}

interface PlannedGroup {
  readonly lr: number;
  readonly schedule: ScheduleConfig | undefined;
}

/**
 * The optimiser of a config, with parameter groups from its glob rules (unmatched parameters form the
 * first group, with the top-level options) and the schedule of each group. Frozen groups are left out
 * and their parameters stop requiring grad, so no gradient is even computed for them.
 */
function createOptimizer(
  model: Module,
  config: TrainConfig,
): { optimizer: Optimizer; groups: PlannedGroup[] } {
  const o = config.optimizer;
  const rules = o.groups ?? [];
  const groups = paramGroups(
    model,
    rules.map(({ match, lr, weightDecay }) => ({
      match,
      ...(lr !== undefined ? { lr } : {}),
      ...(weightDecay !== undefined ? { weightDecay } : {}),
    })),
  );
  // Every rule matched something (paramGroups is strict), so a leading extra group is the unmatched rest.
  const offset = groups.length - rules.length;
  const planned: PlannedGroup[] = offset ? [{ lr: o.lr, schedule: config.schedule }] : [];
  const kept = offset ? [groups[0]!] : [];
  rules.forEach((rule, i) => {
    const group = groups[offset + i]!;
    if (rule.frozen) {
      for (const p of group.params) p.requiresGrad = false;
      return;
    }
    kept.push(group);
    planned.push({ lr: rule.lr ?? o.lr, schedule: rule.schedule ?? config.schedule });
  });
  if (kept.length === 0) throw new NeuriteError('optimizer: every parameter is frozen');
  const common = { lr: o.lr, ...(o.weightDecay !== undefined ? { weightDecay: o.weightDecay } : {}) };
  const adam = { ...common, ...(o.betas ? { betas: o.betas } : {}), ...(o.eps ? { eps: o.eps } : {}) };
  const optimizer =
    o.type === 'sgd'
      ? new SGD(kept, {
          ...common,
          ...(o.momentum !== undefined ? { momentum: o.momentum } : {}),
          ...(o.nesterov ? { nesterov: true } : {}),
        })
      : o.type === 'adam'
        ? new Adam(kept, adam)
        : new AdamW(kept, adam);
  return { optimizer, groups: planned };
}

const constant: Schedule = { name: 'constant', lr: (_step, base) => base };

/**
 * Every schedule is stepped once per batch; an epoch schedule holds its value across an epoch's
 * batches, so one scheduler drives groups with per-epoch and per-batch schedules together.
 */
function createSchedule(group: PlannedGroup, epochs: number, batchesPerEpoch: number): Schedule {
  const s = group.schedule;
  if (!s || s.type === 'constant') return constant;
  const perBatch = (s.per ?? (s.type === 'one-cycle' ? 'batch' : 'epoch')) === 'batch';
  const total = perBatch ? epochs * batchesPerEpoch : epochs;
  let inner: Schedule;
  switch (s.type) {
    case 'step':
      inner = stepSchedule({
        stepSize: s.stepSize ?? 1,
        ...(s.gamma !== undefined ? { gamma: s.gamma } : {}),
      });
      break;
    case 'cosine':
      inner = cosineSchedule({ tMax: total, ...(s.minLr !== undefined ? { etaMin: s.minLr } : {}) });
      break;
    case 'one-cycle':
      inner = oneCycleSchedule({
        maxLr: s.maxLr ?? group.lr,
        totalSteps: total,
        ...(s.pctStart !== undefined ? { pctStart: s.pctStart } : {}),
        ...(s.divFactor !== undefined ? { divFactor: s.divFactor } : {}),
        ...(s.finalDivFactor !== undefined ? { finalDivFactor: s.finalDivFactor } : {}),
      });
      break;
  }
  if (perBatch) return inner;
  return {
    ...inner,
    name: `${inner.name}/epoch`,
    lr: (step, base, group) => inner.lr(Math.floor(step / batchesPerEpoch), base, group),
  };
}

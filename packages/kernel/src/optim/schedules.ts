import { NeuriteError } from '../errors.js';

/**
 * A learning-rate schedule: the rate of a parameter group after `step` scheduler steps, from the
 * group's base rate. Schedules are closed forms (a pure function of the step), so a resumed run only
 * needs the step count, and schedules compose (`sequentialSchedule`). Whether a step is an epoch or a
 * batch is the caller's choice: it is however often `LrScheduler.step()` is called.
 */
export interface Schedule {
  readonly name: string;
  lr(step: number, baseLr: number, group: number): number;
  /** The momentum (SGD momentum, or Adam's β1) at `step`, where the schedule sets it; else undefined. */
  momentum?(step: number, group: number): number | undefined;
}

/** A per-group option: one value for every group, or one per group. */
export type PerGroup = number | readonly number[];

function pick(name: string, value: PerGroup, group: number): number {
  if (typeof value === 'number') return value;
  const v = value[group];
  if (v === undefined)
    throw new NeuriteError(`${name}: ${value.length} values given, none for parameter group ${group}`);
  return v;
}

function positiveInteger(what: string, v: number): void {
  if (!(Number.isInteger(v) && v > 0))
    throw new NeuriteError(`${what} must be a positive integer, found ${v}`);
}

/** PyTorch's StepLR: base · gamma^⌊step / stepSize⌋. */
export function stepSchedule(options: { stepSize: number; gamma?: number }): Schedule {
  const { stepSize, gamma = 0.1 } = options;
  positiveInteger('stepSchedule: stepSize', stepSize);
  return { name: 'step', lr: (step, base) => base * gamma ** Math.floor(step / stepSize) };
}

/**
 * PyTorch's CosineAnnealingLR in its closed form: etaMin + (base − etaMin)·(1 + cos(π·step/tMax))/2.
 * Past tMax the cosine continues (the rate rises again), as in PyTorch. PyTorch steps a recursive form
 * of the same curve, whose rounding differs in the last bits.
 */
export function cosineSchedule(options: { tMax: number; etaMin?: PerGroup }): Schedule {
  const { tMax, etaMin = 0 } = options;
  positiveInteger('cosineSchedule: tMax', tMax);
  return {
    name: 'cosine',
    lr: (step, base, group) => {
      const floor = pick('cosineSchedule: etaMin', etaMin, group);
      return floor + ((base - floor) * (1 + Math.cos((Math.PI * step) / tMax))) / 2;
    },
  };
}

/**
 * PyTorch's LinearLR, the usual warmup: base · (startFactor + (endFactor − startFactor)·min(step,
 * totalSteps)/totalSteps). PyTorch's defaults: startFactor 1/3, endFactor 1, totalSteps 5.
 */
export function linearSchedule(
  options: { startFactor?: number; endFactor?: number; totalSteps?: number } = {},
): Schedule {
  const { startFactor = 1 / 3, endFactor = 1, totalSteps = 5 } = options;
  if (!(startFactor > 0 && startFactor <= 1))
    throw new NeuriteError(`linearSchedule: startFactor must be in (0, 1], found ${startFactor}`);
  if (!(endFactor >= 0 && endFactor <= 1))
    throw new NeuriteError(`linearSchedule: endFactor must be in [0, 1], found ${endFactor}`);
  positiveInteger('linearSchedule: totalSteps', totalSteps);
  return {
    name: 'linear',
    lr: (step, base) =>
      base * (startFactor + ((endFactor - startFactor) * Math.min(totalSteps, step)) / totalSteps),
  };
}

export interface OneCycleOptions {
  /** The peak rate, for every group or per group. */
  readonly maxLr: PerGroup;
  /** Steps in the cycle; or give `epochs` and `stepsPerEpoch`. */
  readonly totalSteps?: number;
  readonly epochs?: number;
  readonly stepsPerEpoch?: number;
  /** Fraction of the cycle spent raising the rate (0.3). */
  readonly pctStart?: number;
  readonly annealStrategy?: 'cos' | 'linear';
  /** Cycle momentum (SGD momentum or Adam β1) inversely to the rate, between these (true, 0.85, 0.95). */
  readonly cycleMomentum?: boolean;
  readonly baseMomentum?: PerGroup;
  readonly maxMomentum?: PerGroup;
  /** Initial rate = maxLr / divFactor (25); final rate = initial / finalDivFactor (1e4). */
  readonly divFactor?: number;
  readonly finalDivFactor?: number;
  /** Fast.ai's three phases: up, back down to the initial rate, then the final annihilation. */
  readonly threePhase?: boolean;
}

/**
 * PyTorch's OneCycleLR (Smith & Topin, super-convergence), with its defaults and formulas: the rate
 * rises from maxLr/divFactor to maxLr over the first pctStart of the steps and anneals to
 * initial/finalDivFactor by the last, while momentum moves the opposite way between maxMomentum and
 * baseMomentum. The group's own lr is not used. Stepping past totalSteps is an error, as in PyTorch.
 */
export function oneCycleSchedule(options: OneCycleOptions): Schedule {
  const {
    maxLr,
    pctStart = 0.3,
    annealStrategy = 'cos',
    cycleMomentum = true,
    baseMomentum = 0.85,
    maxMomentum = 0.95,
    divFactor = 25,
    finalDivFactor = 1e4,
    threePhase = false,
  } = options;
  let total = options.totalSteps;
  if (total === undefined) {
    if (options.epochs === undefined || options.stepsPerEpoch === undefined) {
      throw new NeuriteError('oneCycleSchedule: give totalSteps, or epochs and stepsPerEpoch');
    }
    positiveInteger('oneCycleSchedule: epochs', options.epochs);
    positiveInteger('oneCycleSchedule: stepsPerEpoch', options.stepsPerEpoch);
    total = options.epochs * options.stepsPerEpoch;
  }
  const totalSteps = total;
  positiveInteger('oneCycleSchedule: totalSteps', totalSteps);
  if (!(pctStart >= 0 && pctStart <= 1))
    throw new NeuriteError(`oneCycleSchedule: pctStart must be in [0, 1], found ${pctStart}`);
  if (annealStrategy !== 'cos' && annealStrategy !== 'linear') {
    throw new NeuriteError(
      `oneCycleSchedule: annealStrategy must be 'cos' or 'linear', found ${annealStrategy}`,
    );
  }
  const anneal =
    annealStrategy === 'cos'
      ? (start: number, end: number, pct: number) => end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1)
      : (start: number, end: number, pct: number) => (end - start) * pct + start;

  type Level = 'initial' | 'max' | 'min';
  type MomentumLevel = 'max' | 'base';
  const phases: { end: number; lr: [Level, Level]; momentum: [MomentumLevel, MomentumLevel] }[] = threePhase
    ? [
        { end: pctStart * totalSteps - 1, lr: ['initial', 'max'], momentum: ['max', 'base'] },
        { end: 2 * pctStart * totalSteps - 2, lr: ['max', 'initial'], momentum: ['base', 'max'] },
        { end: totalSteps - 1, lr: ['initial', 'min'], momentum: ['max', 'max'] },
      ]
    : [
        { end: pctStart * totalSteps - 1, lr: ['initial', 'max'], momentum: ['max', 'base'] },
        { end: totalSteps - 1, lr: ['max', 'min'], momentum: ['base', 'max'] },
      ];

  phases.forEach((phase, i) => {
    // PyTorch divides by zero here; say why instead.
    if (phase.end === (phases[i - 1]?.end ?? 0)) {
      throw new NeuriteError(
        `oneCycleSchedule: phase ${i + 1} of the cycle is empty (pctStart ${pctStart}, totalSteps ${totalSteps})`,
      );
    }
  });

  /** The phase `step` is in and how far through it (PyTorch's get_lr). */
  const locate = (step: number): { phase: (typeof phases)[number]; pct: number } => {
    if (step > totalSteps) {
      throw new NeuriteError(`oneCycleSchedule: stepped ${step} times, beyond totalSteps ${totalSteps}`, {
        hint: 'set totalSteps (or epochs × stepsPerEpoch) to the number of scheduler steps the run takes',
      });
    }
    let start = 0;
    for (const [i, phase] of phases.entries()) {
      if (step <= phase.end || i === phases.length - 1)
        return { phase, pct: (step - start) / (phase.end - start) };
      start = phase.end;
    }
    throw new Error('unreachable');
  };
  const levels = (group: number): Record<Level, number> => {
    const max = pick('oneCycleSchedule: maxLr', maxLr, group);
    const initial = max / divFactor;
    return { initial, max, min: initial / finalDivFactor };
  };
  const momenta = (group: number): Record<MomentumLevel, number> => ({
    max: pick('oneCycleSchedule: maxMomentum', maxMomentum, group),
    base: pick('oneCycleSchedule: baseMomentum', baseMomentum, group),
  });

  return {
    name: 'one-cycle',
    lr: (step, _base, group) => {
      const { phase, pct } = locate(step);
      const l = levels(group);
      return anneal(l[phase.lr[0]], l[phase.lr[1]], pct);
    },
    ...(cycleMomentum
      ? {
          momentum: (step: number, group: number) => {
            const { phase, pct } = locate(step);
            const m = momenta(group);
            return anneal(m[phase.momentum[0]], m[phase.momentum[1]], pct);
          },
        }
      : {}),
  };
}

/**
 * Runs schedules one after another, as PyTorch's SequentialLR: schedule k takes over at milestone k−1
 * and sees the steps since then. Warmup then cosine:
 * `sequentialSchedule([linearSchedule({ startFactor: 0.1, totalSteps: 5 }), cosineSchedule({ tMax: 95 })], [5])`.
 */
export function sequentialSchedule(schedules: readonly Schedule[], milestones: readonly number[]): Schedule {
  if (schedules.length === 0 || milestones.length !== schedules.length - 1) {
    throw new NeuriteError(
      `sequentialSchedule: expected ${Math.max(schedules.length - 1, 0)} milestones for ${schedules.length} schedules, found ${milestones.length}`,
    );
  }
  milestones.forEach((m, i) => {
    if (!(Number.isInteger(m) && m > (milestones[i - 1] ?? 0))) {
      throw new NeuriteError(
        `sequentialSchedule: milestones must be increasing positive integers, found [${milestones.join(', ')}]`,
      );
    }
  });
  const active = (step: number): { schedule: Schedule; local: number } => {
    let k = 0;
    while (k < milestones.length && step >= milestones[k]!) k++;
    return { schedule: schedules[k]!, local: step - (k === 0 ? 0 : milestones[k - 1]!) };
  };
  return {
    name: `sequential(${schedules.map((s) => s.name).join(', ')})`,
    lr: (step, base, group) => {
      const { schedule, local } = active(step);
      return schedule.lr(local, base, group);
    },
    momentum: (step, group) => {
      const { schedule, local } = active(step);
      return schedule.momentum?.(local, group);
    },
  };
}

import { NeuriteError, ValidationError } from '../errors.js';
import type { GroupOptions, Optimizer } from './optimizer.js';
import type { Schedule } from './schedules.js';

/** A scheduler's state for checkpoints (plain JSON). */
export interface LrSchedulerState {
  readonly schedule: string;
  readonly stepCount: number;
  readonly baseLrs: readonly number[];
}

/**
 * Drives an optimiser's learning rates (and, for one-cycle, momentum) by a schedule: one schedule for
 * every group, or one per group. The groups' rates when the scheduler is created are their base rates.
 * Creating it sets the rates for step 0; each `step()` advances one step, per epoch or per batch as the
 * caller chooses.
 */
export class LrScheduler {
  #stepCount = 0;
  #baseLrs: number[];
  readonly #schedules: readonly Schedule[];

  constructor(
    readonly optimizer: Optimizer<GroupOptions>,
    schedule: Schedule | readonly Schedule[],
  ) {
    const groups = optimizer.groups.length;
    if (Array.isArray(schedule) && schedule.length !== groups) {
      throw new NeuriteError(`LrScheduler: ${schedule.length} schedules for ${groups} parameter groups`);
    }
    this.#schedules = Array.isArray(schedule) ? schedule : optimizer.groups.map(() => schedule as Schedule);
    this.#baseLrs = optimizer.groups.map((g) => g.lr);
    this.#apply();
  }

  /** Steps taken so far (PyTorch's `last_epoch`). */
  get stepCount(): number {
    return this.#stepCount;
  }

  get baseLrs(): readonly number[] {
    return this.#baseLrs;
  }

  /** Advances one step and sets the groups' rates (and momentum) for it. */
  step(): void {
    this.#apply(this.#stepCount + 1);
    this.#stepCount++;
  }

  /** The rates now in effect, one per group. */
  lastLr(): number[] {
    return this.optimizer.groups.map((g) => g.lr);
  }

  stateDict(): LrSchedulerState {
    return { schedule: this.#scheduleNames(), stepCount: this.#stepCount, baseLrs: [...this.#baseLrs] };
  }

  /** Restores the step count and base rates, and sets the rates for that step. */
  loadStateDict(state: LrSchedulerState): void {
    const issues: { path: string; message: string }[] = [];
    if (state.schedule !== this.#scheduleNames()) {
      issues.push({
        path: 'schedule',
        message: `expected ${this.#scheduleNames()}, found ${state.schedule}`,
      });
    }
    if (!(Number.isInteger(state.stepCount) && state.stepCount >= 0)) {
      issues.push({ path: 'stepCount', message: `must be a non-negative integer, found ${state.stepCount}` });
    }
    if (state.baseLrs.length !== this.optimizer.groups.length || !state.baseLrs.every(Number.isFinite)) {
      issues.push({
        path: 'baseLrs',
        message: `expected ${this.optimizer.groups.length} rates, found ${JSON.stringify(state.baseLrs)}`,
      });
    }
    if (issues.length) throw new ValidationError('scheduler state', issues);
    const previous = { stepCount: this.#stepCount, baseLrs: this.#baseLrs };
    this.#stepCount = state.stepCount;
    this.#baseLrs = [...state.baseLrs];
    try {
      this.#apply();
    } catch (e) {
      this.#stepCount = previous.stepCount;
      this.#baseLrs = previous.baseLrs;
      throw e;
    }
  }

  #scheduleNames(): string {
    const names = [...new Set(this.#schedules.map((s) => s.name))];
    return names.length === 1 ? names[0]! : this.#schedules.map((s) => s.name).join(' | ');
  }

  /** Sets every group's rate (and momentum) for step `t`; computes them all first, so a failure changes nothing. */
  #apply(t = this.#stepCount): void {
    const groups = this.optimizer.groups;
    const lrs = groups.map((_, g) => this.#schedules[g]!.lr(t, this.#baseLrs[g]!, g));
    const momenta = groups.map((_, g) => this.#schedules[g]!.momentum?.(t, g));
    groups.forEach((group, g) => {
      const momentum = momenta[g];
      if (momentum === undefined) return;
      const options = group as unknown as Record<string, unknown>;
      if (!Array.isArray(options.betas) && typeof options.momentum !== 'number') {
        throw new NeuriteError(
          `${this.#schedules[g]!.name}: cycling momentum needs an optimiser with momentum or betas`,
          {
            hint: 'use SGD or Adam, or turn cycleMomentum off',
          },
        );
      }
    });
    groups.forEach((group, g) => {
      group.lr = lrs[g]!;
      const momentum = momenta[g];
      if (momentum === undefined) return;
      const options = group as unknown as Record<string, unknown>;
      if (Array.isArray(options.betas)) options.betas = [momentum, options.betas[1]];
      else options.momentum = momentum;
    });
  }
}

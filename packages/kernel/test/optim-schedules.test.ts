import {
  Adam,
  cosineSchedule,
  createRuntime,
  LrScheduler,
  linearSchedule,
  oneCycleSchedule,
  Parameter,
  type Schedule,
  SGD,
  sequentialSchedule,
  stepSchedule,
  ValidationError,
} from '@neurite/kernel';
import { describe, expect, it } from 'vitest';

const rt = createRuntime();
const param = () => new Parameter(rt.zeros([2]));

/** The rates of group 0 at steps 0…n−1, as a scheduler sets them. */
function rates(schedule: Schedule, n: number, lr = 0.1): number[] {
  const opt = new SGD([param()], { lr });
  const scheduler = new LrScheduler(opt, schedule);
  const out: number[] = [];
  for (let t = 0; t < n; t++) {
    out.push(opt.groups[0]!.lr);
    scheduler.step();
  }
  return out;
}

describe('schedules, derived by hand', () => {
  it('step: base·γ^⌊t/stepSize⌋', () => {
    expect(rates(stepSchedule({ stepSize: 3, gamma: 0.5 }), 8)).toEqual([
      0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025, 0.025,
    ]);
  });

  it('cosine: half way at tMax/2, the floor at tMax, rising again after', () => {
    const r = rates(cosineSchedule({ tMax: 4, etaMin: 0.02 }), 9);
    expect(r[0]).toBeCloseTo(0.1, 15);
    expect(r[2]).toBeCloseTo(0.06, 15); // 0.02 + 0.08·(1 + cos(π/2))/2
    expect(r[4]).toBeCloseTo(0.02, 15);
    expect(r[6]).toBeCloseTo(0.06, 15);
    expect(r[8]).toBeCloseTo(0.1, 15);
  });

  it('linear warmup: from startFactor·base to base over totalSteps, then constant', () => {
    const r = rates(linearSchedule({ startFactor: 0.25, totalSteps: 3 }), 6, 0.4);
    expect(r.map((v) => +v.toFixed(12))).toEqual([0.1, 0.2, 0.3, 0.4, 0.4, 0.4]);
    // PyTorch's defaults: a third of the rate, five steps.
    expect(rates(linearSchedule(), 1)[0]).toBeCloseTo(0.1 / 3, 15);
  });

  it("one-cycle: PyTorch's phases, defaults and momentum cycling into Adam's β1", () => {
    // maxLr 1, 10 steps, pctStart 0.3: phase 1 ends at step 0.3·10 − 1 = 2, phase 2 at 9.
    // initial = 1/25 = 0.04, final = 0.04/1e4 = 4e-6; momentum 0.95 → 0.85 → 0.95.
    const opt = new Adam([param()], { betas: [0.9, 0.98] });
    const scheduler = new LrScheduler(opt, oneCycleSchedule({ maxLr: 1, totalSteps: 10 }));
    const seen: [number, number, number][] = [];
    for (let t = 0; t <= 10; t++) {
      const { lr, betas } = opt.groups[0]!;
      seen.push([lr, betas[0], betas[1]]);
      if (t < 10) scheduler.step();
    }
    expect(seen[0]![0]).toBeCloseTo(0.04, 15);
    expect(seen[1]![0]).toBeCloseTo(0.52, 15); // half way up the cosine: 0.04 + 0.96/2
    expect(seen[2]![0]).toBeCloseTo(1, 15);
    expect(seen[9]![0]).toBeCloseTo(4e-6, 18);
    expect(seen.map((s) => s[1])[0]).toBeCloseTo(0.95, 15);
    expect(seen[1]![1]).toBeCloseTo(0.9, 15);
    expect(seen[2]![1]).toBeCloseTo(0.85, 15);
    expect(seen[9]![1]).toBeCloseTo(0.95, 15);
    expect(seen.every((s) => s[2] === 0.98)).toBe(true);
    expect(() => scheduler.step()).toThrow(/beyond totalSteps 10/);
    // A refused step changes nothing.
    expect(scheduler.stepCount).toBe(10);
    expect(opt.groups[0]!.lr).toBe(seen[10]![0]);
  });

  it('one-cycle: linear annealing, per-group peaks, epochs × stepsPerEpoch, SGD momentum', () => {
    const opt = new SGD([{ params: [param()] }, { params: [param()] }], { lr: 0.1, momentum: 0.5 });
    const scheduler = new LrScheduler(
      opt,
      oneCycleSchedule({
        maxLr: [1, 2],
        epochs: 2,
        stepsPerEpoch: 5,
        annealStrategy: 'linear',
        cycleMomentum: true,
      }),
    );
    expect(opt.groups.map((g) => g.lr)).toEqual([0.04, 0.08]);
    expect(opt.groups.map((g) => g.momentum)).toEqual([0.95, 0.95]);
    scheduler.step();
    expect(opt.groups[0]!.lr).toBeCloseTo(0.52, 15); // linear: 0.04 + 0.96·(1/2)
    expect(opt.groups[1]!.lr).toBeCloseTo(1.04, 15);
    expect(opt.groups[0]!.momentum).toBeCloseTo(0.9, 15);
  });

  it('sequential: warmup, then cosine from the milestone', () => {
    const s = sequentialSchedule(
      [linearSchedule({ startFactor: 0.5, totalSteps: 2 }), cosineSchedule({ tMax: 2 })],
      [2],
    );
    const r = rates(s, 5);
    expect(r[0]).toBeCloseTo(0.05, 15);
    expect(r[1]).toBeCloseTo(0.075, 15);
    expect(r[2]).toBeCloseTo(0.1, 15); // the cosine's step 0
    expect(r[3]).toBeCloseTo(0.05, 15);
    expect(r[4]).toBeCloseTo(0, 15);
  });

  it('one schedule per group, each from its own base rate', () => {
    const opt = new SGD([
      { params: [param()], lr: 1 },
      { params: [param()], lr: 0.5 },
    ]);
    const scheduler = new LrScheduler(opt, [
      stepSchedule({ stepSize: 1, gamma: 0.5 }),
      cosineSchedule({ tMax: 1 }),
    ]);
    scheduler.step();
    expect(scheduler.lastLr()).toEqual([0.5, 0]);
    expect(() => new LrScheduler(opt, [stepSchedule({ stepSize: 1 })])).toThrow(
      /1 schedules for 2 parameter groups/,
    );
  });
});

describe('scheduler state', () => {
  it('resumes at the saved step with the saved base rates', () => {
    const make = () => {
      const opt = new SGD([param()], { lr: 0.3 });
      return { opt, scheduler: new LrScheduler(opt, cosineSchedule({ tMax: 10 })) };
    };
    const a = make();
    for (let t = 0; t < 4; t++) a.scheduler.step();
    const saved = JSON.parse(JSON.stringify(a.scheduler.stateDict()));
    expect(saved).toEqual({ schedule: 'cosine', stepCount: 4, baseLrs: [0.3] });
    const b = make();
    b.opt.groups[0]!.lr = 123; // whatever the optimiser says, the scheduler's state decides
    b.scheduler.loadStateDict(saved);
    expect(b.opt.groups[0]!.lr).toBe(a.opt.groups[0]!.lr);
    a.scheduler.step();
    b.scheduler.step();
    expect(b.scheduler.lastLr()).toEqual(a.scheduler.lastLr());
  });

  it('refuses the state of another schedule', () => {
    const opt = new SGD([param()]);
    const scheduler = new LrScheduler(opt, stepSchedule({ stepSize: 2 }));
    expect(() => scheduler.loadStateDict({ schedule: 'cosine', stepCount: 1, baseLrs: [0.1] })).toThrow(
      ValidationError,
    );
    expect(() => scheduler.loadStateDict({ schedule: 'step', stepCount: -1, baseLrs: [0.1, 0.2] })).toThrow(
      /stepCount.*baseLrs/s,
    );
  });

  it('validates schedule options', () => {
    expect(() => stepSchedule({ stepSize: 0 })).toThrow(/positive integer/);
    expect(() => oneCycleSchedule({ maxLr: 1 })).toThrow(/totalSteps, or epochs and stepsPerEpoch/);
    expect(() => oneCycleSchedule({ maxLr: 1, totalSteps: 10, pctStart: 0.1 })).toThrow(
      /phase 1 of the cycle is empty/,
    );
    expect(() => sequentialSchedule([stepSchedule({ stepSize: 1 })], [3])).toThrow(/milestones/);
    const perGroup = oneCycleSchedule({ maxLr: [1], totalSteps: 10 });
    expect(() => new LrScheduler(new SGD([{ params: [param()] }, { params: [param()] }]), perGroup)).toThrow(
      /none for parameter group 1/,
    );
  });
});

import {
  Adam,
  AdamW,
  createRuntime,
  DTypeError,
  decodeSafetensors,
  definePlugin,
  encodeSafetensors,
  type GroupOptions,
  Linear,
  LrScheduler,
  type Optimizer,
  oneCycleSchedule,
  Parameter,
  paramGroups,
  Rng,
  SGD,
  type Tensor,
  ValidationError,
} from '@neurite/kernel';
import { describe, expect, it, vi } from 'vitest';

const rt = createRuntime({ seed: 3 });

/** A float64 scalar parameter: hand-derived numbers are then exact to double precision. */
const scalarParam = (value: number) => new Parameter(rt.scalar(value, { dtype: 'float64' }));

/** Runs `optimizer` over fixed gradients for a single scalar parameter, returning the values after each step. */
function trajectory(param: Tensor, optimizer: Optimizer<GroupOptions>, grads: number[]): number[] {
  return grads.map((g) => {
    param.grad = rt.scalar(g, { dtype: param.dtype });
    optimizer.step();
    return param.itemSync();
  });
}

describe('SGD, derived by hand', () => {
  it('momentum with dampening and weight decay (3 steps)', () => {
    // lr 0.1, momentum 0.9, dampening 0.1, weight decay 0.1, p0 = 1, gradients 0.5, −0.25, 1.
    // 1: d = 0.5 + 0.1·1 = 0.6; b = d (first step, no dampening) = 0.6; p = 1 − 0.06 = 0.94
    // 2: d = −0.25 + 0.094 = −0.156; b = 0.9·0.6 + 0.9·(−0.156) = 0.3996; p = 0.94 − 0.03996 = 0.90004
    // 3: d = 1 + 0.090004 = 1.090004; b = 0.9·0.3996 + 0.9·1.090004 = 1.3406436; p = 0.76597564
    const p = scalarParam(1);
    const opt = new SGD([p], { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 0.1 });
    const values = trajectory(p, opt, [0.5, -0.25, 1]);
    expect(values[0]).toBeCloseTo(0.94, 14);
    expect(values[1]).toBeCloseTo(0.90004, 14);
    expect(values[2]).toBeCloseTo(0.76597564, 14);
    expect(opt.stateOf(p)!.tensors.momentum_buffer!.itemSync()).toBeCloseTo(1.3406436, 14);
  });

  it('Nesterov momentum (3 steps)', () => {
    // lr 0.1, momentum 0.9; b = 0.9·b + d, step along d + 0.9·b.
    // 1: b = 0.5, step 0.5 + 0.45 = 0.95, p = 0.905
    // 2: b = 0.45 − 0.25 = 0.2, step −0.25 + 0.18 = −0.07, p = 0.912
    // 3: b = 0.18 + 1 = 1.18, step 1 + 1.062 = 2.062, p = 0.7058
    const p = scalarParam(1);
    const values = trajectory(p, new SGD([p], { lr: 0.1, momentum: 0.9, nesterov: true }), [0.5, -0.25, 1]);
    expect(values[0]).toBeCloseTo(0.905, 14);
    expect(values[1]).toBeCloseTo(0.912, 14);
    expect(values[2]).toBeCloseTo(0.7058, 14);
  });

  it('plain steps and maximisation', () => {
    const p = scalarParam(1);
    expect(trajectory(p, new SGD([p], { lr: 0.5 }), [0.2, 0.4])).toEqual([0.9, 0.7]);
    const q = scalarParam(1);
    expect(trajectory(q, new SGD([q], { lr: 0.5, maximize: true }), [0.2])).toEqual([1.1]);
  });
});

describe('Adam and AdamW, derived by hand', () => {
  it('Adam with bias correction (2 steps)', () => {
    // lr 0.1, β = (0.9, 0.999), eps 1e-8, p0 = 1, gradients 0.5, −0.25.
    // 1: m = 0.05, v = 0.00025; m̂ = m/0.1 = 0.5, v̂ = v/0.001 = 0.25; p = 1 − 0.1·0.5/(0.5 + 1e-8) = 0.900000002
    // 2: m = 0.045 − 0.025 = 0.02, v = 0.00024975 + 0.0000625 = 0.00031225;
    //    m̂ = 0.02/0.19 = 0.1052632, v̂ = 0.00031225/0.001999 = 0.1562031, √v̂ = 0.3952254;
    //    p = 0.900000002 − 0.1·0.1052632/0.3952254 = 0.8733663
    const p = scalarParam(1);
    const opt = new Adam([p], { lr: 0.1 });
    const values = trajectory(p, opt, [0.5, -0.25]);
    expect(values[0]).toBeCloseTo(0.900000002, 12);
    expect(values[1]).toBeCloseTo(0.8733663, 7);
    expect(values[1]).toBeCloseTo(0.8733662987078462, 14);
    const state = opt.stateOf(p)!;
    expect(state.step).toBe(2);
    expect(state.tensors.exp_avg!.itemSync()).toBeCloseTo(0.02, 15);
    expect(state.tensors.exp_avg_sq!.itemSync()).toBeCloseTo(0.00031225, 15);
  });

  it('Adam adds weight decay to the gradient; AdamW shrinks the parameter first', () => {
    // Adam, wd 0.5: g = 0.5 + 0.5·1 = 1 → m̂ = 1, v̂ = 1 → p = 1 − 0.1/(1 + 1e-8) = 0.900000001
    const p = scalarParam(1);
    expect(trajectory(p, new Adam([p], { lr: 0.1, weightDecay: 0.5 }), [0.5])[0]).toBeCloseTo(
      0.900000001,
      14,
    );
    // AdamW, wd 0.5: p = 1·(1 − 0.1·0.5) = 0.95, then the Adam step of 0.1·0.5/(0.5 + 1e-8) → 0.850000002
    const q = scalarParam(1);
    expect(trajectory(q, new AdamW([q], { lr: 0.1, weightDecay: 0.5 }), [0.5])[0]).toBeCloseTo(
      0.850000002,
      14,
    );
  });

  it('AMSGrad normalises by the largest second moment seen', () => {
    // Gradients 1, 0: v = 0.001 then 0.000999, so AMSGrad keeps 0.001.
    // 2: m̂ = 0.09/0.19, v̂ = 0.001/0.001999 → p = 0.900000001 − 0.1·0.4736842/0.7072836 = 0.8330277 (0.8329942 without)
    const p = scalarParam(1);
    const opt = new Adam([p], { lr: 0.1, amsgrad: true });
    expect(trajectory(p, opt, [1, 0])[1]).toBeCloseTo(0.8330276878258662, 14);
    expect(opt.stateOf(p)!.tensors.max_exp_avg_sq!.itemSync()).toBeCloseTo(0.001, 15);
    const q = scalarParam(1);
    expect(trajectory(q, new Adam([q], { lr: 0.1 }), [1, 0])[1]).toBeCloseTo(0.8329941765341885, 14);
  });
});

// ------------------------------------------------------------------ an independent scalar re-implementation

interface RefOptions {
  kind: 'sgd' | 'adam' | 'adamw';
  lr: number;
  weightDecay: number;
  momentum?: number;
  dampening?: number;
  nesterov?: boolean;
  betas?: [number, number];
  eps?: number;
  amsgrad?: boolean;
  maximize?: boolean;
}

/**
 * The update rules as PyTorch's documentation states them (its algorithm boxes), one element at a
 * time. `round` stores a value at the parameter's precision (Math.fround for float32).
 */
function referenceStep(
  p: number[],
  g: number[],
  state: { t: number; m: number[]; v: number[]; vMax: number[]; b: number[] | null },
  o: RefOptions,
  round: (x: number) => number,
): void {
  state.t += 1;
  for (let i = 0; i < p.length; i++) {
    let grad = o.maximize ? -g[i]! : g[i]!;
    if (o.kind === 'sgd') {
      if (o.weightDecay) grad = grad + o.weightDecay * p[i]!;
      const mu = o.momentum ?? 0;
      if (mu !== 0) {
        if (state.b === null) state.b = new Array(p.length).fill(0);
        state.b[i] = round(state.t > 1 ? mu * state.b[i]! + (1 - (o.dampening ?? 0)) * grad : grad);
        grad = o.nesterov ? grad + mu * state.b[i]! : state.b[i]!;
      }
      p[i] = round(p[i]! - o.lr * grad);
      continue;
    }
    const [b1, b2] = o.betas ?? [0.9, 0.999];
    let theta = p[i]!;
    if (o.kind === 'adamw') theta = theta - o.lr * o.weightDecay * theta;
    else if (o.weightDecay) grad = grad + o.weightDecay * theta;
    state.m[i] = round(b1 * state.m[i]! + (1 - b1) * grad);
    state.v[i] = round(b2 * state.v[i]! + (1 - b2) * grad * grad);
    const mHat = state.m[i]! / (1 - b1 ** state.t);
    let second = state.v[i]!;
    if (o.amsgrad) second = state.vMax[i] = Math.max(state.vMax[i]!, second);
    const vHat = second / (1 - b2 ** state.t);
    p[i] = round(theta - (o.lr * mHat) / (Math.sqrt(vHat) + (o.eps ?? 1e-8)));
  }
}

/** A gradient that depends on the parameter (a quadratic pull plus drift), so errors cannot hide. */
function gradientAt(p: ArrayLike<number>, t: number): number[] {
  return Array.from(
    p,
    (x, i) => (0.5 + 0.25 * Math.cos(i)) * (x - 0.2 * Math.sin(0.5 * i)) + 0.3 * Math.sin(0.7 * t + 1.3 * i),
  );
}

function makeOptimizer(o: RefOptions, params: Tensor[]): Optimizer<GroupOptions> {
  const { kind, ...rest } = o;
  return kind === 'sgd'
    ? new SGD(params, rest)
    : kind === 'adam'
      ? new Adam(params, rest)
      : new AdamW(params, rest);
}

const REFERENCE_CASES: RefOptions[] = [
  { kind: 'sgd', lr: 0.05, weightDecay: 0.01, momentum: 0.9, dampening: 0.2 },
  { kind: 'sgd', lr: 0.05, weightDecay: 0.001, momentum: 0.8, nesterov: true, maximize: false },
  { kind: 'adam', lr: 0.01, weightDecay: 0.02, betas: [0.85, 0.995], eps: 1e-6, amsgrad: true },
  { kind: 'adam', lr: 0.01, weightDecay: 0, maximize: true },
  { kind: 'adamw', lr: 0.02, weightDecay: 0.1 },
  { kind: 'adamw', lr: 0.02, weightDecay: 0.05, amsgrad: true },
];

describe('against an independent scalar re-implementation, 300 steps', () => {
  for (const dtype of ['float64', 'float32'] as const) {
    for (const o of REFERENCE_CASES) {
      it(`${o.kind} ${JSON.stringify(o)} in ${dtype}`, () => {
        const round = dtype === 'float32' ? Math.fround : (x: number) => x;
        const initial = Array.from({ length: 7 }, (_, i) => round(Math.sin(0.37 * i + 1)));
        const param = new Parameter(rt.tensor(initial, { dtype }));
        const opt = makeOptimizer(o, [param]);
        const ref = [...initial];
        const state = { t: 0, m: ref.map(() => 0), v: ref.map(() => 0), vMax: ref.map(() => 0), b: null };
        let worst = 0;
        for (let t = 0; t < 300; t++) {
          param.grad = rt.tensor(gradientAt(param.dataSync(), t), { dtype });
          opt.step();
          referenceStep(ref, gradientAt(ref, t).map(round), state, o, round);
          const got = param.dataSync();
          for (let i = 0; i < ref.length; i++)
            worst = Math.max(worst, Math.abs(got[i]! - ref[i]!) / Math.max(1, Math.abs(ref[i]!)));
        }
        // Double precision agrees to the last bits (the formulas are arranged differently); single
        // precision, where both round state to float32 the same way, to well below one float32 ulp.
        expect(worst).toBeLessThan(dtype === 'float64' ? 1e-14 : 1e-7);
      });
    }
  }
});

// ------------------------------------------------------------------ state, resume, groups, dispatch

describe('optimizer state', () => {
  /** Trains a small model for `steps` steps from `start`, with the gradient of a fixed loss. */
  function train(
    model: Linear,
    opt: Optimizer<GroupOptions>,
    scheduler: LrScheduler,
    from: number,
    to: number,
  ): void {
    const x = rt.randn([16, 6], { rng: new Rng(11) });
    for (let t = from; t < to; t++) {
      opt.zeroGrad();
      model
        .forward(x.mul(Math.cos(t)))
        .square()
        .mean()
        .backward();
      opt.step();
      scheduler.step();
    }
  }

  for (const kind of ['sgd', 'adam-amsgrad', 'adamw'] as const) {
    it(`${kind}: resuming from a saved state (through safetensors bytes) is bit-identical`, async () => {
      const make = () => new Linear(rt, { inFeatures: 6, outFeatures: 3 });
      const build = (model: Linear) => {
        const groups = paramGroups(model, [{ match: '*bias', lr: 0.05 }]);
        const opt =
          kind === 'sgd'
            ? new SGD(groups, { lr: 0.1, momentum: 0.9, dampening: 0.1, weightDecay: 1e-3 })
            : kind === 'adamw'
              ? new AdamW(groups, { lr: 0.01 })
              : new Adam(groups, { lr: 0.01, amsgrad: true, weightDecay: 1e-3 });
        return {
          opt,
          scheduler: new LrScheduler(opt, oneCycleSchedule({ maxLr: [0.05, 0.02], totalSteps: 40 })),
        };
      };
      const initial = make();
      const snapshot = new Map([...initial.stateDict()].map(([k, t]) => [k, t.detach()]));

      // Uninterrupted: 40 steps.
      const a = make();
      a.loadStateDict(snapshot);
      const runA = build(a);
      train(a, runA.opt, runA.scheduler, 0, 40);

      // Interrupted at step 17: save model, optimiser and scheduler; restore into fresh objects.
      const b = make();
      b.loadStateDict(snapshot);
      const runB = build(b);
      train(b, runB.opt, runB.scheduler, 0, 17);
      const saved = runB.opt.stateDict();
      const bytes = await encodeSafetensors(
        new Map([
          ...[...b.stateDict()].map(([k, t]) => [`model.${k}`, t] as const),
          ...[...saved.tensors].map(([k, t]) => [`optimizer.${k}`, t] as const),
        ]),
        { optimizer: JSON.stringify(saved.scalars), scheduler: JSON.stringify(runB.scheduler.stateDict()) },
      );
      const loaded = decodeSafetensors(bytes, rt);
      const c = make();
      const runC = build(c);
      const section = (prefix: string) =>
        new Map(
          [...loaded.tensors]
            .filter(([k]) => k.startsWith(prefix))
            .map(([k, t]) => [k.slice(prefix.length), t]),
        );
      c.loadStateDict(section('model.'));
      runC.opt.loadStateDict({
        tensors: section('optimizer.'),
        scalars: JSON.parse(loaded.metadata.optimizer!),
      });
      runC.scheduler.loadStateDict(JSON.parse(loaded.metadata.scheduler!));
      train(c, runC.opt, runC.scheduler, 17, 40);

      for (const [name, t] of a.stateDict()) {
        expect(Buffer.from(c.stateDict().get(name)!.dataSync().buffer), name).toEqual(
          Buffer.from(t.dataSync().buffer),
        );
      }
      expect(runC.opt.groups.map((g) => g.lr)).toEqual(runA.opt.groups.map((g) => g.lr));
      // Without the optimiser state the run differs (the test can fail).
      const d = make();
      d.loadStateDict(section('model.'));
      const runD = build(d);
      runD.scheduler.loadStateDict(JSON.parse(loaded.metadata.scheduler!));
      train(d, runD.opt, runD.scheduler, 17, 40);
      expect(d.stateDict().get('weight')!.dataSync()).not.toEqual(a.stateDict().get('weight')!.dataSync());
    });
  }

  it('saves step counts, group options and PyTorch-named state tensors', () => {
    const p = new Parameter(rt.randn([2, 2]));
    const q = new Parameter(rt.randn([3]));
    const opt = new Adam([{ params: [p] }, { params: [q], lr: 0.5, amsgrad: true }], { lr: 0.1 });
    p.grad = rt.ones([2, 2]);
    opt.step();
    const { tensors, scalars } = opt.stateDict();
    expect([...tensors.keys()].sort()).toEqual(['0.exp_avg', '0.exp_avg_sq']);
    expect(scalars.kind).toBe('adam');
    expect(scalars.steps).toEqual({ 0: 1 });
    expect(scalars.groups.map((g) => [g.lr, g.amsgrad, g.params])).toEqual([
      [0.1, false, [0]],
      [0.5, true, [1]],
    ]);
    expect(JSON.parse(JSON.stringify(scalars))).toEqual(scalars);
  });

  it('refuses a state of another kind, layout or shape, naming the problem', () => {
    const p = new Parameter(rt.randn([2]));
    const adam = new Adam([p]);
    p.grad = rt.ones([2]);
    adam.step();
    const state = adam.stateDict();
    expect(() => new SGD([new Parameter(rt.randn([2]))]).loadStateDict(state)).toThrow(
      /kind: expected sgd, found adam/,
    );
    expect(() => new Adam([new Parameter(rt.randn([3]))]).loadStateDict(state)).toThrow(
      /expected float32 \[3\], found float32 \[2\]/,
    );
    const missing = { ...state, tensors: new Map([...state.tensors].filter(([k]) => k !== '0.exp_avg')) };
    expect(() => new Adam([new Parameter(rt.randn([2]))]).loadStateDict(missing)).toThrow(/lacks exp_avg/);
    expect(() => new Adam([new Parameter(rt.randn([2]))]).loadStateDict(state)).not.toThrow();
    const garbage = { tensors: new Map(), scalars: JSON.parse('{"kind":"adam","groups":[{}]}') };
    expect(() => new Adam([new Parameter(rt.randn([2]))]).loadStateDict(garbage)).toThrow(ValidationError);
  });
});

describe('parameter groups', () => {
  it('splits a module by globs on dotted names; unmatched parameters form the first group', () => {
    const model = new Linear(rt, { inFeatures: 3, outFeatures: 2 });
    const groups = paramGroups(model, [{ match: '*bias', lr: 0.5, weightDecay: 0 }]);
    expect(groups).toHaveLength(2);
    expect(groups[0]!.params).toEqual([model.namedParameters().find(([n]) => n === 'weight')![1]]);
    expect(groups[1]).toMatchObject({ lr: 0.5, weightDecay: 0 });
    const opt = new AdamW(groups, { lr: 0.01 });
    expect(opt.groups.map((g) => [g.lr, g.weightDecay])).toEqual([
      [0.01, 0.01],
      [0.5, 0],
    ]);
  });

  it('matches the whole dotted name, * across dots, first rule wins', () => {
    const named: [string, Tensor][] = [
      ['layers.0.delay.positions', new Parameter(rt.zeros([2]))],
      ['layers.1.delay.positions', new Parameter(rt.zeros([2]))],
      ['layers.1.weight', new Parameter(rt.zeros([2]))],
      ['positionsx', new Parameter(rt.zeros([2]))],
    ];
    const groups = paramGroups(named, [
      { match: '*.positions', lr: 0.1 },
      { match: ['layers.?.*'], lr: 0.2 },
    ]);
    expect(groups.map((g) => [g.lr, g.params.length])).toEqual([
      [undefined, 1],
      [0.1, 2],
      [0.2, 1],
    ]);
  });

  it('reports a rule that matches nothing (a config typo) unless told not to', () => {
    const model = new Linear(rt, { inFeatures: 3, outFeatures: 2 });
    expect(() => paramGroups(model, [{ match: '*.postions', lr: 0.1 }])).toThrow(ValidationError);
    expect(() => paramGroups(model, [{ match: '*.postions', lr: 0.1 }])).toThrow(/names: weight, bias/);
    expect(paramGroups(model, [{ match: '*.postions', lr: 0.1 }], { strict: false })).toHaveLength(1);
  });

  it('refuses a parameter in two groups, bad options and non-float parameters', () => {
    const p = new Parameter(rt.zeros([2]));
    expect(() => new SGD([{ params: [p] }, { params: [p] }])).toThrow(/more than one parameter group/);
    expect(() => new SGD([p], { lr: -1 })).toThrow(/groups\[0\]\.lr: must be ≥ 0/);
    expect(() => new SGD([p], { nesterov: true })).toThrow(/nesterov: needs momentum > 0/);
    expect(() => new Adam([p], { betas: [0.9, 1] })).toThrow(/betas/);
    expect(() => new SGD([rt.zeros([2], { dtype: 'int32' })])).toThrow(DTypeError);
    expect(() => new SGD([])).toThrow(/no parameters/);
    // An option spelled out as undefined takes the default, as one left out does.
    expect(
      new SGD([{ params: [p], weightDecay: undefined as unknown as number }], { weightDecay: 0.5 }).groups[0]!
        .weightDecay,
    ).toBe(0.5);
  });
});

describe('stepping', () => {
  it('skips parameters without a gradient and clears gradients with zeroGrad', () => {
    const p = new Parameter(rt.ones([2]));
    const q = new Parameter(rt.ones([2]));
    const opt = new SGD([p, q], { lr: 1 });
    p.grad = rt.ones([2]);
    opt.step();
    expect(p.dataSync()).toEqual(new Float32Array([0, 0]));
    expect(q.dataSync()).toEqual(new Float32Array([1, 1]));
    expect(opt.stateOf(q)).toBeUndefined();
    opt.zeroGrad();
    expect(p.grad).toBeNull();
  });

  it('runs exactly one fused kernel per parameter per step', () => {
    const params = [
      new Parameter(rt.randn([3, 3])),
      new Parameter(rt.randn([3])),
      new Parameter(rt.randn([5])),
    ];
    for (const opt of [
      new Adam(params, { amsgrad: true }),
      new SGD(params, { momentum: 0.9 }),
      new AdamW(params),
    ]) {
      const setGrads = () => {
        for (const p of params) p.grad = rt.ones(p.shape);
      };
      setGrads();
      opt.step(); // the first step also creates the zero state
      setGrads();
      const spy = vi.spyOn(rt, 'run');
      opt.step();
      expect(spy.mock.calls.map((c) => c[0])).toEqual(
        params.map(() => (opt instanceof SGD ? 'sgd_update' : 'adam_update')),
      );
      spy.mockRestore();
    }
  });

  it("lets a backend override the fused update, keeping the state on the parameter's backend", async () => {
    const local = createRuntime();
    const calls: string[] = [];
    local.use(
      definePlugin({
        name: 'test-host-backend',
        version: '1.0.0',
        apiVersion: '^1.0.0',
        setup(ctx) {
          ctx.register('backend', {
            name: 'host2',
            create: () => ({
              name: 'host2',
              hostMemory: true,
              fromHost: (d) => d.slice(),
              read: async (h) => (h as Float32Array).slice(),
              readSync: (h) => (h as Float32Array).slice(),
            }),
          });
          const cpu = ctx.runtime.registry('kernel').require('adam_update@cpu').fn;
          ctx.kernel('adam_update', 'host2', (call) => {
            calls.push('adam_update@host2');
            return cpu(call);
          });
        },
      }),
    );
    await local.setBackend('host2');
    const p = new Parameter(local.randn([4]));
    const opt = new Adam([p]);
    p.grad = local.ones([4]);
    opt.step();
    expect(calls).toEqual(['adam_update@host2']);
    expect(p.backend).toBe('host2');
    expect(opt.stateOf(p)!.tensors.exp_avg!.backend).toBe('host2');
  });
});

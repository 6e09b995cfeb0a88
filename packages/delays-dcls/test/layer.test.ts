import { buildModel, fromModelGraph, Parameter, toModelGraph, ValidationError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { Dcls1d } from '../src/layers/dcls1d.js';
import { decayEpochs, sigmaAfter, sigmaDecayFactor } from '../src/layers/sigma-schedule.js';
import { maxAbsDiff, runtime } from './helpers.js';

describe('σ schedule', () => {
  it('SHD: SIG 12 → 0.23 over 150 // 4 = 37 epochs with α ≈ 0.8986, then stays', () => {
    const o = { sigInit: 12, sigFinal: 0.23, decayFraction: 0.25 };
    expect(decayEpochs(150, 0.25)).toBe(37);
    expect(sigmaDecayFactor(o, 150)).toBeCloseTo(0.8986, 4);
    // The reference multiplies once per epoch while epoch < final_epoch.
    let sig = 12;
    for (let e = 0; e < 150; e++) {
      if (e < 37 && sig > 0.23) sig *= sigmaDecayFactor(o, 150);
      expect(sigmaAfter(o, e + 1, 150)).toBeCloseTo(sig, 9);
    }
    expect(sigmaAfter(o, 37, 150)).toBe(0.23);
    expect(sigmaAfter(o, 0, 150)).toBe(12);
  });

  it('does not decay a SIG already at or below its final value, nor with no decay epochs', () => {
    expect(sigmaAfter({ sigInit: 0.23, sigFinal: 0.23, decayFraction: 0.25 }, 5, 100)).toBe(0.23);
    expect(sigmaAfter({ sigInit: 12, sigFinal: 0.23, decayFraction: 0.25 }, 2, 3)).toBe(12);
  });
});

describe('dcls1d layer', () => {
  const rt = runtime(3);
  const base = { inFeatures: 6, outFeatures: 4, kernelSize: 9 };

  it('initialises as the reference: kaiming-uniform weights, positions in [−lim, lim], SIG = ⌊K/2⌋', () => {
    const layer = new Dcls1d(rt, { inFeatures: 140, outFeatures: 256, kernelSize: 25 });
    const w = layer.weight.dataSync();
    const bound = Math.sqrt(6 / 140);
    expect(Math.max(...Array.from(w, Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...Array.from(w, Math.abs))).toBeGreaterThan(0.95 * bound);
    const p = Array.from(layer.positions.dataSync());
    expect(Math.min(...p)).toBe(-12);
    expect(Math.max(...p)).toBeLessThanOrEqual(12);
    // U[−13, 12] clamped: about 1/25 of the positions sit at −12.
    const atEdge = p.filter((v) => v === -12).length / p.length;
    expect(atEdge).toBeGreaterThan(0.025);
    expect(atEdge).toBeLessThan(0.055);
    expect(layer.sig.itemSync()).toBe(12);
    expect(layer.trainableCount()).toEqual({ weights: 140 * 256, positions: 140 * 256 });
  });

  it('clamps positions after a step and decays SIG per epoch', () => {
    const layer = new Dcls1d(rt, base);
    layer.positions.assign(
      rt.fromArray(
        Float32Array.from({ length: 24 }, (_, k) => (k % 2 ? 9 : -7.5)),
        [4, 6],
      ),
    );
    layer.onStepEnd();
    expect(new Set(layer.positions.dataSync())).toEqual(new Set([4, -4]));
    layer.onEpochEnd(1, 8);
    expect(layer.sig.itemSync()).toBeCloseTo(4 * (0.23 / 4) ** 0.5, 6); // 8 // 4 = 2 decay epochs: 4 → 0.96 → 0.23
    layer.onEpochEnd(2, 8);
    expect(layer.sig.itemSync()).toBeCloseTo(0.23, 6);
    layer.onEpochEnd(1, 20);
    expect(layer.sig.itemSync()).toBeCloseTo(4 * (0.23 / 4) ** (1 / 5), 6);
  });

  it('random delays: integer positions, frozen (no gradient), same weights and names as learned', () => {
    const learned = new Dcls1d(rt, { ...base, delays: 'learned' });
    const random = new Dcls1d(rt, { ...base, delays: 'random' });
    expect([...random.stateDict().keys()]).toEqual([...learned.stateDict().keys()]);
    expect(random.positions.requiresGrad).toBe(false);
    expect(Array.from(random.positions.dataSync()).every(Number.isInteger)).toBe(true);
    expect(random.trainableCount()).toEqual({ weights: 24, positions: 0 });
    const x = rt.rand([10, 2, 6]).lt(0.3).cast('float32');
    random.forward(x).sum().backward();
    expect(random.positions.grad).toBeNull();
    expect(random.weight.grad).not.toBeNull();
    const before = random.positions.dataSync().slice();
    random.onStepEnd();
    random.onEpochEnd(1, 4);
    expect(random.positions.dataSync()).toEqual(before);
    expect(random.sig.itemSync()).toBe(0);
  });

  it('no delays: no temporal spread — the output at t is W·x[t] (and zero past T)', () => {
    const layer = new Dcls1d(rt, { ...base, delays: 'none' });
    const x = rt.randn([10, 3, 6]);
    const y = layer.forward(x);
    expect(y.shape).toEqual([14, 3, 4]);
    const direct = x.matmul(layer.weight, { transB: true }).pad([
      [0, 4],
      [0, 0],
      [0, 0],
    ]);
    expect(maxAbsDiff(y.dataSync(), direct.dataSync())).toBeLessThan(1e-5);
  });

  it('rounded-delay inference equals the input shifted by lim − round(p), scaled by the weight', () => {
    const layer = new Dcls1d(rt, { inFeatures: 1, outFeatures: 3, kernelSize: 9 });
    layer.positions.assign(rt.tensor([[2.4], [-3.6], [0.5]]));
    layer.weight.assign(rt.tensor([[0.5], [-2], [1.25]]));
    const T = 12;
    const xs = Float32Array.from({ length: T }, (_, t) => ((t * 7) % 5) - 1.5);
    const y = layer
      .eval()
      .forward(rt.fromArray(xs, [T, 1, 1]))
      .dataSync();
    const { weight, delay } = layer.delayLine();
    expect(Array.from(delay.dataSync())).toEqual([2, 8, 4]); // lim = 4; round(0.5) = 0 (half to even)
    for (let o = 0; o < 3; o++) {
      const d = delay.dataSync()[o]!;
      for (let t = 0; t < T + 4; t++) {
        const expected = t - d >= 0 && t - d < T ? weight.dataSync()[o]! * xs[t - d]! : 0;
        expect(Math.abs(y[t * 3 + o]! - expected)).toBeLessThanOrEqual(
          1e-6 * Math.max(1, Math.abs(expected)),
        );
      }
    }
    // In training mode the Gaussian of width SIG = 4 spreads the same input over many steps.
    const spread = layer
      .train()
      .forward(rt.fromArray(xs, [T, 1, 1]))
      .dataSync();
    expect(maxAbsDiff(spread, y)).toBeGreaterThan(0.1);
  });

  it("'as-trained' inference keeps the training kernel in eval mode; the mode can be switched", () => {
    const layer = new Dcls1d(rt, { ...base, inference: 'as-trained' });
    const x = rt.randn([8, 2, 6]);
    const a = layer.train().forward(x).dataSync();
    const b = layer.eval().forward(x).dataSync();
    expect(maxAbsDiff(a, b)).toBe(0);
    layer.inference = 'rounded';
    expect(layer.describe().options).toMatchObject({ inference: 'rounded' });
    expect(maxAbsDiff(layer.forward(x).dataSync(), b)).toBeGreaterThan(0.01);
  });

  it('learned positions get gradients through the layer', () => {
    const layer = new Dcls1d(rt, base);
    layer
      .forward(rt.rand([12, 2, 6]).lt(0.3).cast('float32'))
      .square()
      .sum()
      .backward();
    expect(layer.positions.grad?.shape).toEqual([4, 6]);
    expect(Math.max(...Array.from(layer.positions.grad!.dataSync(), Math.abs))).toBeGreaterThan(0);
    expect(layer.positions).toBeInstanceOf(Parameter);
  });

  it('round-trips through the graph form (spec and state, SIG included)', () => {
    const model = buildModel(rt, {
      type: 'sequential',
      layers: [{ type: 'dcls1d', ...base, inference: 'as-trained' }],
    });
    model.visit('onEpochEnd', 1, 20);
    const graph = toModelGraph(model);
    expect(graph.spec).toMatchObject({
      type: 'sequential',
      layers: [{ type: 'dcls1d', kernelSize: 9, delays: 'learned', truncate: 6 }],
    });
    const other = runtime(99);
    const copy = fromModelGraph(other, { spec: JSON.parse(JSON.stringify(graph.spec)), state: graph.state });
    const x = rt.randn([9, 2, 6]);
    const y = copy.eval().forward(other.fromArray(x.dataSync(), x.shape));
    expect(maxAbsDiff(model.eval().forward(x).dataSync(), y.dataSync())).toBe(0);
    expect(copy.stateDict().get('0.sig')?.itemSync()).toBeCloseTo(4 * (0.23 / 4) ** (1 / 5), 6);
  });

  it('validates its options with JSON paths', () => {
    expect(() => buildModel(rt, { type: 'dcls1d', inFeatures: 3, outFeatures: 2, kernelSize: 8 })).toThrow(
      ValidationError,
    );
    expect(() => buildModel(rt, { type: 'dcls1d', inFeatures: 3, outFeatures: 2, kernelSize: 8 })).toThrow(
      /kernelSize/,
    );
    expect(() =>
      buildModel(rt, { type: 'dcls1d', inFeatures: 3, outFeatures: 2, kernelSize: 5, delays: 'fixed' }),
    ).toThrow(/delays/);
  });
});

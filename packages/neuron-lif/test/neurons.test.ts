import {
  buildModel,
  type Module,
  NeuriteError,
  type Tensor,
  toModelGraph,
  ValidationError,
} from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import type { NeuronFamilyLayer } from '../src/neurons/family.js';
import { NeuronLayer, setStepMode } from '../src/neurons/layer.js';
import { closeness, runtime } from './helpers.js';

/** Runs a neuron node on one neuron of one sample: input values per step → [T] outputs and recording. */
function trace(spec: Record<string, unknown>, input: number[]) {
  const rt = runtime();
  const layer = buildModel(rt, spec) as NeuronLayer;
  layer.record = true;
  const out = layer.forward(rt.tensor(input, { shape: [input.length, 1, 1] }));
  const rec = layer.recordedStates();
  const flat = (t: Tensor | undefined) => (t ? Array.from(t.dataSync()) : undefined);
  return {
    out: flat(out),
    dtype: out.dtype,
    spikes: flat(rec.spikes),
    membrane: flat(rec.membrane),
    current: flat(rec.current),
    adaptation: flat(rec.adaptation),
  };
}

describe('hand-computed traces', () => {
  it('LIF, subtract reset: h = βv + x, spike when h > θ, v = h − θ', () => {
    const r = trace({ type: 'lif', beta: 0.5, threshold: 1 }, [0.625, 0.625, 0.625, 0.625]);
    // h: 0.625, 0.9375, 1.09375 (spike, v = 0.09375), 0.671875
    expect(r.spikes).toEqual([0, 0, 1, 0]);
    expect(r.membrane).toEqual([0.625, 0.9375, 1.09375, 0.671875]);
    expect(r.dtype).toBe('spike');
  });

  it('LIF, zero reset and no reset', () => {
    const zero = trace({ type: 'lif', beta: 0.5, threshold: 1, reset: 'zero' }, [0.625, 0.625, 0.625, 0.625]);
    expect(zero.membrane).toEqual([0.625, 0.9375, 1.09375, 0.625]);
    const none = trace({ type: 'lif', beta: 0.5, threshold: 1, reset: 'none' }, [0.625, 0.625, 0.625, 0.625]);
    expect(none.membrane).toEqual([0.625, 0.9375, 1.09375, 1.171875]);
    expect(none.spikes).toEqual([0, 0, 1, 1]);
    const toValue = trace(
      { type: 'lif', beta: 0.5, threshold: 1, reset: 'zero', vReset: -0.5 },
      [0.625, 0.625, 0.625, 0.625],
    );
    expect(toValue.membrane).toEqual([0.625, 0.9375, 1.09375, 0.375]);
  });

  it('LIF decay from tau and dt (Euler and exact), and decayInput', () => {
    expect(trace({ type: 'lif', tau: 2, dt: 1, threshold: 9 }, [1, 1]).membrane).toEqual([1, 1.5]);
    const exact = trace({ type: 'lif', tau: 2, dt: 1, discretisation: 'exact', threshold: 9 }, [1, 0])
      .membrane!;
    expect(exact[1]).toBeCloseTo(Math.exp(-0.5), 6);
    expect(trace({ type: 'lif', beta: 0.5, decayInput: true, threshold: 9 }, [1, 1, 1]).membrane).toEqual([
      0.5, 0.75, 0.875,
    ]);
  });

  it('IF: no leak, and the threshold is strict (h = θ does not spike)', () => {
    const r = trace({ type: 'if', threshold: 1 }, [0.25, 0.25, 0.25, 0.25, 0.25, 0.25]);
    expect(r.membrane).toEqual([0.25, 0.5, 0.75, 1, 1.25, 0.5]);
    expect(r.spikes).toEqual([0, 0, 0, 0, 1, 0]);
  });

  it('current-based LIF: i = αi + x, h = βv + i', () => {
    const r = trace({ type: 'cuba-lif', alpha: 0.5, beta: 0.5, threshold: 0.75 }, [1, 0, 0, 0]);
    expect(r.current).toEqual([1, 0.5, 0.25, 0.125]);
    expect(r.membrane).toEqual([1, 0.625, 0.5625, 0.40625]);
    expect(r.spikes).toEqual([1, 0, 0, 0]);
  });

  it('adaptive LIF: θ_t = θ + κ·a_{t−1}, a_t = ρ·a_{t−1} + s_t', () => {
    const r = trace({ type: 'alif', beta: 0.5, threshold: 1, kappa: 0.5, rho: 0.5 }, [1.5, 1.5, 1.5, 1.5]);
    expect(r.spikes).toEqual([1, 1, 0, 1]);
    expect(r.membrane).toEqual([1.5, 1.75, 1.625, 2.3125]);
    expect(r.adaptation).toEqual([1, 1.5, 0.75, 1.375]);
  });

  it('leaky integrator readout (no spikes), with and without a synaptic current', () => {
    const li = trace({ type: 'li', beta: 0.5 }, [1, 1, 1, 1]);
    expect(li.out).toEqual([1, 1.5, 1.75, 1.875]);
    expect(li.dtype).toBe('float32');
    expect(li.spikes).toBeUndefined();
    expect(trace({ type: 'li', beta: 0.5, alpha: 0.5 }, [1, 1, 1, 1]).out).toEqual([1, 2, 2.75, 3.25]);
  });

  it('a spiking layer can output its membrane instead of its spikes', () => {
    expect(trace({ type: 'lif', beta: 0.5, output: 'membrane' }, [0.625, 0.625, 0.625]).out).toEqual([
      0.625, 0.9375, 1.09375,
    ]);
  });
});

describe('options', () => {
  it('rejects beta together with tau, a negative Euler decay, and bad values, naming the path', () => {
    const rt = runtime();
    expect(() => buildModel(rt, { type: 'lif', beta: 0.9, tau: 2 })).toThrow(ValidationError);
    expect(() => buildModel(rt, { type: 'lif', tau: 0.5, dt: 1 })).toThrow(/model\.tau: Euler decay/);
    expect(() => buildModel(rt, { type: 'lif', beta: 1.5 })).toThrow(/model\.beta/);
    expect(() => buildModel(rt, { type: 'lif', reset: 'sideways' })).toThrow(/model\.reset/);
    expect(() =>
      buildModel(rt, { type: 'sequential', layers: [{ type: 'lif', surrogate: 'nope' }] }),
    ).toThrow(/model\.layers\.0\.surrogate\.type: unknown surrogate/);
  });

  it('exports to the graph form and rebuilds to the same model (learned β and θ per neuron)', () => {
    const rt = runtime(5);
    const spec = {
      type: 'sequential',
      layers: [
        { type: 'linear', inFeatures: 4, outFeatures: 3 },
        { type: 'lif', beta: 0.8, learn: ['beta', 'threshold'], paramShape: [3], surrogate: 'superspike' },
      ],
    };
    const model = buildModel(rt, spec);
    const graph = toModelGraph(model);
    expect([...graph.state.keys()].sort()).toEqual(['0.bias', '0.weight', '1.beta', '1.threshold']);
    expect((graph.spec as { layers: Record<string, unknown>[] }).layers[1]!.surrogate).toEqual({
      type: 'superspike',
      slope: 100,
    });
    const again = buildModel(rt, graph.spec);
    again.loadStateDict(graph.state);
    const x = rt.rand([6, 2, 4], { high: 2 });
    expect(Array.from(again.forward(x).dataSync())).toEqual(Array.from(model.forward(x).dataSync()));
  });

  it('learnable parameters receive gradients; per-channel parameters broadcast over positions', () => {
    const rt = runtime(6);
    const lif = buildModel(rt, {
      type: 'lif',
      learn: ['beta', 'threshold'],
      paramShape: [2, 1, 1],
    }) as NeuronFamilyLayer;
    expect(lif.beta!.shape).toEqual([2, 1, 1]);
    const x = rt.rand([5, 3, 2, 4, 4], { high: 1.5 });
    lif.forward(x).sum().backward();
    expect(lif.beta!.grad!.shape).toEqual([2, 1, 1]);
    expect(lif.threshold!.grad!.shape).toEqual([2, 1, 1]);
    expect(Math.abs(lif.threshold!.grad!.dataSync()[0]!)).toBeGreaterThan(0);
  });
});

describe('single-step (streaming) form', () => {
  const spec = {
    type: 'sequential',
    layers: [
      { type: 'linear', inFeatures: 5, outFeatures: 6 },
      { type: 'alif', beta: 0.7, threshold: 0.5, learn: ['beta', 'threshold'] },
      { type: 'linear', inFeatures: 6, outFeatures: 4 },
      { type: 'cuba-lif', beta: 0.8, alpha: 0.6, threshold: 0.4, reset: 'zero' },
      { type: 'linear', inFeatures: 4, outFeatures: 3 },
      { type: 'li', beta: 0.9 },
    ],
  };

  it('gives the same outputs, bit for bit, and the same gradients as the multi-step form', () => {
    const rt = runtime(8);
    const model = buildModel(rt, spec);
    const T = 9;
    const x = rt.rand([T, 2, 5], { high: 1.5 });
    const w = rt.randn([T, 2, 3]);
    const multi = model.forward(x);
    multi.mul(w).sum().backward();
    const gradsMulti = model.parameters().map((p) => p.grad!);
    for (const p of model.parameters()) p.grad = null;

    setStepMode(model, 'single');
    const steps: Tensor[] = [];
    for (let t = 0; t < T; t++) steps.push(model.forward(x.slice([t], [t + 1]).reshape([2, 5])));
    const stacked = steps.map((s) => s.reshape([1, 2, 3]));
    let loss = rt.scalar(0);
    for (const [t, s] of stacked.entries()) loss = loss.add(s.mul(w.slice([t], [t + 1])).sum());
    loss.backward();
    expect(steps.flatMap((s) => Array.from(s.dataSync()))).toEqual(Array.from(multi.dataSync()));
    for (const [k, p] of model.parameters().entries())
      expect(closeness(p.grad!, gradsMulti[k]!), `parameter ${k}`).toBeLessThan(1);
  });

  it('chunks with a carried state equal one call; resetState starts over', () => {
    const rt = runtime(9);
    const model = buildModel(rt, spec);
    const x = rt.rand([10, 2, 5], { high: 1.5 });
    const whole = Array.from(model.forward(x).dataSync());
    for (const [, m] of model.modules()) if (m instanceof NeuronLayer) m.carryState = true;
    const a = model.forward(x.slice([0], [4]));
    const b = model.forward(x.slice([4], [10]));
    expect([...a.dataSync(), ...b.dataSync()]).toEqual(whole);
    model.visit('resetState');
    expect(Array.from(model.forward(x).dataSync())).toEqual(whole);
  });

  it('a carried state of another batch size is an error that says to reset', () => {
    const rt = runtime(10);
    const model = buildModel(rt, spec) as Module;
    setStepMode(model, 'single');
    model.forward(rt.rand([2, 5]));
    expect(() => model.forward(rt.rand([3, 5]))).toThrow(NeuriteError);
    expect(() => model.forward(rt.rand([3, 5]))).toThrow(/resetState/);
  });
});

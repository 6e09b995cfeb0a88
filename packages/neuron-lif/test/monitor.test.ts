import { buildModel, Module, Parameter, type Sequential, type Tensor } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { dynamicConfidence } from '../src/inference/dynamic-confidence.js';
import { ActivityMonitor } from '../src/metrics/monitor.js';
import { runtime } from './helpers.js';

describe('activity monitor: spikes, synaptic operations, energy', () => {
  it('counts accumulates for spike inputs (exactly, per synapse reached) and MACs for real inputs', async () => {
    const rt = runtime(2);
    const model = buildModel(rt, {
      type: 'sequential',
      layers: [
        { type: 'linear', inFeatures: 4, outFeatures: 3 },
        { type: 'lif', beta: 0.5, threshold: 0.2 },
        { type: 'linear', inFeatures: 3, outFeatures: 2 },
        { type: 'li' },
      ],
    }) as Sequential;
    const monitor = new ActivityMonitor(rt, model);
    const T = 6;
    const B = 2;
    const spikesIn = rt.bernoulli(0.3, [T, B, 4]);
    const nIn = spikesIn.sum().dataSync()[0]!;
    const hidden = rt.noGrad(() => model.layers[1]!.forward(model.layers[0]!.forward(spikesIn)));
    model.visit('resetState');
    monitor.reset();
    rt.noGrad(() => model.forward(spikesIn));
    const nHidden = hidden.sum().dataSync()[0]!;
    const r = await monitor.report({ samples: B });
    expect(r.synapses.map((s) => [s.spikeInput, s.acs, s.macs])).toEqual([
      [true, nIn * 3, 0],
      [true, nHidden * 2, 0],
    ]);
    expect(r.neurons.map((n) => [n.spikes, n.neuronSteps])).toEqual([[nHidden, T * B * 3]]);
    expect(r.totals.synops).toBe(nIn * 3 + nHidden * 2);
    expect(r.energy.joules).toBeCloseTo((nIn * 3 + nHidden * 2) * 0.9e-12, 20);
    expect(r.energy.denseJoules).toBeCloseTo(T * B * (4 * 3 + 3 * 2) * 4.6e-12, 20);
    expect(r.perSample!.synops).toBe((nIn * 3 + nHidden * 2) / B);

    // Real-valued input: the first layer multiplies.
    monitor.reset();
    model.visit('resetState');
    rt.noGrad(() => model.forward(rt.rand([T, B, 4])));
    const real = await monitor.report();
    expect(real.synapses[0]!.spikeInput).toBe(false);
    expect(real.synapses[0]!.macs).toBe(T * B * 4 * 3);
    monitor.detach();
  });
});

/** A linear layer with fixed weights, for hand-checked Dynamic Confidence runs. */
class Fixed extends Module {
  w: Parameter;
  constructor(w: Tensor) {
    super();
    this.w = new Parameter(w);
  }
  forward(x: Tensor): Tensor {
    return x.matmul(this.w);
  }
}

describe('Dynamic Confidence', () => {
  it('stops each sample at its first confident step, drops it from the batch, and reports the steps', async () => {
    const rt = runtime();
    const lif = buildModel(rt, { type: 'lif', beta: 0.9, threshold: 1 });
    const model = new (class extends Module {
      layers = [
        new Fixed(
          rt.tensor([
            [5, 0],
            [0, 5],
          ]),
        ),
        lif,
      ];
      forward(x: Tensor): Tensor {
        return this.layers[1]!.forward(this.layers[0]!.forward(x));
      }
    })();
    // Sample 0 fires class 0 at step 1; sample 1 fires both (never confident); sample 2 fires class 1 at
    // step 1; sample 3 integrates 0.6 per step and first fires at step 2 (its state must survive the
    // removal of samples 0 and 2 after step 1).
    const x = rt.tensor([
      [1, 0],
      [0.5, 0.5],
      [0, 1],
      [0.12, 0],
    ]);
    const r = await dynamicConfidence(model, x, { steps: 6, threshold: 0.6 });
    expect(Array.from(r.steps)).toEqual([1, 6, 1, 2]);
    expect(Array.from(r.predictions)).toEqual([0, 0, 1, 0]);
    expect(r.meanSteps).toBe(10 / 4);
    // The model is back in multi-step mode with no state left over.
    expect(model.forward(rt.tensor([[[1, 0]]])).shape).toEqual([1, 1, 2]);
  });
});

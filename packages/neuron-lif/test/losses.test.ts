import { buildModel, crossEntropy } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { ceMeanMembrane, ceSpikeCount, ceSummedSoftmax, firingRateRegulariser } from '../src/losses.js';
import { runtime } from './helpers.js';

describe('spiking losses', () => {
  const rt = runtime();
  // T = 3, B = 1, C = 2.
  const out = rt.tensor([[[1, 0]], [[1, 1]], [[0, 1]]]);
  const y = rt.fromArray(new Int32Array([0]), [1], { dtype: 'int32' });

  it('ce-spike-count: cross-entropy of the counts over time', () => {
    // counts (2, 2): −log(1/2).
    expect(ceSpikeCount(out, y).dataSync()[0]).toBeCloseTo(Math.log(2), 6);
    const skewed = rt.tensor([[[1, 0]], [[1, 0]], [[1, 1]]]);
    // counts (3, 1): −log(e³/(e³ + e)).
    expect(ceSpikeCount(skewed, y).dataSync()[0]).toBeCloseTo(Math.log(1 + Math.exp(-2)), 6);
  });

  it('ce-mean-membrane: cross-entropy of the time average', () => {
    const m = rt.tensor([[[0.3, 0.9]], [[1.5, 0.3]]]);
    const ref = crossEntropy(rt.tensor([[0.9, 0.6]]), y);
    expect(ceMeanMembrane(m, y).dataSync()[0]).toBeCloseTo(ref.dataSync()[0]!, 6);
  });

  it('ce-summed-softmax: −log of the softmax averaged over time', () => {
    const m = rt.tensor([[[0, 0]], [[Math.log(3), 0]]]);
    // softmax: (1/2, 1/2) and (3/4, 1/4) → mean p0 = 5/8.
    expect(ceSummedSoftmax(m, y).dataSync()[0]).toBeCloseTo(-Math.log(5 / 8), 6);
  });

  it('are registered with a predict that sums over time', () => {
    const def = rt.registry('loss').require('ce-spike-count');
    expect(Array.from(def.predict!(out).dataSync())).toEqual([2, 2]);
    expect(rt.registry('loss').has('ce-mean-membrane') && rt.registry('loss').has('ce-summed-softmax')).toBe(
      true,
    );
  });

  it('reject an output that is not [T, B, C]', () => {
    expect(() => ceSpikeCount(rt.tensor([[1, 0]]), y)).toThrow(/\[T, B, classes\]/);
  });
});

describe('firing-rate regulariser', () => {
  it('penalises the layer rate against a target and the neurons above an upper bound', () => {
    const rt = runtime();
    const lif = buildModel(rt, { type: 'lif', beta: 0, threshold: 0.5 });
    const reg = firingRateRegulariser(lif, { target: 0.25, upper: 0.5, weight: 2 });
    // Neuron 0 always fires (rate 1), neuron 1 never: layer rate 0.5.
    lif.forward(rt.tensor([[[1, 0]], [[1, 0]]]));
    // target: (0.5 − 0.25)² = 0.0625; upper: mean((1 − 0.5)², 0) = 0.125; × 2.
    expect(reg().dataSync()[0]).toBeCloseTo(2 * (0.0625 + 0.125), 6);
  });

  it('has a gradient that reaches the input weights', () => {
    const rt = runtime(3);
    const model = buildModel(rt, {
      type: 'sequential',
      layers: [{ type: 'linear', inFeatures: 3, outFeatures: 4 }, { type: 'lif' }],
    });
    const reg = firingRateRegulariser(model, { lower: 0.9 });
    model.forward(rt.rand([5, 2, 3], { high: 3 }));
    reg().backward();
    const w = model.parameters()[0]!;
    expect(w.grad).not.toBeNull();
  });
});

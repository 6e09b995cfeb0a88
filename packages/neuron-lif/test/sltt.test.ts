import { buildModel, crossEntropy, type Tensor } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import type { NeuronFamilyLayer } from '../src/neurons/family.js';
import { slttBackward } from '../src/training/sltt.js';
import { closeness, runtime } from './helpers.js';
import { unrolledScan } from './reference.js';

describe('SLTT', () => {
  it('accumulates Σ_t ∂L_t/∂W with u[t−1] held constant (checked against an unrolled reference)', async () => {
    const rt = runtime(21);
    const spec = {
      type: 'sequential',
      layers: [
        { type: 'linear', inFeatures: 6, outFeatures: 5 },
        { type: 'lif', beta: 0.5, threshold: 0.3, learn: ['threshold'] },
        { type: 'linear', inFeatures: 5, outFeatures: 3 },
        { type: 'li', beta: 0.5 },
      ],
    };
    const model = buildModel(rt, spec);
    const T = 8;
    const B = 4;
    const x = rt.rand([T, B, 6], { high: 1.2 });
    const y = rt.fromArray(new Int32Array([0, 2, 1, 2]), [B], { dtype: 'int32' });
    const stepLoss = (o: Tensor, target: Tensor) => crossEntropy(o, target);

    const r = await slttBackward(model, x, y, { steps: T, loss: stepLoss, sequence: true });
    const named = model.namedParameters();
    const sltt = new Map(named.map(([n, p]) => [n, p.grad!]));
    for (const [, p] of named) p.grad = null;
    expect(r.output.shape).toEqual([T, B, 3]);

    // Reference: the same network unrolled with the kernel's autograd ops, every neuron's previous state
    // detached at each step, and one backward of Σ_t L_t.
    const p = Object.fromEntries(named);
    const lif = model.modules().find(([n]) => n === '1')![1] as NeuronFamilyLayer;
    const h1 = x.matmul(p['0.weight']!, { transB: true }).add(p['0.bias']!);
    const s1 = unrolledScan(
      h1,
      { beta: lif.beta!, threshold: p['1.threshold']! },
      {},
      {
        reset: 'subtract',
        surrogate: { name: 'atan', alpha: 2 },
        detachState: true,
      },
    ).spikes!;
    const h2 = s1.matmul(p['2.weight']!, { transB: true }).add(p['2.bias']!);
    const o = unrolledScan(
      h2,
      { beta: rt.scalar(0.5) },
      {},
      { reset: 'none', surrogate: { name: 'atan', alpha: 2 }, detachState: true },
    ).membrane;
    let total = rt.scalar(0);
    for (let t = 0; t < T; t++) total = total.add(stepLoss(o.slice([t], [t + 1]).reshape([B, 3]), y).div(T));
    total.backward();
    expect(r.loss).toBeCloseTo(total.dataSync()[0]!, 5);
    expect(Array.from(r.output.dataSync())).toEqual(Array.from(o.dataSync()));
    for (const [name, param] of named) expect(closeness(sltt.get(name)!, param.grad!), name).toBeLessThan(1);

    // And it differs from full BPTT, which also follows the temporal paths.
    for (const [, q] of named) q.grad = null;
    const full = model.forward(x);
    let bptt = rt.scalar(0);
    for (let t = 0; t < T; t++) bptt = bptt.add(stepLoss(full.slice([t], [t + 1]).reshape([B, 3]), y).div(T));
    bptt.backward();
    expect(closeness(sltt.get('0.weight')!, p['0.weight']!.grad!)).toBeGreaterThan(1);
  });

  it('SLTT-K runs backward at K of the T steps', async () => {
    const rt = runtime(22);
    const model = buildModel(rt, {
      type: 'sequential',
      layers: [{ type: 'linear', inFeatures: 3, outFeatures: 2 }, { type: 'li' }],
    });
    const x = rt.rand([6, 2, 3]);
    const y = rt.fromArray(new Int32Array([0, 1]), [2], { dtype: 'int32' });
    const r = await slttBackward(model, x, y, {
      steps: 6,
      k: 2,
      rng: rt.rng.split(),
      sequence: true,
      loss: (o, t) => crossEntropy(o, t),
    });
    expect(r.output.shape).toEqual([6, 2, 2]);
    expect(model.parameters()[0]!.grad).not.toBeNull();
  });
});

import { buildModel, createRuntime, type Module, type Runtime, type Tensor } from '@neurite/kernel';
import neuronLif from '@neurite/neuron-lif';
import nir, { buildNirModule, exportNir, type NirGraph, type NirLeaf } from '@neurite/nir';
import { describe, expect, it } from 'vitest';
import dcls from '../src/index.js';
import { maxAbsDiff } from './helpers.js';

const runtime = (): Runtime => createRuntime({ seed: 3 }).use(neuronLif()).use(dcls()).use(nir());

/** Runs the exported NIR graph (imported back as a module) on x followed by `tail` zero steps. */
function runExported(rt: Runtime, model: Module, x: Tensor, tail: number): Tensor {
  const { graph } = exportNir(rt, model, { inputShape: x.shape.slice(2), dt: 0.01 });
  const { module } = buildNirModule(rt, graph, { dt: 0.01 });
  const padded = x.cast('float32').pad([
    [0, tail],
    [0, 0],
    [0, 0],
  ]);
  return module.forward(padded);
}

describe('NIR export of the delay layers', () => {
  it('a dcls1d layer becomes Linear → Delay → Linear and computes the same delay line', () => {
    const rt = runtime();
    const model = buildModel(rt, {
      type: 'sequential',
      layers: [{ type: 'dcls1d', inFeatures: 5, outFeatures: 4, kernelSize: 9 }],
    });
    model.eval();
    const { graph } = exportNir(rt, model, { inputShape: [5], dt: 0.01 });
    const types = [...graph.nodes.values()].map((n) => n.type);
    expect(types).toEqual(['Input', 'Linear', 'Delay', 'Linear', 'Output']);
    const delay = [...graph.nodes.values()].find((n) => n.type === 'Delay') as NirLeaf;
    const seconds = Array.from(delay.fields.get('delay')!.data as Float64Array);
    expect(seconds.every((s) => Number.isInteger(Math.round(s * 100)) && s >= 0 && s <= 0.08 + 1e-12)).toBe(
      true,
    );
    const x = rt.rand([14, 2, 5]).lt(0.3);
    const y = model.forward(x);
    const z = runExported(rt, model, x, 4);
    expect(z.shape).toEqual(y.shape);
    expect(maxAbsDiff(y.dataSync(), z.dataSync())).toBeLessThan(1e-5);
  });

  it('no delays export as one Linear', () => {
    const rt = runtime();
    const model = buildModel(rt, {
      type: 'sequential',
      layers: [{ type: 'dcls1d', inFeatures: 3, outFeatures: 2, kernelSize: 5, delays: 'none' }],
    });
    const { graph } = exportNir(rt, model.eval(), { inputShape: [3], dt: 0.01 });
    expect([...graph.nodes.values()].map((n) => n.type)).toEqual(['Input', 'Linear', 'Output']);
  });

  it("learned delays evaluated 'as-trained' are lossy, and say so", () => {
    const rt = runtime();
    const model = buildModel(rt, {
      type: 'sequential',
      layers: [{ type: 'dcls1d', inFeatures: 3, outFeatures: 2, kernelSize: 5, inference: 'as-trained' }],
    });
    expect(() => exportNir(rt, model, { inputShape: [3], dt: 0.01 })).toThrow(/as-trained/);
    expect(exportNir(rt, model, { inputShape: [3], dt: 0.01, lossy: true }).warnings[0]).toMatch(
      /rounded delay line/,
    );
  });

  it('the whole dcls-snn exports (batch norm as Affine) and the NIR graph reproduces it', () => {
    const rt = runtime();
    // dropout 0: no dropout nodes (the identity at inference, which NIR export leaves out).
    const model = buildModel(rt, {
      type: 'dcls-snn',
      inFeatures: 6,
      classes: 3,
      hidden: 8,
      maxDelay: 5,
      delays: 'random',
      dropout: 0,
    });
    const x = rt.rand([10, 3, 6]).lt(0.4);
    model.train().forward(x); // batch-norm running statistics away from (0, 1)
    model.eval();
    const { graph } = exportNir(rt, model, { inputShape: [6], dt: 0.01 });
    const types = (g: NirGraph) => [...g.nodes.values()].map((n) => n.type);
    expect(types(graph)).toContain('Affine');
    expect(types(graph).filter((t) => t === 'Delay')).toHaveLength(3);
    const y = model.forward(x);
    const z = runExported(rt, model, x, 6);
    expect(z.shape).toEqual(y.shape);
    expect(maxAbsDiff(y.dataSync(), z.dataSync())).toBeLessThan(1e-4);
  });
});

import datasets from '@neurite/datasets';
import {
  applyOverrides,
  buildModel,
  createRuntime,
  crossEntropy,
  fromModelGraph,
  PluginError,
  paramGroups,
  resolveTrainConfig,
  toModelGraph,
} from '@neurite/kernel';
import neuronLif, { ceSummedSoftmax } from '@neurite/neuron-lif';
import nir from '@neurite/nir';
import { describe, expect, it } from 'vitest';
import dcls, {
  Dcls1d,
  DclsSnn,
  dclsSnnOptions,
  fsddDelaysConfig,
  shdDelaysConfig,
  sscDelaysConfig,
  summedSoftmaxCrossEntropy,
} from '../src/index.js';
import { maxAbsDiff, runtime } from './helpers.js';

const small = { type: 'dcls-snn', inFeatures: 6, classes: 3, hidden: 8, layers: 2, maxDelay: 7 } as const;

describe('dcls-snn', () => {
  it('builds the paper network as named layers of primitive node types', () => {
    const rt = runtime(2);
    const model = buildModel(rt, small);
    expect(model).toBeInstanceOf(DclsSnn);
    expect(model.children().map(([n]) => n)).toEqual([
      'dcls1',
      'bn1',
      'lif1',
      'dropout1',
      'dcls2',
      'bn2',
      'lif2',
      'dropout2',
      'dcls3',
      'li',
    ]);
    expect(model.namedParameters().map(([n]) => n)).toEqual([
      'dcls1.weight',
      'dcls1.positions',
      'bn1.weight',
      'bn1.bias',
      'dcls2.weight',
      'dcls2.positions',
      'bn2.weight',
      'bn2.bias',
      'dcls3.weight',
      'dcls3.positions',
    ]);
    // Each DCLS layer adds (K − 1)/2 = 3 steps.
    const y = model.forward(rt.rand([10, 4, 6]).lt(0.2));
    expect(y.shape).toEqual([19, 4, 3]);
    const net = model as DclsSnn;
    expect(net.layer('lif1')?.describe()?.options).toMatchObject({
      tau: 1.005,
      decayInput: false,
      reset: 'zero',
      detachReset: true,
    });
    expect(net.layer('li')?.describe()).toMatchObject({
      type: 'li',
      options: { tau: 1.005, decayInput: false },
    });
    expect(net.layer('dcls2')?.describe()?.options).toMatchObject({
      kernelSize: 7,
      delays: 'learned',
      version: 'gauss',
    });
    // It exports as the node it was built from, so `model.delays` stays one switch.
    expect(toModelGraph(model).spec).toEqual({ ...dclsSnnOptions.assert(small), type: 'dcls-snn' });
  });

  it('keeps the weights the same in every delay mode; only learned positions train', () => {
    const counts = (['learned', 'random', 'none'] as const).map((delays) => {
      const model = buildModel(runtime(2), { ...small, delays });
      const layers = model.modules().flatMap(([, m]) => (m instanceof Dcls1d ? [m] : []));
      return layers.map((l) => l.trainableCount());
    });
    const weights = counts.map((c) => c.map((l) => l.weights));
    expect(weights[1]).toEqual(weights[0]);
    expect(weights[2]).toEqual(weights[0]);
    expect(counts[0]!.map((l) => l.positions)).toEqual(weights[0]);
    expect(counts[1]!.every((l) => l.positions === 0) && counts[2]!.every((l) => l.positions === 0)).toBe(
      true,
    );
  });

  it('round-trips through the graph form (spec and state)', () => {
    const rt = runtime(4);
    const model = buildModel(rt, { ...small, delays: 'random' });
    model.visit('onEpochEnd', 1, 8);
    const x = rt.rand([12, 2, 6]).lt(0.3);
    model.train().forward(x); // moves the batch-norm running statistics
    const graph = toModelGraph(model);
    const other = runtime(40);
    const copy = fromModelGraph(other, { spec: JSON.parse(JSON.stringify(graph.spec)), state: graph.state });
    const a = model.eval().forward(x).dataSync();
    const b = copy
      .eval()
      .forward(other.fromArray(x.dataSync(), x.shape, { dtype: 'spike' }))
      .dataSync();
    expect(maxAbsDiff(a, b)).toBe(0);
  });

  it('needs the neuron plugin, and says so', () => {
    const rt = createRuntime().use(dcls());
    expect(() => buildModel(rt, small)).toThrow(PluginError);
    expect(() => buildModel(rt, small)).toThrow(/neuron-lif/);
  });

  it('validates its options with JSON paths', () => {
    const rt = runtime();
    expect(() => buildModel(rt, { ...small, delays: 'fixed' })).toThrow(/model\.delays/);
    expect(() => buildModel(rt, { ...small, tau: 0.5 })).toThrow(/model\.tau/);
  });
});

describe('the reference loss', () => {
  it('is cross-entropy with Σ_t softmax(o_t) as logits (not −log of the mean softmax)', () => {
    const rt = runtime(5);
    const out = rt.randn([6, 4, 3]);
    const y = rt.fromArray(Int32Array.from([0, 2, 1, 2]), [4], { dtype: 'int32' });
    const manual = crossEntropy(out.softmax(-1).sum(0), y).itemSync();
    expect(summedSoftmaxCrossEntropy(out, y).itemSync()).toBeCloseTo(manual, 6);
    expect(Math.abs(ceSummedSoftmax(out, y).itemSync() - manual)).toBeGreaterThan(1e-3);
  });
});

describe('presets', () => {
  const all = () => createRuntime({ seed: 0 }).use(neuronLif()).use(dcls()).use(datasets()).use(nir());

  it('resolve against a runtime with every plugin, in every delay mode', () => {
    const rt = all();
    for (const name of ['shd-delays', 'ssc-delays', 'fsdd-delays']) {
      const preset = rt.registry('preset').require(name);
      for (const delays of ['learned', 'random', 'none']) {
        const config = resolveTrainConfig(rt, applyOverrides(preset.config, [`model.delays=${delays}`]));
        expect(config.model).toMatchObject({ type: 'dcls-snn', delays });
      }
    }
    const fsdd = resolveTrainConfig(
      rt,
      applyOverrides(fsddDelaysConfig, [
        'dataset.testSpeakers=["lucas"]',
        'dataset.dir=../shared/data/audio/fsdd',
      ]),
    );
    expect(fsdd.dataset).toMatchObject({
      type: 'fsdd-spikes',
      testSpeakers: ['lucas'],
      dir: '../shared/data/audio/fsdd',
    });
    expect(shdDelaysConfig.model.inFeatures).toBe(140);
    expect(sscDelaysConfig.model.maxDelay).toBe(30);
  });

  it("group rules address the network's parameters in every mode (positions lr 0.1, batch norm without decay)", () => {
    for (const delays of ['learned', 'random', 'none'] as const) {
      const model = buildModel(runtime(1), { ...fsddDelaysConfig.model, delays });
      const rules = fsddDelaysConfig.optimizer.groups.map(({ match, lr, weightDecay }) => ({
        match,
        ...(lr !== undefined ? { lr } : {}),
        weightDecay,
      }));
      const groups = paramGroups(model, rules);
      expect(groups).toHaveLength(3);
      expect(groups[1]!.params.every((p) => p.shape.length === 2)).toBe(true); // positions [out, in]
      expect(groups[1]!.params.every((p) => p.requiresGrad === (delays === 'learned'))).toBe(true);
      expect(groups[2]!.params.every((p) => p.shape.length === 1)).toBe(true); // batch-norm γ, β
    }
  });
});

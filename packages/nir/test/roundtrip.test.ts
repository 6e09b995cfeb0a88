import { buildModel, type Module, type NodeSpec, type Runtime, ValidationError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { buildNirModule, exportNir, type NirLeaf, readNir, writeNir } from '../src/index.js';
import { runtime } from './helpers.js';

const DT = 1e-3;

/** neurite → .nir bytes → neurite at the same dt; returns both models' outputs on one input. */
async function roundTrip(
  rt: Runtime,
  spec: NodeSpec,
  inputShape: number[],
  options: { T?: number; spikes?: boolean; lossy?: boolean } = {},
) {
  const model = buildModel(rt, spec);
  model.eval();
  const T = options.T ?? 5;
  const x =
    options.spikes === false ? rt.randn([T, 2, ...inputShape]) : rt.bernoulli(0.4, [T, 2, ...inputShape]);
  const expected = rt.noGrad(() => model.forward(x));
  const { graph, warnings } = exportNir(rt, model, { inputShape, dt: DT, lossy: options.lossy ?? false });
  const doc = await readNir(await writeNir(graph), 'roundtrip.nir');
  const { module } = buildNirModule(rt, doc.graph, { dt: DT });
  const actual = rt.noGrad(() => module.forward(x));
  return { expected, actual, graph: doc.graph, warnings, model: model as Module };
}

function same(a: { dtype: string; shape: readonly number[]; dataSync(): ArrayLike<number> }, b: typeof a) {
  expect(b.shape).toEqual(a.shape);
  expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
}

const seq = (...layers: NodeSpec[]): NodeSpec => ({ type: 'sequential', layers });

describe('neurite → NIR → neurite gives identical outputs for every node type with a NIR meaning', () => {
  const cases: [string, NodeSpec, number[], { spikes?: boolean; nirTypes: string[] }][] = [
    [
      'linear (Affine)',
      seq({ type: 'linear', inFeatures: 6, outFeatures: 4 }),
      [6],
      { nirTypes: ['Affine'] },
    ],
    [
      'linear without bias (Linear)',
      seq({ type: 'linear', inFeatures: 6, outFeatures: 4, bias: false }),
      [6],
      { nirTypes: ['Linear'] },
    ],
    [
      'conv1d',
      seq({
        type: 'conv1d',
        inChannels: 2,
        outChannels: 4,
        kernelSize: 3,
        stride: 2,
        padding: 1,
        dilation: 1,
      }),
      [2, 9],
      { nirTypes: ['Conv1d'] },
    ],
    [
      'conv2d with groups and dilation',
      seq({
        type: 'conv2d',
        inChannels: 4,
        outChannels: 6,
        kernelSize: [3, 2],
        stride: [1, 2],
        padding: [1, 0],
        dilation: [2, 1],
        groups: 2,
      }),
      [4, 8, 7],
      { nirTypes: ['Conv2d'] },
    ],
    [
      'conv2d same padding',
      seq({ type: 'conv2d', inChannels: 2, outChannels: 3, kernelSize: 3, padding: 'same' }),
      [2, 6, 6],
      { nirTypes: ['Conv2d'] },
    ],
    ['sumpool2d', seq({ type: 'sumpool2d', kernelSize: 2 }), [3, 6, 6], { nirTypes: ['SumPool2d'] }],
    [
      'avgpool2d with padding',
      seq({ type: 'avgpool2d', kernelSize: 3, stride: 2, padding: 1 }),
      [2, 7, 7],
      { spikes: false, nirTypes: ['AvgPool2d'] },
    ],
    [
      'flatten',
      seq({ type: 'flatten', startAxis: 2 }, { type: 'linear', inFeatures: 24, outFeatures: 3 }),
      [2, 3, 4],
      { nirTypes: ['Flatten', 'Affine'] },
    ],
    [
      'lif (reset to zero, per-neuron β and threshold)',
      seq(
        { type: 'linear', inFeatures: 5, outFeatures: 4 },
        { type: 'lif', beta: 0.8, threshold: 0.5, reset: 'zero', paramShape: [4] },
      ),
      [5],
      { nirTypes: ['Affine', 'LIF'] },
    ],
    [
      'lif with decayInput and vReset',
      seq(
        { type: 'linear', inFeatures: 5, outFeatures: 4 },
        { type: 'lif', beta: 0.7, threshold: 0.3, reset: 'zero', vReset: -0.2, decayInput: true },
      ),
      [5],
      { nirTypes: ['Affine', 'LIF'] },
    ],
    [
      'if',
      seq({ type: 'linear', inFeatures: 5, outFeatures: 4 }, { type: 'if', threshold: 0.7, reset: 'zero' }),
      [5],
      { nirTypes: ['Affine', 'IF'] },
    ],
    [
      'cuba-lif',
      seq(
        { type: 'linear', inFeatures: 5, outFeatures: 4 },
        { type: 'cuba-lif', alpha: 0.6, beta: 0.85, threshold: 0.4, reset: 'zero' },
      ),
      [5],
      { nirTypes: ['Affine', 'CubaLIF'] },
    ],
    [
      'li',
      seq({ type: 'linear', inFeatures: 5, outFeatures: 3 }, { type: 'li', beta: 0.9 }),
      [5],
      { nirTypes: ['Affine', 'LI'] },
    ],
    [
      'li with a synapse (CubaLI)',
      seq({ type: 'linear', inFeatures: 5, outFeatures: 3 }, { type: 'li', beta: 0.9, alpha: 0.5 }),
      [5],
      { nirTypes: ['Affine', 'CubaLI'] },
    ],
    [
      'conv SNN with per-channel neurons',
      seq(
        { type: 'conv2d', inChannels: 1, outChannels: 2, kernelSize: 3 },
        { type: 'lif', beta: 0.9, threshold: 0.2, reset: 'zero', paramShape: [2, 1, 1] },
        { type: 'sumpool2d', kernelSize: 2 },
      ),
      [1, 6, 6],
      { nirTypes: ['Conv2d', 'LIF', 'SumPool2d'] },
    ],
    [
      'dropout (left out)',
      seq({ type: 'linear', inFeatures: 5, outFeatures: 3 }, { type: 'dropout', p: 0.5 }),
      [5],
      { nirTypes: ['Affine'] },
    ],
  ];
  for (const [name, spec, shape, { spikes, nirTypes }] of cases) {
    it(name, async () => {
      const rt = runtime(7);
      const r = await roundTrip(rt, spec, shape, spikes === undefined ? {} : { spikes });
      same(r.expected, r.actual);
      // The comparison means something: the output is not all zeros (neurons fire, values flow).
      expect(Array.from(r.expected.dataSync()).some((v) => v !== 0)).toBe(true);
      const types = [...r.graph.nodes.values()]
        .map((n) => n.type)
        .filter((t) => t !== 'Input' && t !== 'Output');
      expect(types.sort()).toEqual([...nirTypes].sort());
    });
  }

  it("this plugin's NIR node types: every neuron model, Scale, Threshold, Delay, a cycle and a nested graph", async () => {
    const rt = runtime(2);
    const neuron = (type: string, extra: Record<string, number> = {}) => ({
      type,
      shape: [3],
      dt: DT,
      ...extra,
    });
    const spec: NodeSpec = {
      type: 'nir-graph',
      inputShape: [3],
      nodes: {
        in: { type: 'input' },
        scale: { type: 'nir-scale', shape: [3], value: 2 },
        lif: neuron('nir-lif', { tau: 0.004, r: 1.5, vLeak: 0.1, vThreshold: 0.3, vReset: -0.1 }),
        iff: neuron('nir-if', { r: 0.5, vThreshold: 0.6 }),
        li: neuron('nir-li', { tau: 0.01, r: 2 }),
        i: neuron('nir-i', { r: 0.1 }),
        cuba: neuron('nir-cuba-lif', { tauSyn: 0.003, tauMem: 0.006, r: 3, wIn: 2, vThreshold: 0.2 }),
        cubali: neuron('nir-cuba-li', { tauSyn: 0.003, tauMem: 0.006 }),
        thr: { type: 'nir-threshold', shape: [3], value: 0.5 },
        delay: { type: 'nir-delay', shape: [3], dt: DT, value: 0.002 },
        rec: { type: 'linear', inFeatures: 3, outFeatures: 3 },
        sub: {
          type: 'nir-graph',
          inputShape: [3],
          nodes: {
            a: { type: 'input' },
            d: { type: 'nir-delay', shape: [3], dt: DT, value: 0.001 },
            z: { type: 'output' },
          },
          edges: [
            ['a', 'd'],
            ['d', 'z'],
          ],
        },
        out: { type: 'output' },
      },
      edges: [
        ['in', 'scale'],
        ['scale', 'lif'],
        ['lif', 'rec'],
        ['rec', 'lif'],
        ['lif', 'iff'],
        ['iff', 'li'],
        ['li', 'i'],
        ['i', 'cuba'],
        ['cuba', 'cubali'],
        ['cubali', 'thr'],
        ['thr', 'delay'],
        ['delay', 'sub'],
        ['sub', 'out'],
        ['lif', 'out'],
      ],
    };
    const r = await roundTrip(rt, spec, [3], { T: 12, spikes: false });
    same(r.expected, r.actual);
    expect(r.expected.dataSync().some((v) => v !== 0)).toBe(true);
    const types = [...r.graph.nodes.values()].map((n) => n.type).sort();
    expect(types).toEqual([
      'Affine',
      'CubaLI',
      'CubaLIF',
      'Delay',
      'I',
      'IF',
      'Input',
      'LI',
      'LIF',
      'NIRGraph',
      'Output',
      'Scale',
      'Threshold',
    ]);
    expect(((r.graph.nodes.get('lif') as NirLeaf).fields.get('v_reset')!.data as Float32Array)[0]).toBe(
      Math.fround(-0.1),
    );
  });

  it('an encoder starts the NIR graph: the layers before it are preprocessing', async () => {
    const rt = runtime();
    const model = buildModel(
      rt,
      seq(
        { type: 'flatten' },
        { type: 'rate-encoder', steps: 4 },
        { type: 'linear', inFeatures: 12, outFeatures: 3 },
        { type: 'lif', beta: 0.9, reset: 'zero' },
      ),
    );
    const { graph } = exportNir(rt, model, { inputShape: [3, 4], dt: DT });
    expect(graph.edges).toEqual([
      ['input', '2'],
      ['2', '3'],
      ['3', 'output'],
    ]);
    expect(
      Array.from((graph.nodes.get('input') as NirLeaf).fields.get('shape')!.data as Float64Array),
    ).toEqual([12]);
  });

  it('refuses what NIR cannot express unless lossy export is allowed, and names the node', async () => {
    const rt = runtime();
    const spec = seq(
      { type: 'linear', inFeatures: 3, outFeatures: 2 },
      { type: 'lif', beta: 0.9, reset: 'subtract' },
    );
    const model = buildModel(rt, spec);
    expect(() => exportNir(rt, model, { inputShape: [3], dt: DT })).toThrow(
      /model\.layers\.1: reset by subtraction has no NIR form/,
    );
    const { warnings } = exportNir(rt, model, { inputShape: [3], dt: DT, lossy: true });
    expect(warnings).toEqual([expect.stringMatching(/^model\.layers\.1: reset by subtraction/)]);
    const relu = buildModel(rt, seq({ type: 'linear', inFeatures: 3, outFeatures: 2 }, { type: 'relu' }));
    const error = (() => {
      try {
        exportNir(rt, relu, { inputShape: [3], dt: DT });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ValidationError);
    expect(String(error)).toMatch(/model\.layers\.1: node type 'relu' has no NIR meaning/);
  });

  it('an unknown NIR node type is an error naming the node', async () => {
    const rt = runtime();
    const graph = {
      type: 'NIRGraph' as const,
      nodes: new Map<string, NirLeaf>([
        [
          'input',
          {
            type: 'Input',
            fields: new Map([['shape', { dtype: 'int64' as const, shape: [1], data: Float64Array.of(2) }]]),
          },
        ],
        [
          'odd',
          {
            type: 'Izhikevich',
            fields: new Map([['a', { dtype: 'float32' as const, shape: [2], data: new Float32Array(2) }]]),
          },
        ],
        [
          'output',
          {
            type: 'Output',
            fields: new Map([['shape', { dtype: 'int64' as const, shape: [1], data: Float64Array.of(2) }]]),
          },
        ],
      ]),
      edges: [
        ['input', 'odd'],
        ['odd', 'output'],
      ] as [string, string][],
    };
    const doc = await readNir(await writeNir(graph), 'odd.nir');
    expect(doc.graph.nodes.get('odd')!.type).toBe('Izhikevich');
    expect(() => buildNirModule(rt, doc.graph, { dt: DT })).toThrow(
      /\/node\/nodes\/odd: unknown NIR node type 'Izhikevich'/,
    );
  });
});

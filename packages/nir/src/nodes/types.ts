import {
  defineNode,
  type Module,
  type NodeSpec,
  type NodeType,
  type Runtime,
  ValidationError,
} from '@neurite/kernel';
import { type } from 'arktype';
import type { NeuronModel } from './discretise.js';
import { NirDelay, NirScale, NirThreshold } from './elementwise.js';
import { NirGraphModule } from './graph.js';
import { NEURON_FIELDS, NEURON_NODE_TYPES, NirNeuron } from './neuron.js';
import { reachable } from './plan.js';

const shape = type('number.integer >= 1').array();
const precision = "'float32' | 'float64' = 'float32'";
const convention = "'euler' | 'exponential' | 'snntorch' = 'euler'";

const neuronOptions = (model: NeuronModel) =>
  type({
    shape,
    dt: 'number > 0',
    convention,
    precision,
    ...Object.fromEntries(Object.keys(NEURON_FIELDS[model]).map((k) => [`${k}?`, 'number'])),
  });

const elementwiseOptions = type({ shape, precision, 'value?': 'number' });
const delayOptions = type({ shape, precision, dt: 'number > 0', 'value?': 'number >= 0' });
const graphOptions = type({
  nodes: 'Record<string, object>',
  edges: type(['string', 'string']).array(),
  'inputShape?': shape,
});

type NeuronOptionsIn = {
  shape: number[];
  dt: number;
  convention?: 'euler' | 'exponential' | 'snntorch';
  precision?: 'float32' | 'float64';
} & Record<string, unknown>;

declare module '@neurite/kernel' {
  interface NodeOptions {
    'nir-graph': { nodes: Record<string, NodeSpec>; edges: [string, string][]; inputShape?: number[] };
    'nir-lif': NeuronOptionsIn;
    'nir-if': NeuronOptionsIn;
    'nir-li': NeuronOptionsIn;
    'nir-i': NeuronOptionsIn;
    'nir-cuba-lif': NeuronOptionsIn;
    'nir-cuba-li': NeuronOptionsIn;
    'nir-scale': typeof elementwiseOptions.inferIn;
    'nir-threshold': typeof elementwiseOptions.inferIn;
    'nir-delay': typeof delayOptions.inferIn;
  }
}

const DESCRIPTIONS: Record<NeuronModel, string> = {
  LIF: 'NIR LIF at a time step dt: τ dv/dt = (v_leak − v) + R·I, spike when v > v_threshold, then v ← v_reset',
  IF: 'NIR IF: v ← v + R·x per step, spike when v > v_threshold, then v ← v_reset',
  LI: 'NIR LI (leaky integrator) at a time step dt: τ dv/dt = (v_leak − v) + R·I; outputs v',
  I: 'NIR I (integrator): v ← v + R·x per step; outputs v',
  CubaLIF:
    'NIR CubaLIF at a time step dt: τ_syn dI/dt = −I + w_in·x, τ_mem dv/dt = (v_leak − v) + R·I, spikes',
  CubaLI: 'NIR CubaLI at a time step dt: a current-based leaky integrator; outputs v',
};

/**
 * Small layers of 3 neurons at dt = 1 ms for the conformance kit, with non-default parameters (they
 * travel in the state, not the spec, so the round trip must carry them) and each convention and
 * precision somewhere. Inputs are [T, B, 3] drives that make the spiking models fire.
 */
const DT = 1e-3;
const NEURON_EXAMPLES: Record<NeuronModel, Record<string, unknown>> = {
  LIF: { tau: 0.004, r: 1.5, vLeak: 0.1, vThreshold: 0.3, vReset: -0.1, convention: 'exponential' },
  IF: { r: 0.5, vThreshold: 0.6, convention: 'snntorch' },
  LI: { tau: 0.01, r: 2, vLeak: -0.05, precision: 'float64' },
  I: { r: 0.1 },
  CubaLIF: { tauSyn: 0.003, tauMem: 0.006, r: 3, wIn: 2, vThreshold: 1.5 },
  CubaLI: { tauSyn: 0.003, tauMem: 0.006, wIn: 1.5, convention: 'exponential' },
};
const drive = (rt: Runtime) => rt.rand([8, 2, 3], { low: 0, high: 2 });

const neuronNodes: NodeType[] = (Object.keys(NEURON_NODE_TYPES) as NeuronModel[]).map((model) =>
  defineNode({
    name: NEURON_NODE_TYPES[model],
    description: DESCRIPTIONS[model],
    options: neuronOptions(model),
    example: { options: { shape: [3], dt: DT, ...NEURON_EXAMPLES[model] }, input: drive },
    build: (o, ctx) => new NirNeuron(ctx.runtime, model, o as never),
  }),
);

export const nirGraphNode: NodeType = defineNode({
  name: 'nir-graph',
  description:
    'a NIR graph: named nodes and [from, to] edges (summed at their target); cycles run with a one-step delay',
  options: graphOptions,
  childOptions: ['nodes'],
  // A recurrent LIF layer: input → scale → lif, lif → rec → lif (a cycle, so it runs step by step).
  example: {
    options: {
      inputShape: [3],
      nodes: {
        in: { type: 'input' },
        scale: { type: 'nir-scale', shape: [3], value: 2 },
        lif: { type: 'nir-lif', shape: [3], dt: DT, tau: 0.004, vThreshold: 0.5 },
        rec: { type: 'nir-scale', shape: [3], value: -0.3 },
        out: { type: 'output' },
      },
      edges: [
        ['in', 'scale'],
        ['scale', 'lif'],
        ['lif', 'rec'],
        ['rec', 'lif'],
        ['lif', 'out'],
      ],
    },
    input: drive,
  },
  build: (o, ctx) => {
    const nodes = new Map<string, Module>();
    const types = new Map<string, string>();
    for (const [name, spec] of Object.entries(o.nodes as Record<string, NodeSpec>)) {
      nodes.set(name, ctx.build(spec, `${ctx.path}.nodes.${name}`));
      types.set(name, spec.type);
    }
    const issues: { path: string; message: string }[] = [];
    o.edges.forEach(([from, to], i) => {
      for (const end of [from, to])
        if (!nodes.has(end))
          issues.push({ path: `${ctx.path}.edges.${i}`, message: `'${end}' is not a node of this graph` });
    });
    const inputs = [...types].filter(([, t]) => t === 'input').map(([k]) => k);
    if (!issues.length && inputs.length === 1) {
      const seen = reachable(inputs, o.edges);
      for (const name of nodes.keys()) {
        if (!seen.has(name))
          issues.push({
            path: `${ctx.path}.nodes.${name}`,
            message: 'is not reachable from the input node, so it never receives data',
          });
      }
    }
    if (issues.length) throw new ValidationError('invalid nir-graph', issues);
    return new NirGraphModule(nodes, types, o.edges, o.inputShape ? { inputShape: o.inputShape } : {});
  },
});

export const nirNodeTypes: NodeType[] = [
  nirGraphNode,
  ...neuronNodes,
  defineNode({
    name: 'nir-scale',
    description: 'NIR Scale: multiplies each feature by a fixed factor',
    options: elementwiseOptions,
    example: { options: { shape: [3], value: -1.5 }, input: drive },
    build: (o, ctx) => new NirScale(ctx.runtime, o),
  }),
  defineNode({
    name: 'nir-threshold',
    description: 'NIR Threshold: a spike where the input exceeds a fixed threshold (Heaviside)',
    options: elementwiseOptions,
    example: { options: { shape: [3], value: 0.8, precision: 'float64' }, input: drive },
    build: (o, ctx) => new NirThreshold(ctx.runtime, o),
  }),
  defineNode({
    name: 'nir-delay',
    description: 'NIR Delay: y(t) = x(t − d), d in seconds rounded to whole steps of dt, per feature',
    options: delayOptions,
    // Two steps of delay on every feature.
    example: { options: { shape: [3], dt: DT, value: 0.002 }, input: drive },
    build: (o, ctx) => new NirDelay(ctx.runtime, o),
  }),
];

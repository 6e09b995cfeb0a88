import { type } from 'arktype';
import { NeuriteError } from '../errors.js';
import { Module, type NodeDescription } from '../nn/module.js';
import type { Tensor } from '../tensor/tensor.js';
import { specOf } from './export.js';
import { defineNode, type NodeType } from './node-type.js';
import type { GraphSpec, NodeSpec } from './spec.js';

/** Applies its layers in order. */
export class Sequential extends Module {
  readonly layers: Module[];
  constructor(layers: Module[]) {
    super();
    this.layers = layers;
  }
  /** Children are named by position ("0", "1", …), as in PyTorch. */
  override children(): [string, Module][] {
    return this.layers.map((m, i) => [String(i), m]);
  }
  forward(x: Tensor): Tensor {
    for (const layer of this.layers) x = layer.forward(x);
    return x;
  }
  override describe(): NodeDescription {
    return { type: 'sequential', options: { layers: this.layers.map(specOf) } };
  }
}

/**
 * A dataflow graph of named nodes. The node of type `input` receives the model input and the node of
 * type `output` gives the result; a node with several incoming edges receives their sum (as in NIR).
 */
export class GraphModule extends Module {
  readonly #nodes: Map<string, Module>;
  readonly #edges: readonly (readonly [string, string])[];
  readonly #order: string[];
  readonly #inputs: Map<string, string[]>;
  readonly #input: string;
  readonly #output: string;

  constructor(
    nodes: Map<string, Module>,
    edges: readonly (readonly [string, string])[],
    types: Map<string, string>,
  ) {
    super();
    this.#nodes = nodes;
    this.#edges = edges;
    this.#inputs = new Map([...nodes.keys()].map((k) => [k, []]));
    for (const [from, to] of edges) this.#inputs.get(to)!.push(from);
    this.#order = topologicalOrder([...nodes.keys()], edges);
    const ofType = (t: string) => [...types].filter(([, v]) => v === t).map(([k]) => k);
    const inputs = ofType('input');
    const outputs = ofType('output');
    if (inputs.length !== 1 || outputs.length !== 1) {
      throw new NeuriteError(
        `graph: needs exactly one input and one output node (found ${inputs.length} and ${outputs.length})`,
      );
    }
    this.#input = inputs[0]!;
    this.#output = outputs[0]!;
  }

  override children(): [string, Module][] {
    return [...this.#nodes];
  }

  node(name: string): Module | undefined {
    return this.#nodes.get(name);
  }

  forward(x: Tensor): Tensor {
    return this.run(x).get(this.#output)!;
  }

  /** Runs the graph and returns every node's output, for recording and inspection. */
  run(x: Tensor): Map<string, Tensor> {
    const values = new Map<string, Tensor>();
    for (const name of this.#order) {
      const sources = this.#inputs.get(name)!;
      let input: Tensor;
      if (name === this.#input) input = x;
      else if (sources.length === 0) throw new NeuriteError(`graph: node '${name}' has no incoming edge`);
      else {
        input = values.get(sources[0]!)!;
        for (const s of sources.slice(1)) input = input.add(values.get(s)!);
      }
      values.set(name, this.#nodes.get(name)!.forward(input));
    }
    return values;
  }

  override describe(): NodeDescription {
    const nodes: Record<string, NodeSpec> = {};
    for (const [name, m] of this.#nodes) nodes[name] = specOf(m);
    return {
      type: 'graph',
      options: { nodes, edges: this.#edges.map(([a, b]) => [a, b]) } satisfies GraphSpec,
    };
  }
}

/** Kahn's algorithm; a cycle is an error naming the nodes on it. */
export function topologicalOrder(
  names: readonly string[],
  edges: readonly (readonly [string, string])[],
): string[] {
  const indegree = new Map(names.map((n) => [n, 0]));
  const next = new Map(names.map((n) => [n, [] as string[]]));
  for (const [from, to] of edges) {
    indegree.set(to, indegree.get(to)! + 1);
    next.get(from)!.push(to);
  }
  const ready = names.filter((n) => indegree.get(n) === 0);
  const order: string[] = [];
  while (ready.length) {
    const n = ready.shift()!;
    order.push(n);
    for (const m of next.get(n)!) {
      indegree.set(m, indegree.get(m)! - 1);
      if (indegree.get(m) === 0) ready.push(m);
    }
  }
  if (order.length !== names.length) {
    const cyclic = names.filter((n) => !order.includes(n));
    throw new NeuriteError(`graph: the edges form a cycle through ${cyclic.join(', ')}`, {
      hint: 'recurrence belongs inside a node type (a recurrent layer), or in a simulator such as the NIR plugin’s',
    });
  }
  return order;
}

class Passthrough extends Module {
  constructor(readonly type: 'input' | 'output') {
    super();
  }
  forward(x: Tensor): Tensor {
    return x;
  }
  override describe(): NodeDescription {
    return { type: this.type, options: {} };
  }
}

declare module './spec.js' {
  interface NodeOptions {
    sequential: { layers: NodeSpec[] };
    graph: GraphSpec;
    input: Record<string, never>;
    output: Record<string, never>;
  }
}

export const containerNodes: NodeType[] = [
  defineNode({
    name: 'sequential',
    description: 'applies its layers in order',
    options: type({ layers: 'object[]' }),
    childOptions: ['layers'],
    example: {
      options: {
        layers: [
          { type: 'linear', inFeatures: 3, outFeatures: 4 },
          { type: 'relu' },
          { type: 'linear', inFeatures: 4, outFeatures: 2 },
        ],
      },
      input: (rt) => rt.randn([2, 3]),
    },
    build: (o, ctx) =>
      new Sequential((o.layers as NodeSpec[]).map((spec, i) => ctx.build(spec, `${ctx.path}.layers.${i}`))),
  }),
  defineNode({
    name: 'graph',
    description: 'a dataflow graph: named nodes and [from, to] edges; incoming edges are summed',
    options: type({ nodes: 'Record<string, object>', edges: type(['string', 'string']).array() }),
    childOptions: ['nodes'],
    example: {
      // A residual connection: two edges into `out` are summed.
      options: {
        nodes: {
          in: { type: 'input' },
          hidden: { type: 'linear', inFeatures: 3, outFeatures: 3 },
          out: { type: 'output' },
        },
        edges: [
          ['in', 'hidden'],
          ['hidden', 'out'],
          ['in', 'out'],
        ],
      },
      input: (rt) => rt.randn([2, 3]),
    },
    build: (o, ctx) => {
      const nodes = new Map<string, Module>();
      const types = new Map<string, string>();
      for (const [name, spec] of Object.entries(o.nodes as Record<string, NodeSpec>)) {
        nodes.set(name, ctx.build(spec, `${ctx.path}.nodes.${name}`));
        types.set(name, spec.type);
      }
      return new GraphModule(nodes, o.edges, types);
    },
  }),
  defineNode({
    name: 'input',
    description: 'the graph input',
    options: type({}),
    example: { input: (rt) => rt.randn([2, 3]) },
    build: () => new Passthrough('input'),
  }),
  defineNode({
    name: 'output',
    description: 'the graph output',
    options: type({}),
    example: { input: (rt) => rt.randn([2, 3]) },
    build: () => new Passthrough('output'),
  }),
];

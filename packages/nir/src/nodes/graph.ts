import {
  isRecordable,
  Module,
  NeuriteError,
  type NodeDescription,
  type NodeSpec,
  ops,
  specOf,
  type Tensor,
} from '@neurite/kernel';
import { type GraphPlan, planGraph } from './plan.js';
import { isStepped, type StepMode, type Stepped, stepOf } from './stepping.js';

/** Where recorded values go: node paths (`lif1.lif`, nested `sub/lif`) and state names (`out`, `v`, `i`). */
export interface RecordSink {
  wants(path: string): boolean;
  /** `single`: one step [B, ...] of a step-by-step run (called once per step); else a whole [T, B, ...]. */
  put(path: string, state: string, value: Tensor, single: boolean): void;
}

interface Incoming {
  readonly from: string;
  readonly recurrent: boolean;
}

export interface NirGraphOptions {
  readonly inputShape?: readonly number[] | undefined;
}

/**
 * A NIR graph as a neurite module: named nodes, edges whose values are summed at their target, and
 * cycles. Edges that close a cycle (plan.ts) carry the previous step's value, so a graph with cycles runs
 * step by step: every node in single-step mode, one time step at a time, in the plan's order. A graph
 * without cycles runs each node once over the whole sequence (the neuron scans fused over time); both
 * give the same numbers. Input [T, B, ...input] in multi-step mode, [B, ...input] in single-step mode.
 */
export class NirGraphModule extends Module implements Stepped {
  stepMode: StepMode = 'multi';
  /** Run step by step even without cycles (to compare with the fused multi-step path). */
  forceSteps = false;
  readonly #nodes: Map<string, Module>;
  readonly #types: Map<string, string>;
  readonly #edges: readonly (readonly [string, string])[];
  readonly #plan: GraphPlan;
  readonly #incoming: Map<string, Incoming[]>;
  readonly #input: string;
  readonly #output: string;
  readonly #options: NirGraphOptions;
  #previous = new Map<string, Tensor>();
  #sink: { sink: RecordSink; prefix: string } | null = null;

  constructor(
    nodes: Map<string, Module>,
    types: Map<string, string>,
    edges: readonly (readonly [string, string])[],
    options: NirGraphOptions = {},
  ) {
    super();
    this.#nodes = nodes;
    this.#types = types;
    this.#edges = edges;
    this.#options = options;
    const ofType = (t: string) => [...types].filter(([, v]) => v === t).map(([k]) => k);
    const inputs = ofType('input');
    const outputs = ofType('output');
    if (inputs.length !== 1 || outputs.length !== 1) {
      throw new NeuriteError(
        `nir-graph: simulation needs exactly one Input and one Output node (found ${inputs.length} and ${outputs.length})`,
      );
    }
    this.#input = inputs[0]!;
    this.#output = outputs[0]!;
    this.#plan = planGraph([...nodes.keys()], edges, inputs);
    this.#incoming = new Map([...nodes.keys()].map((k) => [k, []]));
    for (const [i, [from, to]] of edges.entries()) {
      this.#incoming.get(to)!.push({ from, recurrent: this.#plan.recurrent.has(i) });
    }
  }

  override children(): [string, Module][] {
    return [...this.#nodes];
  }

  node(name: string): Module | undefined {
    return this.#nodes.get(name);
  }

  get plan(): GraphPlan {
    return this.#plan;
  }

  /** The recurrent edges as [from, to] pairs. */
  recurrentEdges(): [string, string][] {
    return [...this.#plan.recurrent].map((i) => [this.#edges[i]![0], this.#edges[i]![1]]);
  }

  /** Sends every node's output and recorded states to `sink` during the next runs (null: stop). */
  record(sink: RecordSink | null, prefix = ''): void {
    this.#sink = sink ? { sink, prefix } : null;
    for (const [name, m] of this.#nodes) if (m instanceof NirGraphModule) m.record(sink, `${prefix}${name}/`);
  }

  forward(x: Tensor): Tensor {
    if (this.stepMode === 'single') return this.#run(x, true);
    if (this.#plan.recurrent.size === 0 && !this.forceSteps) return this.#run(x, false);
    return this.#loop(x);
  }

  /** Runs a whole sequence one step at a time (every stateful descendant in single-step mode). */
  #loop(x: Tensor): Tensor {
    const stepped = this.modules().filter(([name, m]) => name !== '' && isStepped(m)) as [
      string,
      Module & Stepped,
    ][];
    const modes = stepped.map(([, m]) => m.stepMode);
    for (const [, m] of stepped) m.stepMode = 'single';
    this.visit('resetState');
    try {
      const outputs: Tensor[] = [];
      for (let t = 0; t < x.shape[0]!; t++) outputs.push(this.#run(stepOf(x, t), true));
      return ops.stack(outputs, 0);
    } finally {
      stepped.forEach(([, m], i) => {
        m.stepMode = modes[i]!;
      });
    }
  }

  /** One pass over the nodes in plan order: a whole sequence (multi) or one step (single). */
  #run(x: Tensor, single: boolean): Tensor {
    const values = new Map<string, Tensor>();
    for (const name of this.#plan.order) {
      let input: Tensor | undefined;
      if (name === this.#input) input = x;
      else {
        for (const { from, recurrent } of this.#incoming.get(name)!) {
          const v = recurrent ? (single ? this.#previous.get(from) : undefined) : values.get(from);
          if (v === undefined) continue;
          input = input === undefined ? v : input.add(v);
        }
      }
      if (input === undefined) {
        throw new NeuriteError(`nir-graph: node '${name}' receives no input`, {
          hint: 'every node must be reachable from the Input node',
        });
      }
      const node = this.#nodes.get(name)!;
      const out = node.forward(input);
      values.set(name, out);
      this.#emit(name, node, out, single);
    }
    if (single) {
      const next = new Map<string, Tensor>();
      for (const i of this.#plan.recurrent) {
        const from = this.#edges[i]![0];
        next.set(from, values.get(from)!);
      }
      this.#previous = next;
    }
    return values.get(this.#output)!;
  }

  #emit(name: string, node: Module, out: Tensor, single: boolean): void {
    const s = this.#sink;
    if (!s) return;
    const path = `${s.prefix}${name}`;
    if (!s.sink.wants(path)) return;
    s.sink.put(path, 'out', out, single);
    if (isRecordable(node))
      for (const [state, value] of Object.entries(node.recordedStates()))
        s.sink.put(path, state, value, single);
  }

  resetState(): void {
    this.#previous = new Map();
  }

  override describe(): NodeDescription {
    const nodes: Record<string, NodeSpec> = {};
    for (const [name, m] of this.#nodes) nodes[name] = specOf(m);
    const inputShape = this.#options.inputShape;
    return {
      type: 'nir-graph',
      options: {
        nodes,
        edges: this.#edges.map(([a, b]) => [a, b]),
        ...(inputShape ? { inputShape: [...inputShape] } : {}),
      },
    };
  }

  /** The node types by name (as the spec named them). */
  types(): ReadonlyMap<string, string> {
    return this.#types;
  }

  get inputName(): string {
    return this.#input;
  }

  get outputName(): string {
    return this.#output;
  }

  get inputShape(): readonly number[] | undefined {
    return this.#options.inputShape;
  }
}

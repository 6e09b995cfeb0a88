import {
  GraphModule,
  type Module,
  type NodeSpec,
  type Runtime,
  Sequential,
  specOf,
  type Tensor,
  ValidationError,
} from '@neurite/kernel';
import { i64 } from '../ir/arrays.js';
import type { NirArray, NirGraph, NirLeaf, NirNode } from '../ir/types.js';
import { NirGraphModule } from '../nodes/graph.js';
import { isFragment, type NirExportContext, type NirExportDef } from './registry.js';

export interface ExportOptions {
  /**
   * Shape of one sample at the model's input: per time step for a model that takes sequences, or the
   * static example for a model that starts with an encoder. Optional for a `nir-graph` that records it.
   */
  readonly inputShape?: readonly number[] | undefined;
  /** The time step the discrete model stands for, in seconds (decays β ↔ time constants τ). */
  readonly dt: number;
  /** Allow mappings that change behaviour (reported as warnings instead of errors). */
  readonly lossy?: boolean;
}

export interface ExportResult {
  readonly graph: NirGraph;
  /** What lossy mappings changed (empty unless `lossy`). */
  readonly warnings: string[];
}

type Mapped = { entry: string; exit: string } | 'identity';

/**
 * A neurite model as a NIR graph. Containers (`sequential`, `graph`, `nir-graph`) become NIR graphs
 * (nested ones nested); every other node is mapped by the `nir-export` entry of its node type, with its
 * per-sample input and output shapes found by running the model once on zeros (one sample, one step).
 * A node type without an entry is a ValidationError naming it.
 */
export function exportNir(rt: Runtime, model: Module, options: ExportOptions): ExportResult {
  const warnings: string[] = [];
  const inputShape = options.inputShape ?? (model instanceof NirGraphModule ? model.inputShape : undefined);
  if (!inputShape) {
    throw new ValidationError('NIR export', [
      { path: 'inputShape', message: 'give the shape of one input sample (e.g. --input-shape 2,34,34)' },
    ]);
  }
  const exporter = new Exporter(rt, options, warnings);
  const graph = rt.noGrad(() => {
    model.eval();
    return exporter.container(model, 'model', inputShape, true);
  });
  return { graph, warnings };
}

class Exporter {
  constructor(
    readonly rt: Runtime,
    readonly options: ExportOptions,
    readonly warnings: string[],
  ) {}

  def(type: string, path: string): NirExportDef {
    const def = this.rt.registry('nir-export').get(type);
    if (!def) {
      const known = this.rt.registry('nir-export').names();
      throw new ValidationError('NIR export', [
        {
          path,
          message: `node type '${type}' has no NIR meaning (exportable: sequential, graph, nir-graph, ${known.join(', ')})`,
        },
      ]);
    }
    return def;
  }

  /** A container (or a single node) as a NIR graph whose Input takes `inputShape` per sample. */
  container(module: Module, path: string, inputShape: readonly number[], top: boolean): NirGraph {
    if (module instanceof Sequential) return this.sequential(module, path, inputShape, top);
    if (module instanceof GraphModule || module instanceof NirGraphModule)
      return this.graph(module, path, inputShape);
    // A lone node: Input → node → Output.
    return this.sequential(new Sequential([module]), path, inputShape, top);
  }

  sequential(module: Sequential, path: string, inputShape: readonly number[], top: boolean): NirGraph {
    const layers = module.layers;
    const specs = layers.map(specOf);
    let start = 0;
    let x: Tensor;
    const encoderAt = top
      ? specs.map((s) => this.rt.registry('nir-export').get(s.type)?.encoder === true).lastIndexOf(true)
      : -1;
    if (encoderAt >= 0) {
      // Static preprocessing and the encoder run on one example; the NIR graph starts after them.
      x = zeros(this.rt, [1, ...inputShape]);
      for (let i = 0; i <= encoderAt; i++) x = layers[i]!.forward(x);
      start = encoderAt + 1;
    } else x = zeros(this.rt, [1, 1, ...inputShape]);
    const nodes = new Map<string, NirNode>();
    const edges: [string, string][] = [];
    const first = perSample(x, `${path}.layers.${start}`);
    nodes.set('input', { type: 'Input', fields: new Map([['shape', i64(first)]]) });
    let previous = 'input';
    for (let i = start; i < layers.length; i++) {
      const name = String(i);
      const at = `${path}.layers.${i}`;
      const inShape = perSample(x, at);
      const y = layers[i]!.forward(x);
      const mapped = this.node(layers[i]!, specs[i]!, name, at, inShape, perSample(y, at), nodes, edges);
      if (mapped !== 'identity') {
        edges.push([previous, mapped.entry]);
        previous = mapped.exit;
      }
      x = y;
    }
    nodes.set('output', { type: 'Output', fields: new Map([['shape', i64(perSample(x, path))]]) });
    edges.push([previous, 'output']);
    return { type: 'NIRGraph', nodes, edges };
  }

  graph(module: GraphModule | NirGraphModule, path: string, inputShape: readonly number[]): NirGraph {
    const spec = specOf(module) as NodeSpec & { nodes: Record<string, NodeSpec>; edges: [string, string][] };
    const outputs = runGraph(this.rt, module, inputShape);
    const nodes = new Map<string, NirNode>();
    const edges: [string, string][] = [];
    const mapped = new Map<string, Mapped>();
    for (const [name, child] of module.children()) {
      const childSpec = spec.nodes[name]!;
      const at = `${path}.nodes.${name}`;
      const out = outputs.get(name);
      if (!out)
        throw new ValidationError('NIR export', [
          { path: at, message: 'produced no value (is it reachable from the input?)' },
        ]);
      const source = spec.edges.find(([, to]) => to === name)?.[0];
      const inShape =
        childSpec.type === 'input' ? [...inputShape] : perSample(outputs.get(source ?? '')!, at);
      if (childSpec.type === 'input' || childSpec.type === 'output') {
        nodes.set(name, {
          type: childSpec.type === 'input' ? 'Input' : 'Output',
          fields: new Map([['shape', i64(childSpec.type === 'input' ? inShape : perSample(out, at))]]),
        });
        mapped.set(name, { entry: name, exit: name });
        continue;
      }
      mapped.set(name, this.node(child, childSpec, name, at, inShape, perSample(out, at), nodes, edges));
    }
    const resolved: [string, string][] = [];
    for (const [from, to] of spec.edges) {
      for (const a of exits(from, spec.edges, mapped))
        for (const b of entries(to, spec.edges, mapped)) resolved.push([a, b]);
    }
    return { type: 'NIRGraph', nodes, edges: [...edges, ...resolved] };
  }

  /** Maps one node into `nodes`/`edges`; returns where edges into and out of it attach. */
  node(
    module: Module,
    spec: NodeSpec,
    name: string,
    path: string,
    inShape: number[],
    outShape: number[],
    nodes: Map<string, NirNode>,
    edges: [string, string][],
  ): Mapped {
    if (module instanceof Sequential || module instanceof GraphModule || module instanceof NirGraphModule) {
      nodes.set(name, this.container(module, path, inShape, false));
      return { entry: name, exit: name };
    }
    const def = this.def(spec.type, path);
    const state = new Map<string, NirArray>();
    for (const [k, t] of module.stateDict()) state.set(k, hostArray(t));
    const ctx: NirExportContext = {
      runtime: this.rt,
      spec,
      module,
      state,
      inputShape: inShape,
      outputShape: outShape,
      dt: this.options.dt,
      path,
      lossy: (message) => {
        if (!this.options.lossy) {
          throw new ValidationError('NIR export', [
            { path, message: `${message} (allow it with the lossy option / --lossy)` },
          ]);
        }
        this.warnings.push(`${path}: ${message}`);
      },
    };
    const result = def.toNir(ctx);
    if (result === 'identity') return 'identity';
    if (!isFragment(result)) {
      nodes.set(name, result);
      return { entry: name, exit: name };
    }
    for (const [k, n] of Object.entries(result.nodes)) nodes.set(`${name}.${k}`, n);
    for (const [a, b] of result.edges) edges.push([`${name}.${a}`, `${name}.${b}`]);
    return { entry: `${name}.${result.input}`, exit: `${name}.${result.output}` };
  }
}

/** Where edges leaving `name` start: its exit, or (for a node left out) the exits of its sources. */
function exits(
  name: string,
  edges: readonly (readonly [string, string])[],
  mapped: Map<string, Mapped>,
  seen = new Set<string>(),
): string[] {
  const m = mapped.get(name)!;
  if (m !== 'identity') return [m.exit];
  if (seen.has(name)) return [];
  seen.add(name);
  return edges.filter(([, to]) => to === name).flatMap(([from]) => exits(from, edges, mapped, seen));
}

function entries(
  name: string,
  edges: readonly (readonly [string, string])[],
  mapped: Map<string, Mapped>,
  seen = new Set<string>(),
): string[] {
  const m = mapped.get(name)!;
  if (m !== 'identity') return [m.entry];
  if (seen.has(name)) return [];
  seen.add(name);
  return edges.filter(([from]) => from === name).flatMap(([, to]) => entries(to, edges, mapped, seen));
}

function zeros(rt: Runtime, shape: readonly number[]): Tensor {
  return rt.zeros(shape);
}

/** The per-sample shape of a time-major [T, 1, ...F] value. */
function perSample(x: Tensor, path: string): number[] {
  if (x.rank < 2 || x.shape[1] !== 1) {
    throw new ValidationError('NIR export', [
      { path, message: `expected a time-major [T, B, …] value here, found [${x.shape.join(', ')}]` },
    ]);
  }
  return x.shape.slice(2);
}

/** Every node's output of a graph container run once on zeros. */
function runGraph(
  rt: Runtime,
  module: GraphModule | NirGraphModule,
  inputShape: readonly number[],
): Map<string, Tensor> {
  const x = rt.zeros([1, 1, ...inputShape]);
  if (module instanceof GraphModule) return module.run(x);
  const outputs = new Map<string, Tensor>();
  module.record({
    wants: (p) => !p.includes('/'),
    put: (p, s, v) => {
      if (s === 'out') outputs.set(p, v);
    },
  });
  try {
    module.forward(x);
  } finally {
    module.record(null);
  }
  // The step loop records one step ([B, ...F]); give every value the [T, B, ...] form.
  if (module.plan.recurrent.size > 0)
    for (const [k, v] of outputs) outputs.set(k, v.reshape([1, ...v.shape]));
  return outputs;
}

/** A tensor's values as a NIR array (float64 stays float64, spikes and integers become float32/int). */
export function hostArray(t: Tensor): NirArray {
  const data = t.dataSync();
  if (t.dtype === 'float64')
    return { dtype: 'float64', shape: t.shape, data: Float64Array.from(data as Float64Array) };
  if (t.dtype === 'int32')
    return { dtype: 'int32', shape: t.shape, data: Int32Array.from(data as Int32Array) };
  return { dtype: 'float32', shape: t.shape, data: Float32Array.from(data as ArrayLike<number>) };
}

export type { NirLeaf };

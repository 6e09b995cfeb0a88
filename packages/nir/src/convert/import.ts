import {
  buildModel,
  type ModelGraph,
  type NodeSpec,
  type Runtime,
  type Tensor,
  ValidationError,
} from '@neurite/kernel';
import { ints } from '../ir/arrays.js';
import { inferShapes } from '../ir/shapes.js';
import { isGraph, type NirGraph, type NirLeaf } from '../ir/types.js';
import type { Convention } from '../nodes/discretise.js';
import type { NirGraphModule } from '../nodes/graph.js';
import type { NirImportContext } from './registry.js';

export interface ImportOptions {
  /** Time step of the simulation in seconds. */
  readonly dt: number;
  /** How continuous-time neurons become per-step updates (see discretise.ts); default 'euler'. */
  readonly convention?: Convention;
}

/**
 * A NIR graph as neurite's graph form: a `nir-graph` node spec (nested NIR graphs become nested
 * `nir-graph` nodes) and its state (weights and NIR parameters, by the built module's names). Each NIR
 * node type is turned into a neurite node by the `nir-import` entry of that name; a type no plugin
 * imports is a ValidationError naming the node and the types that are known.
 */
export function importNirGraph(rt: Runtime, graph: NirGraph, options: ImportOptions): ModelGraph {
  const state = new Map<string, Tensor>();
  const spec = importGraph(rt, graph, options, '/node', '', state);
  return { spec, state };
}

/** `importNirGraph`, built into a runnable module with its state loaded. */
export function buildNirModule(
  rt: Runtime,
  graph: NirGraph,
  options: ImportOptions,
): { module: NirGraphModule; model: ModelGraph } {
  const model = importNirGraph(rt, graph, options);
  const module = buildModel(rt, model.spec);
  module.loadStateDict(model.state);
  module.eval();
  return { module: module as NirGraphModule, model };
}

function importGraph(
  rt: Runtime,
  graph: NirGraph,
  options: ImportOptions,
  path: string,
  prefix: string,
  state: Map<string, Tensor>,
): NodeSpec {
  const shapes = inferShapes(graph);
  const nodes: Record<string, NodeSpec> = {};
  let inputShape: number[] | undefined;
  for (const [name, node] of graph.nodes) {
    const at = `${path}/nodes/${name}`;
    if (isGraph(node)) {
      nodes[name] = importGraph(rt, node, options, at, `${prefix}${name}.`, state);
      continue;
    }
    if (node.type === 'Input' || node.type === 'Output') {
      nodes[name] = { type: node.type === 'Input' ? 'input' : 'output' };
      if (node.type === 'Input') inputShape = ints(node.fields.get('shape') as never);
      continue;
    }
    const def = rt.registry('nir-import').get(node.type);
    if (!def) {
      throw new ValidationError('NIR import', [
        {
          path: at,
          message: `unknown NIR node type '${node.type}' (imported: Input, Output, NIRGraph, ${rt.registry('nir-import').names().join(', ')})`,
        },
      ]);
    }
    const ctx: NirImportContext = {
      runtime: rt,
      dt: options.dt,
      convention: options.convention ?? 'euler',
      path: at,
      inputShape: shapes.get(name)?.input,
      outputShape: shapes.get(name)?.output,
    };
    const imported = def.toNeurite(node as NirLeaf, ctx);
    nodes[name] = imported.spec;
    for (const [k, t] of imported.state) state.set(`${prefix}${name}.${k}`, t);
  }
  return {
    type: 'nir-graph',
    nodes,
    edges: graph.edges.map(([a, b]) => [a, b]),
    ...(inputShape ? { inputShape } : {}),
  };
}

import { isRecordable, type Module, ops, type Runtime, type Tensor, ValidationError } from '@neurite/kernel';
import { buildNirModule } from './convert/import.js';
import type { NirGraph } from './ir/types.js';
import type { Convention } from './nodes/discretise.js';
import { NirGraphModule, type RecordSink } from './nodes/graph.js';
import { NirNeuron } from './nodes/neuron.js';

/** A state to record: a node (nested graphs as `sub/node`) and a state (`out`, `v`, `i`). */
export interface RecordRequest {
  readonly node: string;
  readonly state: string;
}

export interface SimulationOptions {
  readonly dt: number;
  readonly convention?: Convention;
  /** What to record; default: the output node and every neuron's membrane voltage `v`. */
  readonly record?: readonly RecordRequest[];
  /** Run step by step even when the graph has no cycles (the results are the same). */
  readonly steps?: boolean;
}

export interface SimulationResult {
  readonly output: Tensor;
  /** Recorded values, [T, B, ...shape] each, in the order requested. */
  readonly records: { readonly node: string; readonly state: string; readonly value: Tensor }[];
  readonly module: NirGraphModule;
}

/**
 * Parses `node.state` names: the longest prefix naming a node wins, so node names may contain dots
 * (`lif1.lif.v` is state `v` of node `lif1.lif`); a bare node name records its output.
 */
export function parseRecord(text: string, nodes: ReadonlySet<string>): RecordRequest {
  if (nodes.has(text)) return { node: text, state: 'out' };
  const dot = text.lastIndexOf('.');
  if (dot > 0 && nodes.has(text.slice(0, dot)))
    return { node: text.slice(0, dot), state: text.slice(dot + 1) };
  throw new ValidationError('--record', [
    { path: text, message: `names no node (nodes: ${[...nodes].join(', ')})` },
  ]);
}

/** Every node path of a module tree of nir-graphs (`a`, `sub/b`, …). */
export function nodePaths(module: NirGraphModule, prefix = ''): string[] {
  return module
    .children()
    .flatMap(([name, m]) => [
      `${prefix}${name}`,
      ...(m instanceof NirGraphModule ? nodePaths(m, `${prefix}${name}/`) : []),
    ]);
}

/** The default recording: the output node, then every neuron's membrane (`v`), in graph order. */
export function defaultRecord(module: NirGraphModule, prefix = ''): RecordRequest[] {
  const out: RecordRequest[] = prefix ? [] : [{ node: module.outputName, state: 'out' }];
  for (const name of module.plan.order) {
    const m = module.node(name)!;
    if (m instanceof NirNeuron) out.push({ node: `${prefix}${name}`, state: 'v' });
    else if (m instanceof NirGraphModule) out.push(...defaultRecord(m, `${prefix}${name}/`));
  }
  return out;
}

/**
 * Runs a module tree of nir-graphs on a time-major input [T, B, ...input] and records the requested
 * states per step. Works for any built `nir-graph` module.
 */
export function runRecorded(
  module: NirGraphModule,
  x: Tensor,
  record: readonly RecordRequest[],
  steps = false,
): SimulationResult {
  const wanted = new Set(record.map((r) => r.node));
  const collected = new Map<string, Tensor[]>();
  const key = (node: string, state: string) => `${node}\u0000${state}`;
  const single = new Map<string, boolean>();
  const sink: RecordSink = {
    wants: (path) => wanted.has(path),
    put: (path, state, value, isSingle) => {
      const k = key(path, state);
      if (!collected.has(k)) collected.set(k, []);
      collected.get(k)!.push(value);
      single.set(k, isSingle);
    },
  };
  const rt = x.runtime;
  const previous = module.forceSteps;
  module.forceSteps = steps;
  module.record(sink);
  let output: Tensor;
  try {
    output = rt.noGrad(() => module.forward(x));
  } finally {
    module.record(null);
    module.forceSteps = previous;
  }
  const records = record.map(({ node, state }) => {
    const list = collected.get(key(node, state));
    if (!list) {
      const m = findNode(module, node);
      const known = m && isRecordable(m) ? ['out', ...Object.keys(m.recordedStates())] : ['out'];
      throw new ValidationError('record', [
        { path: `${node}.${state}`, message: `no such state (recordable: ${known.join(', ')})` },
      ]);
    }
    // A step-by-step run gives T values of [B, ...]; a multi-step run one [T, B, ...].
    const value = single.get(key(node, state)) ? ops.stack(list, 0) : list[list.length - 1]!;
    return { node, state, value };
  });
  return { output, records, module };
}

function findNode(module: NirGraphModule, path: string): Module | undefined {
  const [head, ...rest] = path.split('/');
  const m = module.node(head!);
  if (!m || rest.length === 0) return m;
  return m instanceof NirGraphModule ? findNode(m, rest.join('/')) : undefined;
}

/** Imports a NIR graph at dt and simulates it on `x` ([T, B, ...input]), recording per step. */
export function simulateNir(
  rt: Runtime,
  graph: NirGraph,
  x: Tensor,
  options: SimulationOptions,
): SimulationResult {
  const { module } = buildNirModule(rt, graph, {
    dt: options.dt,
    ...(options.convention ? { convention: options.convention } : {}),
  });
  const record = options.record ?? defaultRecord(module);
  return runRecorded(module, x, record, options.steps ?? false);
}

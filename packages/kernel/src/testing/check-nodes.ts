import { type } from 'arktype';
import { formatShape } from '../errors.js';
import { buildModel, fromModelGraph } from '../graph/build.js';
import { toModelGraph } from '../graph/export.js';
import type { NodeType } from '../graph/node-type.js';
import type { NodeSpec } from '../graph/spec.js';
import { decodeSafetensors } from '../io/safetensors/decode.js';
import { encodeSafetensors } from '../io/safetensors/encode.js';
import type { Module } from '../nn/module.js';
import type { Runtime } from '../runtime.js';
import type { Tensor } from '../tensor/tensor.js';
import { expect, messageOf } from './report.js';

/** Whether the node type cannot build without example options (its schema has required fields). */
export function needsExampleOptions(node: NodeType): string | null {
  if (node.example?.options) return null;
  const checked = node.options({});
  return checked instanceof type.errors ? checked.summary.replaceAll('\n', '; ') : null;
}

/**
 * Builds a node type from its example options (or its schema defaults), exports it to the graph form,
 * saves its state as safetensors, rebuilds it from the JSON text of the spec and the decoded state,
 * and checks that both describe themselves alike, hold the same state, and — given a sample input —
 * compute identical outputs.
 */
export async function checkNode(rt: Runtime, node: NodeType, seed: number): Promise<string> {
  const spec = { type: node.name, ...(node.example?.options ?? {}) } as NodeSpec;
  rt.seed(seed);
  const original = buildModel(rt, spec);
  const graph = toModelGraph(original);
  expect(graph.spec.type === node.name, `describe() names type '${graph.spec.type}', not '${node.name}'`);
  const text = JSON.stringify(graph.spec);
  const parsed = JSON.parse(text) as NodeSpec;
  expect(
    deepEqual(parsed, graph.spec),
    `its exported spec is not plain JSON (changed by JSON text): ${text.slice(0, 200)}`,
  );
  const bytes = await encodeSafetensors(graph.state);
  const state = decodeSafetensors(bytes, rt, { file: `${node.name}.safetensors` }).tensors;

  rt.seed(seed + 1); // a different stream: the rebuilt module's values must come from the state alone
  let rebuilt: Module;
  try {
    rebuilt = fromModelGraph(rt, { spec: parsed, state });
  } catch (error) {
    throw new Error(`rebuilding from its exported graph form fails: ${messageOf(error)}`);
  }
  const again = toModelGraph(rebuilt);
  expect(
    deepEqual(again.spec, graph.spec),
    `the rebuilt module describes itself differently: ${JSON.stringify(again.spec).slice(0, 200)}`,
  );
  await sameState(graph.state, again.state);

  // Module-owned random streams travel in checkpoints beside the state, not in it: carry them over.
  const streams = new Map(rebuilt.namedRngs());
  const names = original.namedRngs().map(([name]) => name);
  expect(
    names.join() === [...streams.keys()].join(),
    `random streams differ after the round trip: [${names}] vs [${[...streams.keys()]}]`,
  );
  for (const [name, rng] of original.namedRngs()) streams.get(name)?.setState(rng.getState());

  const input = node.example?.input?.(rt);
  if (!input) return `builds, round-trips spec and ${graph.state.size} state tensor(s); no sample input`;
  const [a, b] = [forward(rt, original, input, seed), forward(rt, rebuilt, input, seed)];
  expect(
    a.dtype === b.dtype && a.shape.join() === b.shape.join(),
    `outputs differ: ${a.dtype} ${formatShape(a.shape)} vs ${b.dtype} ${formatShape(b.shape)}`,
  );
  const [da, db] = [await a.data(), await b.data()];
  const differing = da.findIndex((v, i) => !Object.is(v, db[i]));
  expect(
    differing < 0,
    `the rebuilt module computes a different output (element ${differing}: ${da[differing]} vs ${db[differing]})`,
  );
  return `builds, round-trips spec and ${graph.state.size} state tensor(s), same output ${a.dtype} ${formatShape(a.shape)}`;
}

/** One forward in eval mode from a fresh random stream, so stochastic layers draw alike. */
function forward(rt: Runtime, module: Module, input: Tensor, seed: number): Tensor {
  module.eval();
  module.visit('resetState');
  rt.seed(seed + 2);
  return rt.noGrad(() => module.forward(input));
}

async function sameState(a: ReadonlyMap<string, Tensor>, b: ReadonlyMap<string, Tensor>): Promise<void> {
  const keys = (m: ReadonlyMap<string, Tensor>) => [...m.keys()].join(', ');
  expect(keys(a) === keys(b), `state keys differ after the round trip: [${keys(a)}] vs [${keys(b)}]`);
  for (const [name, t] of a) {
    const u = b.get(name)!;
    expect(
      t.dtype === u.dtype && t.shape.join() === u.shape.join(),
      `state ${name}: ${t.dtype} ${formatShape(t.shape)} came back as ${u.dtype} ${formatShape(u.shape)}`,
    );
    const [x, y] = [await t.data(), await u.data()];
    expect(
      x.every((v, i) => Object.is(v, y[i])),
      `state ${name}: values changed in the round trip`,
    );
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

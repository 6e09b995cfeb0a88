import { type } from 'arktype';
import { ValidationError } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { Rng } from '../random/rng.js';
import type { Runtime } from '../runtime.js';
import type { BuildContext } from './node-type.js';
import type { ModelGraph, NodeSpec } from './spec.js';

export interface Issue {
  readonly path: string;
  readonly message: string;
}

/** Formats arktype's errors with a path prefix (the node's place in the config). */
export function arkIssues(errors: InstanceType<typeof type.errors>, prefix: string): Issue[] {
  return errors.map((e) => {
    const inner = e.path.join('.');
    return { path: inner ? (prefix ? `${prefix}.${inner}` : inner) : prefix, message: e.problem };
  });
}

const describe = (v: unknown) =>
  v === undefined ? 'missing' : (JSON.stringify(v)?.slice(0, 60) ?? String(v));

/**
 * Validates a node spec against the registered node types, recursively through containers, and
 * returns it with every default applied. Every problem is reported with its JSON path, e.g.
 * `model.layers.2.outFeatures: must be positive (was -1)`.
 */
export function resolveNode(rt: Runtime, spec: unknown, path = 'model'): NodeSpec {
  const issues: Issue[] = [];
  const resolved = resolveInto(rt, spec, path, issues);
  if (issues.length || !resolved) throw new ValidationError('invalid model', issues);
  return resolved;
}

function resolveInto(rt: Runtime, spec: unknown, path: string, issues: Issue[]): NodeSpec | null {
  if (typeof spec !== 'object' || spec === null || Array.isArray(spec)) {
    issues.push({ path, message: `must be a node object with a "type" (was ${describe(spec)})` });
    return null;
  }
  const { type: typeName, ...options } = spec as Record<string, unknown>;
  if (typeof typeName !== 'string') {
    issues.push({
      path: `${path}.type`,
      message: `must be a string naming a node type (was ${describe(typeName)})`,
    });
    return null;
  }
  const nodeType = rt.registry('node').get(typeName);
  if (!nodeType) {
    const known = rt.registry('node').names();
    issues.push({
      path: `${path}.type`,
      message: `unknown node type '${typeName}' (known: ${known.join(', ')})`,
    });
    return null;
  }
  for (const key of nodeType.childOptions ?? []) {
    const value = options[key];
    if (Array.isArray(value))
      options[key] = value.map((child, i) => resolveInto(rt, child, `${path}.${key}.${i}`, issues));
    else if (typeof value === 'object' && value !== null) {
      options[key] = Object.fromEntries(
        Object.entries(value).map(([k, child]) => [k, resolveInto(rt, child, `${path}.${key}.${k}`, issues)]),
      );
    }
  }
  const validated = nodeType.options(options);
  if (validated instanceof type.errors) {
    issues.push(...arkIssues(validated, path));
    return null;
  }
  return { type: typeName, ...(validated as Record<string, unknown>) };
}

/** Builds a validated (or raw) node spec into a module. `rng` seeds every node's initialisation. */
export function buildModel(rt: Runtime, spec: unknown, options: { rng?: Rng; path?: string } = {}): Module {
  const path = options.path ?? 'model';
  const resolved = resolveNode(rt, spec, path);
  const rng = options.rng ?? rt.rng.split();
  const build = (node: NodeSpec, at: string): Module => {
    const { type: typeName, ...nodeOptions } = node as { type: string } & Record<string, unknown>;
    const ctx: BuildContext = { runtime: rt, rng: rng.split(), path: at, build };
    return rt.registry('node').require(typeName).build(nodeOptions, ctx);
  };
  return build(resolved, path);
}

/** Rebuilds a model from its graph form and loads its state: the inverse of `toModelGraph`. */
export function fromModelGraph(rt: Runtime, graph: ModelGraph): Module {
  const module = buildModel(rt, graph.spec);
  module.loadStateDict(graph.state);
  return module;
}

import { type } from 'arktype';
import { ValidationError } from '../errors.js';
import { arkIssues, type Issue, resolveNode } from '../graph/build.js';
import type { NodeSpec } from '../graph/spec.js';
import type { Runtime } from '../runtime.js';

const schedule = type({
  type: "'constant' | 'step' | 'cosine' | 'one-cycle'",
  /** Advance once per epoch or once per batch. */
  'per?': "'epoch' | 'batch'",
  /** step: epochs (or batches) between decays, and the factor. */
  'stepSize?': 'number.integer > 0',
  'gamma?': 'number > 0',
  /** cosine: the floor. */
  'minLr?': 'number >= 0',
  /** one-cycle: the peak learning rate (default 10× the base), and its PyTorch shape options. */
  'maxLr?': 'number > 0',
  'pctStart?': '0 < number < 1',
  'divFactor?': 'number > 0',
  'finalDivFactor?': 'number > 0',
});

const group = type({
  /** Glob over dotted parameter names, e.g. "*.positions". */
  match: 'string > 0',
  'lr?': 'number > 0',
  'weightDecay?': 'number >= 0',
  'schedule?': schedule,
  /** Freeze the matched parameters (no updates). */
  'frozen?': 'boolean',
});

const optimizer = type({
  type: "'sgd' | 'adam' | 'adamw'",
  lr: 'number > 0',
  'weightDecay?': 'number >= 0',
  'momentum?': 'number >= 0',
  'nesterov?': 'boolean',
  'betas?': ['0 <= number < 1', '0 <= number < 1'],
  'eps?': 'number > 0',
  'groups?': group.array(),
});

/**
 * A training run as JSON: the dataset, the model (a node spec), the loss, the optimiser and schedule,
 * and the loop's settings. Every part is validated against what the installed plugins register.
 */
export const trainConfigSchema = type({
  'description?': 'string',
  seed: 'number.integer >= 0 = 0',
  'backend?': 'string',
  dataset: type({ type: 'string > 0' }).and('Record<string, unknown>'),
  model: 'object',
  loss: type({ type: 'string > 0' })
    .and('Record<string, unknown>')
    .default(() => ({ type: 'cross-entropy' })),
  optimizer,
  'schedule?': schedule,
  train: {
    epochs: 'number.integer > 0',
    batchSize: 'number.integer > 0',
    'evalBatchSize?': 'number.integer > 0',
    'clipGradNorm?': 'number > 0',
    /** Batches per epoch limit (quick runs). */
    'maxBatches?': 'number.integer > 0',
  },
});

export type TrainConfigInput = typeof trainConfigSchema.inferIn;
export type ScheduleConfig = typeof schedule.infer;
export type OptimizerConfig = typeof optimizer.infer;

export interface TrainConfig extends Omit<typeof trainConfigSchema.infer, 'model' | 'dataset' | 'loss'> {
  readonly model: NodeSpec;
  readonly dataset: { readonly type: string } & Record<string, unknown>;
  readonly loss: { readonly type: string } & Record<string, unknown>;
}

/**
 * Validates a raw config against the schema and against the registered datasets, node types and
 * losses, applying every default. All problems are reported at once, each with its JSON path.
 */
export function resolveTrainConfig(rt: Runtime, raw: unknown, subject = 'config'): TrainConfig {
  const checked = trainConfigSchema(raw);
  if (checked instanceof type.errors) throw new ValidationError(subject, arkIssues(checked, ''));
  const issues: Issue[] = [];

  const dataset = resolveEntry(rt, 'dataset', checked.dataset, 'dataset', issues);
  const loss = resolveEntry(rt, 'loss', checked.loss, 'loss', issues);
  let model: NodeSpec | null = null;
  try {
    model = resolveNode(rt, checked.model, 'model');
  } catch (e) {
    if (e instanceof ValidationError) issues.push(...e.issues);
    else throw e;
  }
  if (checked.backend !== undefined && !rt.registry('backend').has(checked.backend)) {
    issues.push({
      path: 'backend',
      message: `unknown backend '${checked.backend}' (known: ${rt.registry('backend').names().join(', ')})`,
    });
  }
  if (issues.length || !dataset || !loss || !model) throw new ValidationError(subject, issues);
  return { ...checked, dataset, loss, model };
}

function resolveEntry(
  rt: Runtime,
  kind: 'dataset' | 'loss',
  value: { type: string } & Record<string, unknown>,
  path: string,
  issues: Issue[],
): ({ type: string } & Record<string, unknown>) | null {
  const { type: name, ...options } = value;
  const def = rt.registry(kind).get(name);
  if (!def) {
    const known = rt.registry(kind).names();
    issues.push({
      path: `${path}.type`,
      message: `unknown ${kind} '${name}' (known: ${known.join(', ') || 'none'})`,
    });
    return null;
  }
  const validated = def.options(options);
  if (validated instanceof type.errors) {
    issues.push(...arkIssues(validated, path));
    return null;
  }
  return { type: name, ...(validated as Record<string, unknown>) };
}

/**
 * Applies `path=value` overrides (the CLI's `--set`) to a raw config: dotted paths with numeric
 * segments for list items; values parse as JSON where they can (numbers, booleans, objects), lists
 * may be written comma-separated, anything else is a string.
 */
export function applyOverrides(raw: unknown, overrides: readonly string[]): unknown {
  const root = structuredClone(raw) as Record<string, unknown>;
  for (const o of overrides) {
    const eq = o.indexOf('=');
    if (eq <= 0) throw new ValidationError('--set', [{ path: o, message: 'expected path=value' }]);
    const path = o.slice(0, eq).split('.');
    const text = o.slice(eq + 1);
    let node: Record<string, unknown> = root;
    for (const [i, key] of path.slice(0, -1).entries()) {
      const next = node[key];
      if (next === undefined || next === null) {
        node[key] = /^\d+$/.test(path[i + 1]!) ? [] : {};
      } else if (typeof next !== 'object') {
        throw new ValidationError('--set', [
          { path: path.slice(0, i + 1).join('.'), message: `is ${JSON.stringify(next)}, not an object` },
        ]);
      }
      node = node[key] as Record<string, unknown>;
    }
    node[path.at(-1)!] = parseValue(text);
  }
  return root;
}

function parseValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    if (text.includes(',')) return text.split(',').map((part) => parseValue(part.trim()));
    return text;
  }
}

import { DTypeError, NeuriteError, ValidationError } from '../errors.js';
import { isFloat } from '../tensor/dtype.js';
import { sameShape } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';

/** Options every parameter group has; each optimiser adds its own. */
export interface GroupOptions {
  lr: number;
  weightDecay: number;
}

/** A parameter group as the optimiser holds it: its parameters and every option, defaults filled in. */
export type ParamGroup<O extends GroupOptions = GroupOptions> = O & { readonly params: readonly Tensor[] };

/** A parameter group as the user gives it: options left out take the optimiser's defaults. */
export type ParamGroupInput<O extends GroupOptions = GroupOptions> = Partial<O> & {
  readonly params: readonly Tensor[];
};

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };

/**
 * An optimiser's state for checkpoints. Tensors are keyed `<index>.<name>` (PyTorch's names, e.g.
 * `0.exp_avg`), where index counts parameters across groups in order. `scalars` is plain JSON: the
 * optimiser kind, each group's options (the scheduler may have changed lr and momentum) and parameter
 * indices, and each parameter's step count.
 */
export interface OptimizerStateDict {
  readonly tensors: Map<string, Tensor>;
  readonly scalars: OptimizerScalars;
}

export interface OptimizerScalars {
  readonly kind: string;
  readonly groups: readonly ({ readonly params: readonly number[] } & Readonly<Record<string, Json>>)[];
  /** Steps taken per parameter index (parameters that have not been updated are absent). */
  readonly steps: Readonly<Record<string, number>>;
}

/** A parameter's optimiser state: its step count and state tensors (moments, momentum buffer). */
export interface ParamState {
  step: number;
  tensors: Record<string, Tensor>;
}

export type Issue = { path: string; message: string };

/**
 * Base of the optimisers: parameter groups with their own options, per-parameter state, `zeroGrad`,
 * and state save and load. `step()` calls `update` for every parameter that has a gradient; an update
 * is one fused op per parameter, whose outputs replace the parameter's data (`Parameter.assign`) and
 * its state tensors, on the parameter's backend.
 */
export abstract class Optimizer<O extends GroupOptions = GroupOptions> {
  /** The name saved in state dicts ('sgd', 'adam', 'adamw'); a getter, as the constructor reads it. */
  abstract get kind(): string;
  readonly groups: ParamGroup<O>[] = [];
  readonly #state = new Map<Tensor, ParamState>();

  constructor(
    params: readonly Tensor[] | readonly ParamGroupInput<O>[],
    readonly defaults: Readonly<O>,
  ) {
    if (params.length === 0) throw new NeuriteError('optimizer: no parameters to optimise');
    const inputs = isGroupList(params) ? params : [{ params } as ParamGroupInput<O>];
    for (const group of inputs) this.addParamGroup(group);
  }

  /** Adds a group (options left out take the defaults); a parameter may belong to one group only. */
  addParamGroup(input: ParamGroupInput<O>): void {
    const index = this.groups.length;
    const group = {
      ...copyOptions(this.defaults),
      ...copyOptions(input),
      params: [...input.params],
    } as unknown as ParamGroup<O>;
    const issues = [...this.checkOptions(group).map((i) => ({ ...i, path: `groups[${index}].${i.path}` }))];
    const known = new Set(this.groups.flatMap((g) => g.params));
    group.params.forEach((p, k) => {
      const path = `groups[${index}].params[${k}]`;
      if (known.has(p)) issues.push({ path, message: 'appears in more than one parameter group' });
      known.add(p);
      if (!isFloat(p.dtype))
        throw new DTypeError(this.kind, `${path}: parameters must be float, found ${p.dtype}`);
      if (!p.isLeaf)
        issues.push({ path, message: 'is not a leaf tensor (detach it, or optimise the leaf it came from)' });
    });
    if (issues.length) throw new ValidationError(`${this.kind} parameter groups`, issues);
    this.groups.push(group);
  }

  /** Every parameter, in group order (the indices state dicts use). */
  get params(): Tensor[] {
    return this.groups.flatMap((g) => g.params);
  }

  /** Updates every parameter that has a gradient; parameters without one are left alone. */
  step(): void {
    for (const group of this.groups) {
      for (const p of group.params) {
        if (!p.grad) continue;
        let state = this.#state.get(p);
        if (!state) this.#state.set(p, (state = { step: 0, tensors: {} }));
        this.update(p, p.grad, group, state);
      }
    }
  }

  /** Clears every parameter's gradient. */
  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  /** The state of one parameter (undefined before its first update). */
  stateOf(param: Tensor): Readonly<ParamState> | undefined {
    return this.#state.get(param);
  }

  stateDict(): OptimizerStateDict {
    const tensors = new Map<string, Tensor>();
    const steps: Record<string, number> = {};
    let index = 0;
    const groups = this.groups.map(({ params, ...options }) => {
      const indices: number[] = [];
      for (const p of params) {
        const state = this.#state.get(p);
        if (state) {
          steps[index] = state.step;
          for (const [name, t] of Object.entries(state.tensors)) tensors.set(`${index}.${name}`, t);
        }
        indices.push(index++);
      }
      return { ...(copyOptions(options) as Record<string, Json>), params: indices };
    });
    return { tensors, scalars: { kind: this.kind, groups, steps } };
  }

  /**
   * Restores a state saved by `stateDict()` from an optimiser of the same kind over the same parameter
   * layout: group options (including the learning rates a scheduler set), step counts and state
   * tensors, so training continues exactly where it stopped. State tensors loaded onto another backend
   * (a file is read to cpu) join the parameter's backend with the first update, whose outputs live there.
   */
  loadStateDict(state: OptimizerStateDict): void {
    const { scalars, tensors } = state;
    const issues: Issue[] = [];
    // The scalars usually come from JSON in a checkpoint file: check their structure before use.
    const wellFormed =
      typeof scalars === 'object' &&
      scalars !== null &&
      Array.isArray(scalars.groups) &&
      scalars.groups.every((g) => typeof g === 'object' && g !== null && Array.isArray(g.params)) &&
      typeof scalars.steps === 'object' &&
      scalars.steps !== null &&
      tensors instanceof Map;
    if (!wellFormed) {
      throw new ValidationError(`${this.kind} state`, [
        { path: '', message: 'expected { tensors: Map, scalars: { kind, groups: [{ params, … }], steps } }' },
      ]);
    }
    if (scalars.kind !== this.kind) {
      issues.push({ path: 'kind', message: `expected ${this.kind}, found ${scalars.kind}` });
    }
    if (scalars.groups.length !== this.groups.length) {
      issues.push({
        path: 'groups',
        message: `expected ${this.groups.length} groups, found ${scalars.groups.length}`,
      });
    }
    if (issues.length) throw new ValidationError(`${this.kind} state`, issues);

    const params = this.params;
    const restored: ParamGroup<O>[] = [];
    this.groups.forEach((group, g) => {
      const saved = scalars.groups[g]!;
      if (saved.params.length !== group.params.length) {
        issues.push({
          path: `groups[${g}].params`,
          message: `expected ${group.params.length} parameters, found ${saved.params.length}`,
        });
      }
      const options: Record<string, unknown> = {};
      for (const key of Object.keys(this.defaults)) if (key in saved) options[key] = copyOption(saved[key]);
      const next = { ...group, ...options } as ParamGroup<O>;
      issues.push(...this.checkOptions(next).map((i) => ({ ...i, path: `groups[${g}].${i.path}` })));
      restored.push(next);
    });

    const states = new Map<Tensor, ParamState>();
    for (const [key, step] of Object.entries(scalars.steps)) {
      const param = params[Number(key)];
      if (!param || !/^\d+$/.test(key))
        issues.push({ path: `steps.${key}`, message: 'is not a parameter index' });
      else if (!(Number.isInteger(step) && step >= 0))
        issues.push({ path: `steps.${key}`, message: `invalid step ${step}` });
      else states.set(param, { step, tensors: {} });
    }
    for (const [key, t] of tensors) {
      const match = /^(\d+)\.(.+)$/.exec(key);
      const param = match ? params[Number(match[1])] : undefined;
      const target = param && states.get(param);
      if (!match || !param || !target) {
        issues.push({ path: `tensors.${key}`, message: 'names no parameter with a saved step count' });
      } else if (!sameShape(t.shape, param.shape) || t.dtype !== param.dtype) {
        issues.push({
          path: `tensors.${key}`,
          message: `expected ${param.dtype} [${param.shape.join(', ')}], found ${t.dtype} [${t.shape.join(', ')}]`,
        });
      } else target.tensors[match[2]!] = t.detach();
    }
    restored.forEach((group, g) => {
      for (const p of group.params) {
        const s = states.get(p);
        if (!s) continue;
        for (const name of this.requiredState(group, s)) {
          if (!(name in s.tensors)) {
            issues.push({
              path: `tensors`,
              message: `parameter ${params.indexOf(p)} (group ${g}) lacks ${name}`,
            });
          }
        }
      }
    });
    if (issues.length) throw new ValidationError(`${this.kind} state`, issues);

    restored.forEach((group, g) => {
      this.groups[g] = group;
    });
    this.#state.clear();
    for (const [p, s] of states) this.#state.set(p, s);
  }

  /** Checks a group's options; paths are relative to the group. */
  protected checkOptions(group: O): Issue[] {
    const issues: Issue[] = [];
    if (!(Number.isFinite(group.lr) && group.lr >= 0))
      issues.push({ path: 'lr', message: `must be ≥ 0, found ${group.lr}` });
    if (!(Number.isFinite(group.weightDecay) && group.weightDecay >= 0)) {
      issues.push({ path: 'weightDecay', message: `must be ≥ 0, found ${group.weightDecay}` });
    }
    return issues;
  }

  /** The state tensors a parameter that has taken steps must have, for validating loaded state. */
  protected abstract requiredState(group: ParamGroup<O>, state: ParamState): string[];

  /** One parameter's update: runs the fused op, assigns the new value and replaces the state. */
  protected abstract update(param: Tensor, grad: Tensor, group: ParamGroup<O>, state: ParamState): void;
}

function isGroupList<O extends GroupOptions>(
  params: readonly Tensor[] | readonly ParamGroupInput<O>[],
): params is readonly ParamGroupInput<O>[] {
  const first = params[0] as unknown;
  return (
    typeof first === 'object' &&
    first !== null &&
    'params' in first &&
    Array.isArray((first as { params: unknown }).params)
  );
}

/**
 * Options without `params` or undefined values, arrays copied, so groups never share a mutable array
 * with the defaults.
 */
function copyOptions(options: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    // An option given as undefined is an option not given (configs often spread optional fields).
    if (key !== 'params' && value !== undefined) out[key] = copyOption(value);
  }
  return out;
}

function copyOption(value: unknown): unknown {
  return Array.isArray(value) ? [...value] : value;
}

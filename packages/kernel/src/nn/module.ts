import { NeuriteError } from '../errors.js';
import { Rng } from '../random/rng.js';
import { sameShape } from '../tensor/shape.js';
import { Tensor } from '../tensor/tensor.js';

/** A trainable tensor of a module: a leaf that requires grad, updated in place by optimisers. */
export class Parameter extends Tensor {
  constructor(value: Tensor) {
    super(value.runtime, value.shape, value.dtype, value.storage.backend, value.storage.handle);
    this.requiresGrad = true;
  }
}

/** A tensor that belongs to a module's state (saved and loaded) but is not trained: running statistics. */
export class Buffer extends Tensor {
  constructor(value: Tensor) {
    super(value.runtime, value.shape, value.dtype, value.storage.backend, value.storage.handle);
  }
}

/** How a module built from the graph form describes itself, so it can be exported back to a graph. */
export interface NodeDescription {
  readonly type: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/**
 * A layer or model. Parameters, buffers and sub-modules are found by walking the module's own
 * properties (in definition order), so a module only assigns them as fields; arrays of modules are
 * children named by index. Names join with dots, as in PyTorch state dicts.
 */
export abstract class Module {
  training = true;

  abstract forward(input: Tensor, ...rest: Tensor[]): Tensor;

  /** The node type and options this module was built from; set by the graph builder or the layer. */
  describe(): NodeDescription | null {
    return null;
  }

  /** Direct sub-modules with their names. */
  children(): [string, Module][] {
    const out: [string, Module][] = [];
    for (const [key, value] of Object.entries(this)) {
      if (value instanceof Module) out.push([key, value]);
      else if (Array.isArray(value) && value.length > 0 && value.every((v) => v instanceof Module)) {
        value.forEach((m, i) => {
          out.push([`${key}.${i}`, m as Module]);
        });
      }
    }
    return out;
  }

  /** This module's own fields (not its children's) that are instances of a class. */
  #ownOf<T>(cls: abstract new (...args: never[]) => T): [string, T][] {
    return Object.entries(this).filter((e): e is [string, T] => e[1] instanceof cls);
  }

  namedParameters(prefix = ''): [string, Parameter][] {
    const out: [string, Parameter][] = this.#ownOf(Parameter).map(([k, v]) => [prefix + k, v]);
    for (const [name, child] of this.children()) out.push(...child.namedParameters(`${prefix}${name}.`));
    return out;
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  namedBuffers(prefix = ''): [string, Buffer][] {
    const out: [string, Buffer][] = this.#ownOf(Buffer).map(([k, v]) => [prefix + k, v]);
    for (const [name, child] of this.children()) out.push(...child.namedBuffers(`${prefix}${name}.`));
    return out;
  }

  /**
   * Random streams owned by modules (dropout masks, stochastic encoders), by dotted name. Checkpoints
   * save their states so a resumed run draws exactly what an uninterrupted one would.
   */
  namedRngs(prefix = ''): [string, Rng][] {
    const out: [string, Rng][] = this.#ownOf(Rng).map(([k, v]) => [prefix + k, v]);
    for (const [name, child] of this.children()) out.push(...child.namedRngs(`${prefix}${name}.`));
    return out;
  }

  /** Every module in the tree, this one first, with dotted names. */
  modules(prefix = ''): [string, Module][] {
    const out: [string, Module][] = [[prefix.replace(/\.$/, ''), this]];
    for (const [name, child] of this.children()) out.push(...child.modules(`${prefix}${name}.`));
    return out;
  }

  /** Parameters and buffers by dotted name: what checkpoints save. */
  stateDict(): Map<string, Tensor> {
    return new Map<string, Tensor>([...this.namedParameters(), ...this.namedBuffers()]);
  }

  /**
   * Copies values into the parameters and buffers. With `strict` (the default), missing and unexpected
   * names and shape mismatches are errors that name them.
   */
  loadStateDict(state: ReadonlyMap<string, Tensor>, options: { strict?: boolean } = {}): void {
    const strict = options.strict ?? true;
    const own = this.stateDict();
    if (strict) {
      const missing = [...own.keys()].filter((k) => !state.has(k));
      const unexpected = [...state.keys()].filter((k) => !own.has(k));
      if (missing.length || unexpected.length) {
        throw new NeuriteError(
          `loadStateDict: ${missing.length ? `missing ${missing.join(', ')}` : ''}${missing.length && unexpected.length ? '; ' : ''}${unexpected.length ? `unexpected ${unexpected.join(', ')}` : ''}`,
        );
      }
    }
    for (const [name, target] of own) {
      const value = state.get(name);
      if (!value) continue;
      if (!sameShape(value.shape, target.shape)) {
        throw new NeuriteError(
          `loadStateDict: ${name} has shape [${value.shape.join(', ')}], expected [${target.shape.join(', ')}]`,
        );
      }
      // Values from another runtime (a file loaded elsewhere, a second runtime) come over as host data.
      const local =
        value.runtime === target.runtime
          ? value
          : target.runtime.fromArray(value.dataSync(), value.shape, {
              dtype: value.dtype,
              backend: target.backend,
            });
      target.assign(local.dtype === target.dtype ? local.detach() : local.cast(target.dtype).detach());
    }
  }

  train(flag = true): this {
    for (const [, m] of this.modules()) m.training = flag;
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Calls `hook` on every module that defines it, e.g. `visit('onEpochEnd', epoch, epochs)`. */
  visit<K extends keyof ModuleHooks>(hook: K, ...args: Parameters<ModuleHooks[K]>): void {
    for (const [, m] of this.modules()) {
      const fn = (m as Partial<ModuleHooks>)[hook] as ((...a: unknown[]) => void) | undefined;
      fn?.apply(m, args);
    }
  }
}

/**
 * Optional methods the trainer calls on every module that has them: clamping learnable delays after
 * each optimiser step, decaying a schedule per epoch, clearing recurrent state between sequences.
 */
export interface ModuleHooks {
  onStepEnd(): void;
  onEpochEnd(epoch: number, epochs: number): void;
  resetState(): void;
}

/** Internal states a module exposes for recording (membrane voltages, synaptic currents …). */
export interface Recordable {
  recordedStates(): Record<string, Tensor>;
}

export function isRecordable(m: Module): m is Module & Recordable {
  return typeof (m as Partial<Recordable>).recordedStates === 'function';
}

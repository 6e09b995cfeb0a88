import type { Tensor } from '../tensor/tensor.js';
import type { Module } from './module.js';

/** Called after a watched module's forward with its dotted name, inputs and output. */
export type ForwardObserver = (
  name: string,
  module: Module,
  inputs: readonly Tensor[],
  output: Tensor,
) => void;

interface Watch {
  readonly name: string;
  readonly observer: ForwardObserver;
}

const watches = new WeakMap<Module, Set<Watch>>();

/**
 * Watches the forward calls of a model's modules (all of them, or those `select` keeps) until the
 * returned function is called: spike rasters for reports, activity counts for energy estimates. One
 * wrapper per module instance serves every observer, so observers may attach and detach in any order;
 * the module's own forward is untouched once the last one detaches.
 */
export function observeForward(
  model: Module,
  observer: ForwardObserver,
  select: (name: string, module: Module) => boolean = () => true,
): () => void {
  const mine: [Module, Watch][] = [];
  for (const [name, module] of model.modules()) {
    if (!select(name, module)) continue;
    let set = watches.get(module);
    if (!set) {
      set = new Set();
      watches.set(module, set);
      const original = Object.getPrototypeOf(module).forward as Module['forward'];
      const own = set;
      Object.defineProperty(module, 'forward', {
        configurable: true,
        writable: true,
        value(this: Module, ...inputs: Parameters<Module['forward']>) {
          const output = original.apply(this, inputs);
          for (const w of own) w.observer(w.name, this, inputs, output);
          return output;
        },
      });
    }
    const watch = { name, observer };
    set.add(watch);
    mine.push([module, watch]);
  }
  return () => {
    for (const [module, watch] of mine) {
      const set = watches.get(module);
      if (!set) continue;
      set.delete(watch);
      if (set.size === 0) {
        watches.delete(module);
        delete (module as { forward?: unknown }).forward;
      }
    }
  };
}

import { Buffer, type Runtime, type Tensor } from '@neurite/kernel';

/** A fixed parameter of a NIR node: a Buffer (saved with the model, not trained) of `shape`. */
export function paramBuffer(
  rt: Runtime,
  shape: readonly number[],
  value: number,
  precision: 'float32' | 'float64',
): Buffer {
  return new Buffer(rt.full(shape, value, { dtype: precision }));
}

/**
 * Host numbers of a buffer, cached until the buffer is assigned (loadStateDict replaces its storage), so
 * per-step coefficients are derived once, not once per step.
 */
export class HostCache<T> {
  #keys: unknown[] = [];
  #value: T | undefined;

  get(tensors: readonly (Tensor | undefined)[], derive: () => T): T {
    const keys = tensors.map((t) => t?.storage);
    if (
      this.#value === undefined ||
      keys.length !== this.#keys.length ||
      keys.some((k, i) => k !== this.#keys[i])
    ) {
      this.#value = derive();
      this.#keys = keys;
    }
    return this.#value;
  }
}

/** A buffer's values as float64 host numbers (cpu and wasm hold data on the host). */
export function hostValues(t: Tensor): Float64Array {
  return Float64Array.from(t.dataSync() as ArrayLike<number>);
}

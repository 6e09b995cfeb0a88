import type { DataArray } from '@neurite/kernel';
import type { Arena } from '../engine/arena.js';

type Element = 'f32' | 'u8';

/**
 * The arena layout of one kernel call: inputs to copy in and regions for outputs, allocated first and
 * filled once the layout is final (growing the memory replaces its buffer, so views are taken after the
 * last allocation). Absent tensors (size 0) get address 0, which the wasm kernels read as "absent".
 */
export class Frame {
  readonly #copies: { ptr: number; data: DataArray; as: Element }[] = [];

  constructor(readonly arena: Arena) {
    arena.reset();
  }

  /** Room for `data`, copied in (converted to float32 or bytes) by `commit()`; 0 when empty. */
  input(data: DataArray, as: Element = 'f32'): number {
    if (data.length === 0) return 0;
    const ptr = this.arena.alloc(data.length * (as === 'f32' ? 4 : 1));
    this.#copies.push({ ptr, data, as });
    return ptr;
  }

  /** Uninitialised room for `length` elements; 0 when `length` is 0. */
  region(length: number, as: Element = 'f32'): number {
    return length === 0 ? 0 : this.arena.alloc(length * (as === 'f32' ? 4 : 1));
  }

  /** Copies every input in; call after the last allocation. */
  commit(): void {
    for (const { ptr, data, as } of this.#copies) {
      (as === 'f32' ? this.arena.f32(ptr, data.length) : this.arena.u8(ptr, data.length)).set(data);
    }
    this.#copies.length = 0;
  }

  /** A host copy of a float32 region (empty for address 0). */
  f32(ptr: number, length: number): Float32Array {
    return ptr === 0 ? new Float32Array(0) : this.arena.f32(ptr, length).slice();
  }

  u8(ptr: number, length: number): Uint8Array {
    return ptr === 0 ? new Uint8Array(0) : this.arena.u8(ptr, length).slice();
  }
}

import { BackendError } from '@neurite/kernel';

const PAGE = 65536;
/** A 32-bit memory addresses at most 4 GiB. */
const MAX_BYTES = 65536 * PAGE;
/** Every allocation starts on a cache line, so SIMD loads never straddle two lines needlessly. */
const ALIGN = 64;

/**
 * Scratch space in the module's linear memory for one kernel call at a time: a bump allocator reset at
 * the start of every call. The memory grows to the largest call seen and stays there, so steady-state
 * training allocates nothing in wasm. Views must be taken after the call's last `alloc`, since growing
 * the memory replaces its buffer.
 */
export class Arena {
  #top: number;

  constructor(
    readonly memory: WebAssembly.Memory,
    readonly base: number,
  ) {
    this.base = Math.ceil(base / ALIGN) * ALIGN;
    this.#top = this.base;
    // Everything below the arena (static data, the ring) is addressable from the start.
    const have = memory.buffer.byteLength;
    if (this.base > have) memory.grow(Math.ceil((this.base - have) / PAGE));
  }

  reset(): void {
    this.#top = this.base;
  }

  /** The current top, for `release`: everything allocated after it is given back at once. */
  mark(): number {
    return this.#top;
  }

  release(mark: number): void {
    this.#top = mark;
  }

  /** A fresh region of `bytes` bytes; its content is whatever the last call left there. */
  alloc(bytes: number): number {
    const start = this.#top;
    const end = start + Math.ceil(bytes / ALIGN) * ALIGN;
    if (end > MAX_BYTES) {
      throw new BackendError(
        `wasm backend: a kernel needs ${end} bytes of scratch, more than the 4 GiB wasm32 limit`,
        {
          hint: 'split the computation into smaller tensors or use the cpu backend',
        },
      );
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.#top = end;
    return start;
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  u8(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }
}

/** Where a block stored in the ring sits, and when it was stored (bytes stored before it). */
export interface RingBlock {
  /** Address in wasm memory. */
  readonly at: number;
  readonly bytes: number;
  /** Position in the ring's stream of stored bytes: the block is intact until the stream passes it. */
  readonly start: number;
}

/**
 * A fixed region of the module's memory holding derived data worth keeping between kernel calls (spike
 * indices), without a JavaScript allocation per entry: blocks are stored one after another, wrapping
 * around, and each new block overwrites the oldest. A block knows whether it has been overwritten, so a
 * cache entry pointing to it is simply stale then, never wrong.
 */
export class Ring {
  #head = 0;

  constructor(
    readonly base: number,
    readonly capacity: number,
  ) {}

  /** Room for `bytes` bytes, or null for a block too large to be worth keeping (over a quarter). */
  store(bytes: number): RingBlock | null {
    const size = Math.ceil(bytes / 64) * 64;
    if (size > this.capacity / 4) return null;
    let start = this.#head;
    let offset = start % this.capacity;
    // Blocks never wrap: skip the rest of the lap when the block does not fit before its end.
    if (offset + size > this.capacity) {
      start += this.capacity - offset;
      offset = 0;
    }
    this.#head = start + size;
    return { at: this.base + offset, bytes, start };
  }

  /** True while nothing stored later has reached the block's bytes. */
  intact(block: RingBlock): boolean {
    return this.#head <= block.start + this.capacity;
  }
}

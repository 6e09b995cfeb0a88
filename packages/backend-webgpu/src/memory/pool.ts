import { BackendError } from '@neurite/kernel';
import { bucketOf } from './bucket.js';
import { GpuHandle } from './handle.js';
import { Usage } from './usage.js';

/** What the pool needs from the command scheduler. */
export interface PoolClock {
  /** The id of the command batch being recorded now. */
  readonly batch: number;
  /** Destroys a buffer once every command recorded so far has been submitted. */
  retire(buffer: GPUBuffer): void;
}

export interface PoolStats {
  /** Buffers created on the device. */
  created: number;
  /** Allocations served by a pooled buffer. */
  reused: number;
  /** Buffers returned to the pool (by the garbage collector or explicitly). */
  released: number;
  /** Bytes held by live handles. */
  liveBytes: number;
  /** Bytes waiting in the pool. */
  freeBytes: number;
  /** Garbage collections requested because many new buffers had been created. */
  collections: number;
}

interface FreeBuffer {
  readonly buffer: GPUBuffer;
  /** The batch that was open when the buffer came back: commands of that batch may still use it. */
  readonly releasedIn: number;
}

const STORAGE_USAGE = Usage.STORAGE | Usage.COPY_SRC | Usage.COPY_DST;

/**
 * Size-bucketed storage buffers. Tensors have no dispose API, so a handle's buffer comes back when the
 * garbage collector reclaims the handle (a FinalizationRegistry), or at once when a kernel releases a
 * temporary. Reuse is safe in stream order: all work runs on one queue in the order it was recorded,
 * so a kernel recorded after a release runs after every command that used the buffer before it. Only
 * queue writes (`fromHost`) could overtake recorded-but-unsubmitted commands, so they take a buffer
 * released before the open batch began (`acquireClean`) or a fresh one.
 */
export class BufferPool {
  readonly #device: GPUDevice;
  readonly #clock: PoolClock;
  readonly #maxBufferBytes: number;
  readonly #freeLimit: number;
  readonly #collect: (() => void) | null;
  readonly #collectEvery: number;
  #sinceCollect = 0;
  readonly #free = new Map<number, FreeBuffer[]>();
  readonly #registry: FinalizationRegistry<{ buffer: GPUBuffer; capacity: number }>;
  #disposed = false;
  readonly stats: PoolStats = {
    created: 0,
    reused: 0,
    released: 0,
    liveBytes: 0,
    freeBytes: 0,
    collections: 0,
  };

  constructor(
    device: GPUDevice,
    clock: PoolClock,
    options: {
      maxBufferBytes: number;
      freeLimitBytes: number;
      collect: (() => void) | null;
      collectEveryBytes: number;
    },
  ) {
    this.#device = device;
    this.#clock = clock;
    this.#maxBufferBytes = options.maxBufferBytes;
    this.#freeLimit = options.freeLimitBytes;
    this.#collect = options.collect;
    this.#collectEvery = options.collectEveryBytes;
    this.#registry = new FinalizationRegistry(({ buffer, capacity }) => this.#put(buffer, capacity));
  }

  /** A buffer of at least `bytes` for a kernel's output. */
  acquire(bytes: number): GpuHandle {
    const capacity = this.#capacity(bytes);
    const list = this.#free.get(capacity);
    const entry = list?.pop();
    if (entry) {
      this.stats.reused++;
      this.stats.freeBytes -= capacity;
      return this.#adopt(entry.buffer, capacity);
    }
    return this.#adopt(this.#create(capacity, false), capacity);
  }

  /**
   * A buffer no unsubmitted command uses, for a queue write: a pooled one released before the open
   * batch began, or else a fresh one, filled at creation by `fill` (no queue write needed then).
   * Returns whether `fill` ran.
   */
  acquireForWrite(bytes: number, fill: (range: ArrayBuffer) => void): { handle: GpuHandle; filled: boolean } {
    const capacity = this.#capacity(bytes);
    const list = this.#free.get(capacity);
    if (list) {
      for (let k = list.length - 1; k >= 0; k--) {
        if (list[k]!.releasedIn < this.#clock.batch) {
          const [entry] = list.splice(k, 1);
          this.stats.reused++;
          this.stats.freeBytes -= capacity;
          return { handle: this.#adopt(entry!.buffer, capacity), filled: false };
        }
      }
    }
    const buffer = this.#create(capacity, true);
    fill(buffer.getMappedRange());
    buffer.unmap();
    return { handle: this.#adopt(buffer, capacity), filled: true };
  }

  /** Returns a kernel's temporary at once, without waiting for the garbage collector. */
  release(handle: GpuHandle): void {
    if (this.#registry.unregister(handle)) this.#put(handle.buffer, handle.capacity);
  }

  /** Destroys every pooled buffer; live handles' buffers go with the device. */
  dispose(): void {
    this.#disposed = true;
    for (const list of this.#free.values()) for (const { buffer } of list) buffer.destroy();
    this.#free.clear();
    this.stats.freeBytes = 0;
  }

  #capacity(bytes: number): number {
    let capacity = bucketOf(bytes);
    if (capacity > this.#maxBufferBytes) capacity = (bytes + 3) & ~3;
    if (capacity > this.#maxBufferBytes) {
      throw new BackendError(
        `webgpu: a tensor of ${bytes} bytes exceeds this adapter's largest storage buffer (${this.#maxBufferBytes} bytes)`,
        { hint: 'split the work into smaller tensors, or use an adapter with larger buffers' },
      );
    }
    return capacity;
  }

  #create(capacity: number, mapped: boolean): GPUBuffer {
    this.stats.created++;
    this.#sinceCollect += capacity;
    if (this.#collect && this.#collectEvery > 0 && this.#sinceCollect >= this.#collectEvery) {
      // Unreachable tensors' buffers return to the pool when their finalisers run (a later task).
      this.#sinceCollect = 0;
      this.stats.collections++;
      this.#collect();
    }
    return this.#device.createBuffer({ size: capacity, usage: STORAGE_USAGE, mappedAtCreation: mapped });
  }

  #adopt(buffer: GPUBuffer, capacity: number): GpuHandle {
    const handle = new GpuHandle(buffer, capacity);
    // The held value must not reference the handle, or the handle could never be collected.
    this.#registry.register(handle, { buffer, capacity }, handle);
    this.stats.liveBytes += capacity;
    return handle;
  }

  #put(buffer: GPUBuffer, capacity: number): void {
    this.stats.liveBytes -= capacity;
    this.stats.released++;
    if (this.#disposed) return;
    if (this.stats.freeBytes + capacity > this.#freeLimit) {
      this.#clock.retire(buffer);
      return;
    }
    let list = this.#free.get(capacity);
    if (!list) this.#free.set(capacity, (list = []));
    list.push({ buffer, releasedIn: this.#clock.batch });
    this.stats.freeBytes += capacity;
  }
}

/** Mappable buffers that readbacks copy into; returned explicitly once read. */
export class StagingPool {
  readonly #device: GPUDevice;
  readonly #free = new Map<number, GPUBuffer[]>();

  constructor(device: GPUDevice) {
    this.#device = device;
  }

  acquire(bytes: number): GPUBuffer {
    const capacity = bucketOf(bytes);
    return (
      this.#free.get(capacity)?.pop() ??
      this.#device.createBuffer({ size: capacity, usage: Usage.MAP_READ | Usage.COPY_DST })
    );
  }

  release(buffer: GPUBuffer): void {
    let list = this.#free.get(buffer.size);
    if (!list) this.#free.set(buffer.size, (list = []));
    // A few per size suffice: readbacks are short-lived.
    if (list.length < 8) list.push(buffer);
    else buffer.destroy();
  }

  dispose(): void {
    for (const list of this.#free.values()) for (const b of list) b.destroy();
    this.#free.clear();
  }
}

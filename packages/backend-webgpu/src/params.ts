import { Usage } from './memory/usage.js';

const ARENA_BYTES = 64 * 1024;

/**
 * Kernel parameters (sizes, strides, scalars) for the batch being recorded. Each batch writes them into
 * uniform buffers created mapped, at aligned offsets, and unmaps them when the batch is submitted: a
 * parameter block is in place before any command reads it, with no queue write that could overtake
 * earlier commands and no per-dispatch buffer.
 */
export class ParamArena {
  readonly #device: GPUDevice;
  readonly #align: number;
  #buffer: GPUBuffer | null = null;
  #view: Uint32Array | null = null;
  #used = 0;
  #sealed: GPUBuffer[] = [];

  constructor(device: GPUDevice) {
    this.#device = device;
    this.#align = Math.max(256, device.limits.minUniformBufferOffsetAlignment);
  }

  /** Places `words` and returns the binding of their block (a multiple of 16 bytes long). */
  write(words: Uint32Array): GPUBufferBinding {
    const size = Math.max(16, Math.ceil(words.byteLength / 16) * 16);
    if (!this.#buffer || this.#used + size > this.#buffer.size) {
      if (this.#buffer) this.#close();
      const bytes = Math.max(ARENA_BYTES, size);
      this.#buffer = this.#device.createBuffer({ size: bytes, usage: Usage.UNIFORM, mappedAtCreation: true });
      this.#view = new Uint32Array(this.#buffer.getMappedRange());
      this.#used = 0;
    }
    const offset = this.#used;
    this.#view!.set(words, offset / 4);
    this.#used = Math.ceil((offset + size) / this.#align) * this.#align;
    return { buffer: this.#buffer, offset, size };
  }

  /** Unmaps every block of the batch (before its submit); the buffers are returned for destruction. */
  seal(): GPUBuffer[] {
    if (this.#buffer) this.#close();
    const sealed = this.#sealed;
    this.#sealed = [];
    return sealed;
  }

  #close(): void {
    this.#buffer!.unmap();
    this.#sealed.push(this.#buffer!);
    this.#buffer = null;
    this.#view = null;
  }
}

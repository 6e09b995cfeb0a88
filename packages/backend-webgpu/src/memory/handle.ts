/**
 * A tensor's data on the device: one storage buffer. `capacity` is the buffer's size (a pool bucket,
 * at least the tensor's bytes). Handles are shared by tensors that view the same data (reshape), and
 * the buffer returns to the pool when the last tensor holding the handle is garbage-collected.
 */
export class GpuHandle {
  constructor(
    readonly buffer: GPUBuffer,
    readonly capacity: number,
  ) {}
}

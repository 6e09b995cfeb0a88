import { ParamArena } from './params.js';

type QueueOp = () => void | Promise<void>;

/**
 * Records kernels into command encoders and submits them in batches, and keeps every queue operation
 * (submits, buffer writes, host tasks) in program order.
 *
 * Kernels record into one compute pass of the open batch; the batch is submitted after
 * `dispatchesPerSubmit` dispatches, on a read, or on a flush. Queue operations normally run at once,
 * but a host task (a cpu kernel for an op the device lacks) suspends them: it waits for its inputs to
 * come back, runs, and writes its outputs, and every queue operation issued meanwhile (later batches,
 * uploads) waits behind it, so later GPU work sees the host task's results.
 */
export class Scheduler {
  readonly #device: GPUDevice;
  readonly #dispatchesPerSubmit: number;
  readonly #onError: (error: unknown) => void;
  readonly #params: ParamArena;
  #encoder: GPUCommandEncoder | null = null;
  #pass: GPUComputePassEncoder | null = null;
  #recorded = 0;
  #batch = 1;
  #retired: GPUBuffer[] = [];
  readonly #ops: { run: QueueOp; done: () => void }[] = [];
  #busy = false;
  readonly counters = { dispatches: 0, submits: 0, hostTasks: 0 };

  constructor(device: GPUDevice, dispatchesPerSubmit: number, onError: (error: unknown) => void) {
    this.#device = device;
    this.#dispatchesPerSubmit = dispatchesPerSubmit;
    this.#onError = onError;
    this.#params = new ParamArena(device);
  }

  /** The id of the batch being recorded; it grows by one with every submitted batch. */
  get batch(): number {
    return this.#batch;
  }

  /** Places a kernel's parameter block in the open batch. */
  params(words: Uint32Array): GPUBufferBinding {
    return this.#params.write(words);
  }

  /** Records one dispatch into the open batch's compute pass. */
  dispatch(pipeline: GPUComputePipeline, bindGroup: GPUBindGroup, x: number, y = 1, z = 1): void {
    if (!this.#pass) this.#pass = this.#openEncoder().beginComputePass();
    this.#pass.setPipeline(pipeline);
    this.#pass.setBindGroup(0, bindGroup);
    this.#pass.dispatchWorkgroups(x, y, z);
    this.counters.dispatches++;
    if (++this.#recorded >= this.#dispatchesPerSubmit) void this.submit();
  }

  /** Records a buffer-to-buffer copy into the open batch. */
  copy(src: GPUBuffer, srcOffset: number, dst: GPUBuffer, dstOffset: number, bytes: number): void {
    if (this.#pass) {
      this.#pass.end();
      this.#pass = null;
    }
    this.#openEncoder().copyBufferToBuffer(src, srcOffset, dst, dstOffset, bytes);
    this.#recorded++;
  }

  /** Destroys a buffer once every command recorded so far has been submitted. */
  retire(buffer: GPUBuffer): void {
    this.#retired.push(buffer);
  }

  /**
   * Closes the open batch and submits it (in queue order). Resolves once the submit has been issued,
   * after which buffers it copies into may be mapped.
   */
  submit(): Promise<void> {
    if (!this.#encoder) return this.enqueue(() => {});
    if (this.#pass) this.#pass.end();
    const commands = this.#encoder.finish();
    const spent = [...this.#params.seal(), ...this.#retired];
    this.#encoder = null;
    this.#pass = null;
    this.#recorded = 0;
    this.#retired = [];
    this.#batch++;
    return this.enqueue(() => {
      this.#device.queue.submit([commands]);
      this.counters.submits++;
      // Destroying after the submit is safe: submitted work keeps its buffers until it completes.
      for (const b of spent) b.destroy();
    });
  }

  /** Writes host data into a buffer in queue order (the data is copied if the write must wait). */
  write(buffer: GPUBuffer, data: Uint8Array): void {
    const padded = data.byteLength % 4 === 0 ? data : padTo4(data);
    if (this.#idle()) this.#device.queue.writeBuffer(buffer, 0, padded);
    else {
      const copy = padded === data ? data.slice() : padded;
      void this.enqueue(() => this.#device.queue.writeBuffer(buffer, 0, copy));
    }
  }

  /** Runs a host task in queue order: queue operations issued after it wait until it has finished. */
  hostTask(task: () => Promise<void>): Promise<void> {
    this.counters.hostTasks++;
    return this.enqueue(task);
  }

  /**
   * Runs `op` after every queue operation issued before it. Synchronous operations run at once when
   * nothing is waiting. Failures go to the backend's error slot (reported by the next read).
   */
  enqueue(op: QueueOp): Promise<void> {
    return new Promise<void>((resolve) => {
      if (this.#idle()) {
        const result = this.#guard(op);
        if (result) {
          this.#busy = true;
          void result.then(() => {
            resolve();
            void this.#drain();
          });
        } else resolve();
        return;
      }
      this.#ops.push({ run: op, done: resolve });
    });
  }

  #idle(): boolean {
    return !this.#busy && this.#ops.length === 0;
  }

  async #drain(): Promise<void> {
    while (this.#ops.length > 0) {
      const { run, done } = this.#ops.shift()!;
      const result = this.#guard(run);
      if (result) await result;
      done();
    }
    this.#busy = false;
  }

  /** Runs an operation, turning a throw or a rejection into a reported error. */
  #guard(op: QueueOp): Promise<void> | undefined {
    try {
      const result = op();
      return result ? result.catch((e) => this.#onError(e)) : undefined;
    } catch (e) {
      this.#onError(e);
      return undefined;
    }
  }

  #openEncoder(): GPUCommandEncoder {
    this.#encoder ??= this.#device.createCommandEncoder();
    return this.#encoder;
  }
}

function padTo4(data: Uint8Array): Uint8Array {
  const out = new Uint8Array((data.byteLength + 3) & ~3);
  out.set(data);
  return out;
}

import {
  arrayFor,
  type Backend,
  BackendError,
  type DataArray,
  type KernelCall,
  type KernelFn,
  NeuriteError,
  sizeOf,
  type TensorMeta,
} from '@neurite/kernel';
import type { AcquiredDevice, AdapterSummary } from './device/acquire.js';
import { align4, assertDeviceDType, bytesOf } from './dtype.js';
import { faultError } from './faults.js';
import { GpuHandle } from './memory/handle.js';
import { BufferPool, type PoolStats, StagingPool } from './memory/pool.js';
import { MapMode, Usage } from './memory/usage.js';
import type { WebGPUOptions } from './options.js';
import { Scheduler } from './scheduler.js';
import { WG, type Words } from './wgsl/common.js';

/** What a kernel asks the backend to run. */
export interface Dispatch {
  /** Complete WGSL; pipelines are cached by source. Entry point `main`. */
  readonly source: string;
  /** Storage buffers in binding order (0, 1, …); the parameter block, if any, follows them. */
  readonly buffers: readonly (GpuHandle | GPUBuffer)[];
  readonly params?: Words;
  /** Invocations wanted, rounded up to whole workgroups of `workgroupSize` (default 256). */
  readonly threads?: number;
  readonly workgroupSize?: number;
  /** Or the workgroup grid itself. */
  readonly groups?: readonly [number, number?, number?];
}

export interface WebGPUStats extends PoolStats {
  dispatches: number;
  submits: number;
  hostTasks: number;
  pipelines: number;
}

/**
 * The WebGPU backend: tensor data lives in device buffers across ops, kernels are recorded into
 * command encoders and submitted in batches, and reads resolve asynchronously once the data is back.
 */
export class WebGPUBackend implements Backend<GpuHandle> {
  readonly name = 'webgpu';
  readonly hostMemory = false;
  /** The adapter this backend runs on. */
  readonly adapter: AdapterSummary;
  // Kept for the backend's whole life: Dawn's Node binding crashes if the GPU object is collected
  // while a device made from it is alive.
  #gpu: GPU | null;
  readonly #device: GPUDevice;
  readonly #cpu: Backend;
  readonly #scheduler: Scheduler;
  readonly #pool: BufferPool;
  readonly #staging: StagingPool;
  readonly #pipelines = new Map<string, GPUComputePipeline>();
  readonly #fault: GPUBuffer;
  readonly #warn: (line: string) => void;
  readonly #cpuKernel: (op: string) => KernelFn | undefined;
  readonly #warned = new Set<string>();
  readonly #maxGroups: number;
  #error: unknown = null;
  #disposed = false;

  constructor(
    acquired: AcquiredDevice,
    options: WebGPUOptions,
    context: {
      collect: (() => void) | null;
      cpu: Backend;
      cpuKernel: (op: string) => KernelFn | undefined;
    },
  ) {
    this.#gpu = acquired.gpu;
    this.#device = acquired.device;
    this.adapter = acquired.summary;
    this.#cpu = context.cpu;
    this.#cpuKernel = context.cpuKernel;
    this.#warn = (options.warn as ((line: string) => void) | undefined) ?? ((line) => console.warn(line));
    this.#maxGroups = this.#device.limits.maxComputeWorkgroupsPerDimension;
    this.#scheduler = new Scheduler(this.#device, options.dispatchesPerSubmit, (e) => this.#fail(e));
    this.#pool = new BufferPool(this.#device, this.#scheduler, {
      maxBufferBytes: Math.min(
        this.#device.limits.maxBufferSize,
        this.#device.limits.maxStorageBufferBindingSize,
      ),
      freeLimitBytes: options.poolLimitBytes,
      collect: context.collect,
      collectEveryBytes: options.collectEveryBytes,
    });
    this.#staging = new StagingPool(this.#device);
    this.#fault = this.#device.createBuffer({
      size: 16,
      usage: Usage.STORAGE | Usage.COPY_SRC | Usage.COPY_DST,
    });
    this.#device.addEventListener('uncapturederror', (event) => {
      this.#fail((event as GPUUncapturedErrorEvent).error);
    });
    void this.#device.lost.then((info) => {
      if (!this.#disposed)
        this.#fail(new BackendError(`webgpu: the device was lost (${info.reason}): ${info.message}`));
    });
  }

  // ---------------------------------------------------------------- the backend contract

  fromHost(data: DataArray, meta: TensorMeta): GpuHandle {
    this.#assertLive();
    assertDeviceDType('webgpu fromHost', meta.dtype);
    const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    const { handle, filled } = this.#pool.acquireForWrite(Math.max(bytes.byteLength, 4), (range) =>
      new Uint8Array(range).set(bytes),
    );
    if (!filled && bytes.byteLength > 0) this.#scheduler.write(handle.buffer, bytes);
    return handle;
  }

  async read(handle: GpuHandle, meta: TensorMeta): Promise<DataArray> {
    this.#assertLive();
    assertDeviceDType('webgpu read', meta.dtype);
    const bytes = bytesOf(meta);
    const [data] = await this.#readBack([{ handle, bytes }]);
    const out = arrayFor(meta.dtype, sizeOf(meta.shape));
    new Uint8Array(out.buffer).set(data!.subarray(0, bytes));
    return out;
  }

  runOnHost(kernel: KernelFn<DataArray>, call: KernelCall<GpuHandle>): GpuHandle[] {
    this.#assertLive();
    const op = call.op;
    for (const m of [...call.inputs, ...call.outputs]) assertDeviceDType(op, m.dtype);
    if (!this.#warned.has(op)) {
      this.#warned.add(op);
      this.#warn(
        `neurite webgpu: no WGSL kernel for '${op}'; it runs on the cpu, with a transfer each way per call`,
      );
    }
    const outputs = call.outputs.map((m) => this.alloc(m));
    // Copies of the inputs are recorded now, so they see exactly the work recorded before this op.
    const staged = call.inputs.map((i) => this.#stage(i.handle, bytesOf(i)));
    void this.#scheduler.submit();
    void this.#scheduler.hostTask(async () => {
      const hostInputs = await Promise.all(
        call.inputs.map(async (input, k) => {
          const bytes = await this.#mapStaged(staged[k]!);
          const array = arrayFor(input.dtype, sizeOf(input.shape));
          new Uint8Array(array.buffer).set(bytes.subarray(0, bytesOf(input)));
          return { shape: input.shape, dtype: input.dtype, handle: array };
        }),
      );
      const results = kernel({
        op,
        inputs: hostInputs,
        attrs: call.attrs,
        outputs: call.outputs,
        backend: this.#cpu as Backend<DataArray>,
      });
      results.forEach((r, k) => {
        const bytes = new Uint8Array(
          r.buffer,
          r.byteOffset,
          Math.min(r.byteLength, bytesOf(call.outputs[k]!)),
        );
        if (bytes.byteLength > 0) this.#device.queue.writeBuffer(outputs[k]!.buffer, 0, padded(bytes));
      });
    });
    return outputs;
  }

  async flush(): Promise<void> {
    this.#assertLive();
    await this.#readBack([]);
  }

  dispose(): void {
    if (this.#disposed) return;
    this.#disposed = true;
    this.#pool.dispose();
    this.#staging.dispose();
    this.#pipelines.clear();
    this.#device.destroy();
    // The device is destroyed, so nothing made from the GPU object is alive any more: let it go, so a
    // Node process can exit.
    this.#gpu = null;
  }

  /** Whether the backend still holds its GPU object (false once disposed). */
  get live(): boolean {
    return this.#gpu !== null;
  }

  // ---------------------------------------------------------------- for kernels

  /** A fresh output buffer for a tensor. */
  alloc(meta: TensorMeta): GpuHandle {
    assertDeviceDType('webgpu', meta.dtype);
    return this.#pool.acquire(Math.max(bytesOf(meta), 4));
  }

  /** Returns a kernel's temporary buffer to the pool at once (safe: reuse follows in queue order). */
  release(handle: GpuHandle): void {
    this.#pool.release(handle);
  }

  /** The device buffer where indexing kernels record out-of-range indices. */
  get faultBuffer(): GPUBuffer {
    return this.#fault;
  }

  /** Records one kernel dispatch. */
  run(d: Dispatch): void {
    this.#assertLive();
    let groups: [number, number, number];
    if (d.groups) groups = [d.groups[0], d.groups[1] ?? 1, d.groups[2] ?? 1];
    else {
      const total = Math.ceil((d.threads ?? 0) / (d.workgroupSize ?? WG));
      if (total === 0) return;
      const x = Math.min(total, this.#maxGroups);
      groups = [x, Math.ceil(total / x), 1];
    }
    if (!groups.every((g) => g > 0)) return;
    const pipeline = this.#pipeline(d.source);
    const entries: GPUBindGroupEntry[] = d.buffers.map((b, binding) => ({
      binding,
      resource: { buffer: b instanceof GpuHandle ? b.buffer : b },
    }));
    if (d.params)
      entries.push({ binding: entries.length, resource: this.#scheduler.params(d.params.toArray()) });
    const bindGroup = this.#device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    this.#scheduler.dispatch(pipeline, bindGroup, groups[0], groups[1], groups[2]);
  }

  /** Records a buffer-to-buffer copy (byte offsets and length multiples of 4). */
  copy(src: GpuHandle, srcOffset: number, dst: GpuHandle, dstOffset: number, bytes: number): void {
    if (bytes > 0) this.#scheduler.copy(src.buffer, srcOffset, dst.buffer, dstOffset, bytes);
  }

  /**
   * Runs an op's cpu kernel in queue order, for calls a WGSL kernel cannot take on this device (more
   * storage buffers than the adapter binds at once).
   */
  onHost(op: string, call: KernelCall<GpuHandle>): GpuHandle[] {
    const kernel = this.#cpuKernel(op);
    if (!kernel) throw new BackendError(`webgpu: no cpu kernel for '${op}' to fall back to`);
    return this.runOnHost(kernel as KernelFn<DataArray>, call);
  }

  /** Storage buffers one kernel may bind on this device. */
  get maxStorageBuffers(): number {
    return this.#device.limits.maxStorageBuffersPerShaderStage;
  }

  /** Largest workgroup count per grid dimension. */
  get maxGroups(): number {
    return this.#maxGroups;
  }

  get device(): GPUDevice {
    return this.#device;
  }

  stats(): WebGPUStats {
    return { ...this.#pool.stats, ...this.#scheduler.counters, pipelines: this.#pipelines.size };
  }

  // ---------------------------------------------------------------- internals

  #pipeline(source: string): GPUComputePipeline {
    let p = this.#pipelines.get(source);
    if (!p) {
      const module = this.#device.createShaderModule({ code: source });
      p = this.#device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
      this.#pipelines.set(source, p);
    }
    return p;
  }

  #stage(handle: GpuHandle, bytes: number): Staged {
    const size = Math.max(align4(bytes), 4);
    const buffer = this.#staging.acquire(size);
    this.#scheduler.copy(handle.buffer, 0, buffer, 0, size);
    return { buffer, size };
  }

  async #mapStaged({ buffer, size }: Staged): Promise<Uint8Array> {
    await buffer.mapAsync(MapMode.READ, 0, size);
    const bytes = new Uint8Array(buffer.getMappedRange(0, size).slice(0));
    buffer.unmap();
    this.#staging.release(buffer);
    return bytes;
  }

  /**
   * Copies buffers (and the fault record) back after all work recorded so far, then reports any
   * error met since the last report: a fault, a failed host task, a device error.
   */
  async #readBack(items: readonly { handle: GpuHandle; bytes: number }[]): Promise<Uint8Array[]> {
    const staged = items.map((it) => this.#stage(it.handle, it.bytes));
    const faultStaging = { buffer: this.#staging.acquire(16), size: 16 };
    this.#scheduler.copy(this.#fault, 0, faultStaging.buffer, 0, 16);
    await this.#scheduler.submit();
    const [fault, ...data] = await Promise.all([
      this.#mapStaged(faultStaging),
      ...staged.map((s) => this.#mapStaged(s)),
    ]);
    const words = new Uint32Array(fault!.buffer, 0, 4);
    const faulted = faultError(words);
    if (faulted) {
      this.#scheduler.write(this.#fault, new Uint8Array(16));
      this.#fail(faulted);
    }
    this.#throwPending();
    return data;
  }

  #fail(error: unknown): void {
    this.#error ??= error;
  }

  #throwPending(): void {
    const error = this.#error;
    if (error === null) return;
    this.#error = null;
    if (error instanceof NeuriteError) throw error;
    const message = (error as Error)?.message ?? String(error);
    throw new BackendError(`webgpu: ${message}`, { cause: error });
  }

  #assertLive(): void {
    if (this.#disposed)
      throw new BackendError('webgpu: the backend was disposed', { hint: 'create a new runtime' });
  }
}

interface Staged {
  readonly buffer: GPUBuffer;
  readonly size: number;
}

function padded(bytes: Uint8Array): Uint8Array {
  if (bytes.byteLength % 4 === 0) return bytes;
  const out = new Uint8Array(align4(bytes.byteLength));
  out.set(bytes);
  return out;
}

import type { DataArray, DType } from '../tensor/dtype.js';
import type { Shape } from '../tensor/shape.js';

/** What a kernel knows about a tensor without touching its data. */
export interface TensorMeta {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** A tensor as a kernel receives it: metadata plus the backend's handle to its data. */
export interface KernelInput<H = unknown> extends TensorMeta {
  readonly handle: H;
}

/**
 * One kernel invocation. Output shapes and dtypes were already inferred and checked by the op, so a
 * kernel only computes. Every tensor is dense and row-major.
 */
export interface KernelCall<H = unknown, A = unknown> {
  /** The op being run (for messages, and for backends that handle several ops in one function). */
  readonly op: string;
  readonly inputs: readonly KernelInput<H>[];
  readonly attrs: A;
  readonly outputs: readonly TensorMeta[];
  readonly backend: Backend<H>;
}

/** A kernel returns one handle per output. Host-memory kernels may return an input's handle for views. */
export type KernelFn<H = unknown, A = any> = (call: KernelCall<H, A>) => H[];

/**
 * A backend stores tensor data and runs kernels by op name. Every backend serves the same contract,
 * whether it computes synchronously (cpu, wasm) or enqueues work on an asynchronous device (WebGPU):
 * kernels return handles at once, `read` resolves when the data is on the host.
 */
export interface Backend<H = unknown> {
  readonly name: string;
  /**
   * True when handles are plain host typed arrays (cpu, wasm): cpu kernels then run on them in place,
   * so any kernel this backend lacks falls back to cpu without a transfer.
   */
  readonly hostMemory: boolean;
  /** Takes host data onto the backend. The array is not used after the call returns. */
  fromHost(data: DataArray, meta: TensorMeta): H;
  /** The data on the host, after every kernel enqueued before it has run. */
  read(handle: H, meta: TensorMeta): Promise<DataArray>;
  /** A synchronous read, only where the backend can honour it. */
  readSync?(handle: H, meta: TensorMeta): DataArray;
  /**
   * Runs a host (cpu) kernel in order with the device's queued work, for kernels this backend lacks.
   * Returns device handles at once; the backend fills them when the inputs have been read back.
   */
  runOnHost?(kernel: KernelFn<DataArray>, call: KernelCall<H>): H[];
  /** Resolves when every enqueued kernel has completed. */
  flush?(): Promise<void>;
  /** Releases device resources; the backend is unusable afterwards. */
  dispose?(): void;
}

/**
 * A backend as a plugin registers it. It is created on first use (`await runtime.setBackend(name)`),
 * asynchronously, since devices and WebAssembly modules are acquired asynchronously in browsers.
 */
export interface BackendDef {
  readonly name: string;
  readonly description?: string;
  create(): Backend | Promise<Backend>;
}

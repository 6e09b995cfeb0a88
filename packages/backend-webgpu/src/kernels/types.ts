import type { KernelCall, KernelFn } from '@neurite/kernel';
import type { WebGPUBackend } from '../backend.js';
import type { DeviceDType } from '../dtype.js';
import type { GpuHandle } from '../memory/handle.js';

/** A WebGPU kernel: receives device handles and returns device handles (recorded, not yet run). */
export type GpuKernel<A = any> = (call: KernelCall<GpuHandle, A>) => GpuHandle[];

export type GpuKernelTable = Record<string, GpuKernel>;

/** The backend a kernel call is running on. */
export function backendOf(call: KernelCall<GpuHandle, unknown>): WebGPUBackend {
  return call.backend as unknown as WebGPUBackend;
}

/** The dtype of a tensor already on the device (float64 never gets there). */
export function dt(meta: { dtype: string }): DeviceDType {
  return meta.dtype as DeviceDType;
}

export type { KernelFn };

import { type Backend, definePlugin, KERNEL_API_VERSION, type KernelFn } from '@neurite/kernel';
import { WebGPUBackend } from './backend.js';
import { acquireDevice } from './device/acquire.js';
import { assertDeviceDType } from './dtype.js';
import { gpuKernels } from './kernels/index.js';
import type { GpuKernel } from './kernels/types.js';
import { garbageCollector } from './memory/collect.js';
import { type WebGPUOptions, type WebGPUOptionsInput, webgpuOptions } from './options.js';
import { PACKAGE_VERSION } from './version.js';

/** Refuses float64 tensors (WGSL has none) with a clear error before a kernel records anything. */
function guarded(op: string, kernel: GpuKernel): KernelFn {
  return (call) => {
    for (const m of call.inputs) assertDeviceDType(op, m.dtype);
    for (const m of call.outputs) assertDeviceDType(op, m.dtype);
    return kernel(call as Parameters<GpuKernel>[0]);
  };
}

/**
 * The WebGPU backend plugin: `runtime.use(webgpuBackend({ … }))`, then
 * `await runtime.setBackend('webgpu')` (devices are acquired asynchronously).
 */
export const webgpuBackend = definePlugin<typeof webgpuOptions.t, WebGPUOptionsInput>({
  name: '@neurite/backend-webgpu',
  version: PACKAGE_VERSION,
  apiVersion: `^${KERNEL_API_VERSION.split('.')[0]}.0.0`,
  description: 'WebGPU backend: tensors on the GPU, WGSL kernels, batched submission, cpu fallback',
  options: webgpuOptions,
  setup(ctx, validated) {
    // `use()` validated the options; asserting gives them their output type (defaults applied).
    const options: WebGPUOptions = webgpuOptions.assert(validated);
    const rt = ctx.runtime;
    ctx.register('backend', {
      name: 'webgpu',
      description: 'GPU through WebGPU (Dawn in Node, navigator.gpu in browsers)',
      create: async (): Promise<Backend> =>
        new WebGPUBackend(await acquireDevice(options), options, {
          collect: options.collectEveryBytes > 0 ? await garbageCollector() : null,
          cpu: rt.cpu,
          cpuKernel: (op) => rt.registry('kernel').get(`${op}@cpu`)?.fn,
        }) as unknown as Backend,
    });
    for (const [op, kernel] of Object.entries(gpuKernels)) ctx.kernel(op, 'webgpu', guarded(op, kernel));
  },
});

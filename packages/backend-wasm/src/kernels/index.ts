import type { KernelFn, PluginContext } from '@neurite/kernel';
import type { WasmBackend } from '../backend.js';
import { adamUpdate } from './adam.js';
import { binaryKernel } from './elementwise.js';
import type { WasmKernel } from './kernel.js';
import { lifScan, lifScanGrad } from './lif.js';
import { linear } from './linear.js';
import { matmul } from './matmul.js';
import { sum } from './reduce.js';

/** The ops the wasm backend computes itself; every other op runs its cpu kernel on the same arrays. */
export const WASM_KERNELS: Readonly<Record<string, WasmKernel>> = {
  matmul,
  linear,
  lif_scan: lifScan,
  lif_scan_grad: lifScanGrad,
  add: binaryKernel('add'),
  sub: binaryKernel('sub'),
  mul: binaryKernel('mul'),
  div: binaryKernel('div'),
  maximum: binaryKernel('maximum'),
  minimum: binaryKernel('minimum'),
  sum,
  adam_update: adamUpdate,
};

/** Registers each wasm kernel, falling back to the op's cpu kernel for calls it does not cover. */
export function registerKernels(ctx: PluginContext): void {
  const kernels = ctx.runtime.registry('kernel');
  for (const [op, kernel] of Object.entries(WASM_KERNELS)) {
    let cpu: KernelFn | undefined;
    ctx.kernel(op, 'wasm', (call) => {
      const handles = kernel(call as Parameters<WasmKernel>[0], (call.backend as WasmBackend).engine);
      if (handles) return handles;
      cpu ??= kernels.require(`${op}@cpu`).fn;
      return cpu(call);
    });
  }
}

import type { DataArray } from '../../tensor/dtype.js';
import type { Backend, KernelFn } from '../contract.js';
import { convKernels } from './conv.js';
import { creationKernels } from './creation.js';
import { elementwiseKernels } from './elementwise.js';
import { linear } from './linear.js';
import { matmul } from './matmul.js';
import { movementKernels } from './movement.js';
import { poolKernels } from './pool.js';
import { reduceKernels } from './reduce.js';

/**
 * The reference backend: pure TypeScript over typed arrays, synchronous, runs in Node and browsers and
 * implements every kernel. Other backends override kernels and fall back here for the rest.
 */
export function createCpuBackend(): Backend<DataArray> {
  return {
    name: 'cpu',
    hostMemory: true,
    fromHost: (data) => data.slice(),
    read: async (handle) => handle.slice(),
    readSync: (handle) => handle.slice(),
  };
}

export const cpuKernels: Record<string, KernelFn<DataArray, any>> = {
  ...elementwiseKernels,
  ...reduceKernels,
  ...movementKernels,
  ...creationKernels,
  ...convKernels,
  ...poolKernels,
  matmul,
  linear,
};

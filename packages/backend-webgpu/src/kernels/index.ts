import { convKernels } from './conv.js';
import { creationKernels } from './creation.js';
import { elementwiseKernels } from './elementwise.js';
import { indexingKernels } from './indexing.js';
import { lifKernels } from './lif.js';
import { movementKernels } from './movement.js';
import { optimKernels } from './optim.js';
import { poolKernels } from './pool.js';
import { reduceKernels } from './reduce.js';
import { softmaxKernels } from './softmax.js';
import { matmul } from './spike-matmul.js';
import type { GpuKernelTable } from './types.js';

/** Every WGSL kernel by op name; ops not listed run on the cpu through `runOnHost`. */
export const gpuKernels: GpuKernelTable = {
  ...elementwiseKernels,
  ...creationKernels,
  ...movementKernels,
  ...indexingKernels,
  ...reduceKernels,
  ...softmaxKernels,
  ...convKernels,
  ...poolKernels,
  ...optimKernels,
  ...lifKernels,
  matmul,
};

import type { OpDef } from '../ops/op.js';
import { decompositionOps } from './ops/decompositions.js';
import { fourierOps } from './ops/fourier.js';
import { matrixFunctionOps } from './ops/matrix-functions.js';
import { solveOps } from './ops/solve.js';

export { linalgCpuKernels } from './cpu/kernels.js';

/** Every linear-algebra op, for the core plugin to register. */
export const linalgOps: OpDef[] = [...solveOps, ...decompositionOps, ...matrixFunctionOps, ...fourierOps];

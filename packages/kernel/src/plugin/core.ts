import { cpuKernels } from '../backend/cpu/backend.js';
import { containerNodes } from '../graph/containers.js';
import { safetensorsFormat } from '../io/safetensors/format.js';
import { linalgCpuKernels, linalgOps } from '../linalg/register.js';
import { convNodes } from '../nn/layers/conv.js';
import { embeddingNode } from '../nn/layers/embedding.js';
import { linearNode } from '../nn/layers/linear.js';
import { normNodes } from '../nn/layers/norm.js';
import { poolNodes } from '../nn/layers/pool.js';
import { simpleNodes } from '../nn/layers/simple.js';
import { coreLosses } from '../nn/losses.js';
import { convOps } from '../ops/conv.js';
import { creationOps } from '../ops/creation.js';
import { elementwiseOps } from '../ops/elementwise.js';
import { linearOps } from '../ops/linear.js';
import { matmulOps } from '../ops/matmul.js';
import { movementOps } from '../ops/movement.js';
import { poolOps } from '../ops/pool.js';
import { reduceOps } from '../ops/reduce.js';
import { optimKernels } from '../optim/kernels.js';
import { optimOps } from '../optim/ops.js';
import { KERNEL_API_VERSION } from '../version.js';
import { definePlugin } from './plugin.js';

/**
 * The kernel's own contributions, installed into every runtime like any other plugin: its ops, the
 * cpu kernels, the built-in node types and losses.
 */
export const corePlugin = definePlugin({
  name: '@neurite/kernel',
  version: KERNEL_API_VERSION,
  apiVersion: `^${KERNEL_API_VERSION}`,
  description: 'tensors, autograd, cpu kernels, core layers and losses',
  setup(ctx) {
    for (const op of [...elementwiseOps, ...reduceOps, ...movementOps, ...matmulOps, ...creationOps]) {
      ctx.register('op', op);
    }
    for (const op of linearOps) ctx.register('op', op);
    for (const op of [...convOps, ...poolOps]) ctx.register('op', op);
    ctx.register('backend', {
      name: 'cpu',
      description: 'pure TypeScript, every kernel',
      create: () => ctx.runtime.cpu,
    });
    for (const [op, fn] of Object.entries(cpuKernels)) ctx.kernel(op, 'cpu', fn);
    for (const op of linalgOps) ctx.register('op', op);
    for (const [op, fn] of Object.entries(linalgCpuKernels)) ctx.kernel(op, 'cpu', fn);
    for (const op of optimOps) ctx.register('op', op);
    for (const [op, fn] of Object.entries(optimKernels)) ctx.kernel(op, 'cpu', fn);
    ctx.register('format', safetensorsFormat);
    for (const node of [...containerNodes, linearNode, ...simpleNodes]) ctx.register('node', node);
    for (const node of [...convNodes, ...poolNodes, ...normNodes, embeddingNode]) ctx.register('node', node);
    for (const loss of coreLosses) ctx.register('loss', loss);
  },
});

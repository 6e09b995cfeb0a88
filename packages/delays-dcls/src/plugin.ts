import { definePlugin } from '@neurite/kernel';
import { dcls1dBenchmark } from './bench.js';
import { summedSoftmaxLoss } from './loss.js';
import { dclsNirExports } from './nir-export.js';
import { dclsNodes } from './nodes.js';
import { dcls1dGradCpu } from './ops/cpu-backward.js';
import { dcls1dCpu } from './ops/cpu-forward.js';
import { dcls1dGradOp, dcls1dOp } from './ops/dcls1d.js';
import { presets } from './presets.js';
import { VERSION } from './version.js';

/**
 * The DCLS delay plugin: the `dcls1d` op and its backward with cpu kernels, the `dcls1d`,
 * `seq-batchnorm1d` and `dcls-snn` node types, the reference's loss and the SHD, SSC and FSDD presets.
 * The `dcls-snn` network builds LIF neurons from @neurite/neuron-lif, installed beside it; the NIR mappings
 * of `dcls1d` and `seq-batchnorm1d` serve @neurite/nir when it is installed.
 */
export const delaysDclsPlugin = definePlugin({
  name: '@neurite/delays-dcls',
  version: VERSION,
  apiVersion: '^1.0.0',
  description: 'learnable synaptic delays (DCLS): the dcls1d op and layer, the delay SNN, presets',
  setup(ctx) {
    ctx.register('op', dcls1dOp);
    ctx.register('op', dcls1dGradOp);
    ctx.kernel('dcls1d', 'cpu', dcls1dCpu);
    ctx.kernel('dcls1d_grad', 'cpu', dcls1dGradCpu);
    for (const node of dclsNodes) ctx.register('node', node);
    ctx.register('loss', summedSoftmaxLoss);
    for (const preset of presets) ctx.register('preset', preset);
    // How the node types export to NIR, for @neurite/nir when it is installed.
    for (const def of dclsNirExports) ctx.register('nir-export', def);
    ctx.register('benchmark', dcls1dBenchmark);
  },
});

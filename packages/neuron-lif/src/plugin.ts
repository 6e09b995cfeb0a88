import { definePlugin } from '@neurite/kernel';
import { lifScanBenchmark } from './bench.js';
import { encoderNodes } from './encoders/encoders.js';
import { spikingLosses } from './losses.js';
import { builtinSynapticOps } from './metrics/synops.js';
import { neuronNodes } from './neurons/nodes.js';
import { lifScanGradCpu } from './ops/cpu-backward.js';
import { lifScanCpu } from './ops/cpu-forward.js';
import { surrogateSpikeCpu } from './ops/cpu-spike.js';
import { lifScanGradOp, lifScanOp, surrogateSpikeOp } from './ops/lif-scan.js';
import { presets } from './presets.js';
import { builtinSurrogates } from './surrogates/builtins.js';
import { VERSION } from './version.js';

/**
 * The neuron plugin: the fused scan ops with their cpu kernels, the surrogate registry, the neuron,
 * encoder and readout node types, the spiking losses, the synaptic-operation counters and the presets.
 */
export const neuronLifPlugin = definePlugin({
  name: '@neurite/neuron-lif',
  version: VERSION,
  apiVersion: '^1.0.0',
  description:
    'LIF-family neurons with fused scans, surrogate gradients, encoders, SLTT and energy estimates',
  setup(ctx) {
    for (const op of [lifScanOp, lifScanGradOp, surrogateSpikeOp]) ctx.register('op', op);
    ctx.kernel('lif_scan', 'cpu', lifScanCpu);
    ctx.kernel('lif_scan_grad', 'cpu', lifScanGradCpu);
    ctx.kernel('surrogate_spike', 'cpu', surrogateSpikeCpu);
    for (const s of builtinSurrogates) ctx.register('surrogate', s);
    for (const node of [...neuronNodes, ...encoderNodes]) ctx.register('node', node);
    for (const loss of spikingLosses) ctx.register('loss', loss);
    for (const counter of builtinSynapticOps) ctx.register('synaptic-ops', counter);
    for (const preset of presets) ctx.register('preset', preset);
    ctx.register('benchmark', lifScanBenchmark);
  },
});

// @neurite/example-izhikevich — an out-of-tree plugin, written only against the published entry points
// of @neurite/kernel and @neurite/neuron-lif. Its default export is the plugin factory.
import { definePlugin } from '@neurite/kernel';
import { izhikevichScanCpu, izhikevichScanGradCpu } from './cpu.js';
import { izhikevichNode } from './layer.js';
import { izhikevichScanGradOp, izhikevichScanOp } from './ops.js';
import { izhikevichSurrogate } from './surrogate.js';
import { VERSION } from './version.js';

export { izhikevichScanCpu, izhikevichScanGradCpu } from './cpu.js';
export { IzhikevichLayer, izhikevichNode, izhikevichOptions } from './layer.js';
export { izhikevichScanGradOp, izhikevichScanOp } from './ops.js';
export { CELL_TYPES, type CellType, type IzhikevichAttrs } from './params.js';
export { izhikevichSurrogate } from './surrogate.js';

export default definePlugin({
  name: '@neurite/example-izhikevich',
  version: VERSION,
  apiVersion: '^1.0.0',
  description:
    'Izhikevich neurons (fused Euler scan, hand-written backward) with a millivolt-scaled surrogate',
  setup(ctx) {
    // Extends @neurite/neuron-lif's `surrogate` registry; the node type resolves its surrogate there.
    ctx.register('surrogate', izhikevichSurrogate);
    ctx.register('op', izhikevichScanOp);
    ctx.register('op', izhikevichScanGradOp);
    ctx.kernel('izhikevich_scan', 'cpu', izhikevichScanCpu);
    ctx.kernel('izhikevich_scan_grad', 'cpu', izhikevichScanGradCpu);
    ctx.register('node', izhikevichNode);
  },
});

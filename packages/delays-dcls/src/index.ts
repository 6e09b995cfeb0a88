// @neurite/delays-dcls — public entry point. The default export is the plugin factory.
import { delaysDclsPlugin } from './plugin.js';

export default delaysDclsPlugin;

export {
  Dcls1d,
  type Dcls1dOptions,
  type DelayLine,
  type DelayMode,
  dcls1dOptions,
  delayModes,
} from './layers/dcls1d.js';
export { SeqBatchNorm1d } from './layers/seq-batchnorm.js';
export {
  decayEpochs,
  type SigmaScheduleOptions,
  sigmaAfter,
  sigmaDecayFactor,
} from './layers/sigma-schedule.js';
export { summedSoftmaxCrossEntropy, summedSoftmaxLoss } from './loss.js';
export {
  buildDclsSnn,
  DclsSnn,
  type DclsSnnOptions,
  dclsSnnLayers,
  dclsSnnOptions,
  oddKernelSize,
} from './network/dcls-snn.js';
export { dcls1dNode, dclsNodes, dclsSnnNode, seqBatchNormNode } from './nodes.js';
export {
  Bump,
  bumpWidth,
  type DclsVersion,
  denseKernel,
  GAUSS_WIDTH_OFFSET,
  MAX_WIDTH_OFFSET,
  NORM_EPS,
} from './ops/bump.js';
export {
  type Dcls1dAttrs,
  type Dcls1dGradAttrs,
  type Dcls1dOptions as Dcls1dOpOptions,
  DEFAULT_TRUNCATE,
  dcls1d,
  dcls1dGradOp,
  dcls1dOp,
  outputSteps,
} from './ops/dcls1d.js';
export { fsddDelaysConfig, presets, shdDelaysConfig, sscDelaysConfig } from './presets.js';
export { VERSION } from './version.js';
export { delaysDclsPlugin };

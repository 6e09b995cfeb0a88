// @neurite/neuron-lif — public entry point. The default export is the plugin factory.
import { neuronLifPlugin } from './plugin.js';

export default neuronLifPlugin;

export { lifScanBenchmark } from './bench.js';
// Encoders.
export * from './encoders/encoders.js';
export * from './inference/dynamic-confidence.js';
// Losses and regularisers.
export * from './losses.js';
// Metrics and plots.
export * from './metrics/energy.js';
export * from './metrics/monitor.js';
export { builtinSynapticOps, type SynapticOpsDef } from './metrics/synops.js';
export { type NeuronConfig, NeuronFamilyLayer, type ParamName } from './neurons/family.js';
// Neurons.
export {
  type BatchStateful,
  isBatchStateful,
  isStepped,
  type NeuronActivity,
  NeuronLayer,
  type NeuronState,
  type StepMode,
  type Stepped,
  setStepMode,
} from './neurons/layer.js';
export * from './neurons/nodes.js';
export { type Discretisation, decayFrom, forScan, type NeuronParam, neuronParam } from './neurons/params.js';
// The fused scan ops (contract in OPS.md) and their functional forms.
export * from './ops/attrs.js';
export { membraneStd } from './ops/membrane-std.js';
export {
  lifScan,
  postResetMembrane,
  type ScanOptions,
  type ScanParams,
  type ScanResult,
  type ScanState,
  surrogateSpike,
} from './ops/scan.js';
export * from './plots/svg.js';
export * from './presets.js';
export * from './surrogates/builtins.js';
export {
  resolveSurrogate,
  type SurrogateOption,
  surrogateOf,
  surrogateOptionSchema,
} from './surrogates/resolve.js';
// Surrogates.
export { defineSurrogate, type SurrogateDef } from './surrogates/types.js';
// Training and inference.
export { type SlttOptions, type SlttResult, slttBackward } from './training/sltt.js';
export { VERSION } from './version.js';
export { neuronLifPlugin };

// @neurite/kernel — public entry point.

export type { BackwardOptions } from './autograd/backward.js';
export {
  assertGradcheck,
  type GradcheckOptions,
  type GradcheckResult,
  gradcheck,
} from './autograd/gradcheck.js';
export type {
  Backend,
  BackendDef,
  KernelCall,
  KernelFn,
  KernelInput,
  TensorMeta,
} from './backend/contract.js';
export { type Measured, measure, type Repeats, summarize } from './bench/measure.js';
export { createRuntime, defaultRuntime } from './create.js';
export type {
  DatasetContext,
  DatasetDef,
  DatasetInfo,
  DatasetProgress,
  DatasetSplits,
  Example,
  ExampleSource,
} from './data/dataset.js';
export { type Batch, DataLoader, type LoaderOptions } from './data/loader.js';
export * from './errors.js';
export { arkIssues, buildModel, fromModelGraph, type Issue, resolveNode } from './graph/build.js';
export { GraphModule, Sequential, topologicalOrder } from './graph/containers.js';
export { specOf, toModelGraph } from './graph/export.js';
export type { BuildContext, NodeExample, NodeType } from './graph/node-type.js';
export { defineNode } from './graph/node-type.js';
export type { GraphSpec, ModelGraph, NodeOptions, NodeSpec } from './graph/spec.js';
export * from './io/index.js';
export { NotPositiveDefiniteError, SingularMatrixError } from './linalg/errors.js';
export * as linalg from './linalg/index.js';
export * as init from './nn/init.js';
export type { Conv1dOptions, Conv2dOptions } from './nn/layers/conv.js';
export { Conv1d, Conv2d, conv1dOptions, conv2dOptions } from './nn/layers/conv.js';
export { Embedding, type EmbeddingOptions, embeddingOptions } from './nn/layers/embedding.js';
export { Linear, type LinearOptions, linearOptions } from './nn/layers/linear.js';
export { BatchNorm1d, BatchNorm2d, batchNormOptions, LayerNorm, layerNormOptions } from './nn/layers/norm.js';
export { AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d, Pool, SumPool1d, SumPool2d } from './nn/layers/pool.js';
export { Dropout, Flatten, ReLU } from './nn/layers/simple.js';
export { bceWithLogits, crossEntropy, type LossDef, mseLoss, nllLoss, type Reduction } from './nn/losses.js';
export {
  Buffer,
  isRecordable,
  Module,
  type ModuleHooks,
  type NodeDescription,
  Parameter,
  type Recordable,
} from './nn/module.js';
export { type ForwardObserver, observeForward } from './nn/observe.js';
export * as ops from './ops/index.js';
export { defineOp, type GradContext, type OpDef, type OpExample } from './ops/op.js';
export * from './optim/index.js';
export * as plot from './plot/svg.js';
export type * from './plugin/kinds.js';
export {
  definePlugin,
  type PluginContext,
  type PluginFactory,
  type PluginInstance,
  type PluginManifest,
  type PluginRecord,
} from './plugin/plugin.js';
export { Registry } from './plugin/registry.js';
export { parseVersion, satisfies } from './plugin/semver.js';
export { hash32, normalAt, uniformAt } from './random/counter.js';
export { Rng } from './random/rng.js';
export { type CreateOptions, type NestedNumbers, Runtime } from './runtime.js';
export {
  arrayFor,
  type DataArray,
  DTYPES,
  type DType,
  type FloatArray,
  gradDType,
  isFloat,
  promote,
} from './tensor/dtype.js';
export { broadcastShapes, type Shape, sameShape, sizeOf, stridesOf } from './tensor/shape.js';
export { type NestedArray, Tensor, type TensorLike } from './tensor/tensor.js';
export {
  applyOverrides,
  type OptimizerConfig,
  resolveTrainConfig,
  type ScheduleConfig,
  type TrainConfig,
  type TrainConfigInput,
  trainConfigSchema,
} from './train/config.js';
export { type SessionState, TrainingSession } from './train/session.js';
export {
  type BatchProgress,
  type EpochRecord,
  type Metrics,
  type Steppable,
  Trainer,
  type TrainerParts,
} from './train/trainer.js';
export { KERNEL_API_VERSION } from './version.js';

// @neurite/kernel — public entry point.
export { createRuntime, defaultRuntime } from './create.js';
export { Runtime, type CreateOptions, type NestedNumbers } from './runtime.js';
export { KERNEL_API_VERSION } from './version.js';

export { Tensor, type TensorLike, type NestedArray } from './tensor/tensor.js';
export { type DType, type DataArray, type FloatArray, DTYPES, arrayFor, isFloat, promote, gradDType } from './tensor/dtype.js';
export { type Shape, sizeOf, stridesOf, sameShape, broadcastShapes } from './tensor/shape.js';
export * from './errors.js';

export * as ops from './ops/index.js';
export * as linalg from './linalg/index.js';
export { SingularMatrixError, NotPositiveDefiniteError } from './linalg/errors.js';
export { defineOp, type OpDef, type OpExample, type GradContext } from './ops/op.js';
export type { Backend, BackendDef, KernelCall, KernelFn, KernelInput, TensorMeta } from './backend/contract.js';

export { type BackwardOptions } from './autograd/backward.js';
export { Rng } from './random/rng.js';
export { hash32, uniformAt, normalAt } from './random/counter.js';

export { definePlugin, type PluginContext, type PluginFactory, type PluginInstance, type PluginManifest, type PluginRecord } from './plugin/plugin.js';
export { Registry } from './plugin/registry.js';
export { satisfies, parseVersion } from './plugin/semver.js';
export type * from './plugin/kinds.js';

export { Module, Parameter, Buffer, type NodeDescription, type ModuleHooks, type Recordable, isRecordable } from './nn/module.js';
export { observeForward, type ForwardObserver } from './nn/observe.js';
export * as init from './nn/init.js';
export { Linear, linearOptions, type LinearOptions } from './nn/layers/linear.js';
export { ReLU, Flatten, Dropout } from './nn/layers/simple.js';
export { Conv1d, Conv2d, conv1dOptions, conv2dOptions } from './nn/layers/conv.js';
export type { Conv1dOptions, Conv2dOptions } from './nn/layers/conv.js';
export { Pool, SumPool1d, SumPool2d, AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d } from './nn/layers/pool.js';
export { BatchNorm1d, BatchNorm2d, LayerNorm, batchNormOptions, layerNormOptions } from './nn/layers/norm.js';
export { Embedding, embeddingOptions, type EmbeddingOptions } from './nn/layers/embedding.js';
export { crossEntropy, nllLoss, mseLoss, bceWithLogits, type LossDef, type Reduction } from './nn/losses.js';

export type { NodeOptions, NodeSpec, GraphSpec, ModelGraph } from './graph/spec.js';
export type { NodeType, NodeExample, BuildContext } from './graph/node-type.js';
export { Sequential, GraphModule, topologicalOrder } from './graph/containers.js';
export { resolveNode, buildModel, fromModelGraph, arkIssues, type Issue } from './graph/build.js';
export { specOf, toModelGraph } from './graph/export.js';

export type { Example, ExampleSource, DatasetInfo, DatasetSplits, DatasetContext, DatasetDef, DatasetProgress } from './data/dataset.js';
export { gradcheck, assertGradcheck, type GradcheckOptions, type GradcheckResult } from './autograd/gradcheck.js';
export { defineNode } from './graph/node-type.js';
export * from './optim/index.js';
export * from './io/index.js';
export { DataLoader, type Batch, type LoaderOptions } from './data/loader.js';
export {
  trainConfigSchema,
  resolveTrainConfig,
  applyOverrides,
  type TrainConfig,
  type TrainConfigInput,
  type OptimizerConfig,
  type ScheduleConfig,
} from './train/config.js';
export { TrainingSession, type SessionState } from './train/session.js';
export { Trainer, type TrainerParts, type Steppable, type Metrics, type EpochRecord, type BatchProgress } from './train/trainer.js';
export * as plot from './plot/svg.js';

// Optimisers, parameter groups, learning-rate schedules and gradient clipping.

export { ADAM_DEFAULTS, ADAMW_DEFAULTS, Adam, type AdamOptions, AdamW } from './adam.js';
export { clipGradNorm, clipGradValue } from './clip.js';
export { LrScheduler, type LrSchedulerState } from './lr-scheduler.js';
export type { AdamUpdateAttrs, SgdUpdateAttrs } from './ops.js';
export {
  type GroupOptions,
  type Json,
  Optimizer,
  type OptimizerScalars,
  type OptimizerStateDict,
  type ParamGroup,
  type ParamGroupInput,
  type ParamState,
} from './optimizer.js';
export { type GroupRule, globToRegExp, type NamedParameters, paramGroups } from './param-groups.js';
export {
  cosineSchedule,
  linearSchedule,
  type OneCycleOptions,
  oneCycleSchedule,
  type PerGroup,
  type Schedule,
  sequentialSchedule,
  stepSchedule,
} from './schedules.js';
export { SGD, SGD_DEFAULTS, type SgdOptions } from './sgd.js';

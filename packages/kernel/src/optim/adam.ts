import type { Tensor } from '../tensor/tensor.js';
import type { AdamUpdateAttrs } from './ops.js';
import {
  type GroupOptions,
  type Issue,
  Optimizer,
  type ParamGroup,
  type ParamGroupInput,
  type ParamState,
} from './optimizer.js';

export interface AdamOptions extends GroupOptions {
  /** (β1, β2): decay rates of the first and second moment averages. One-cycle schedules cycle β1. */
  betas: readonly [number, number];
  eps: number;
  amsgrad: boolean;
  maximize: boolean;
}

export const ADAM_DEFAULTS: Readonly<AdamOptions> = {
  lr: 1e-3,
  betas: [0.9, 0.999],
  eps: 1e-8,
  weightDecay: 0,
  amsgrad: false,
  maximize: false,
};

/**
 * Adam (Kingma & Ba) with bias correction and optional AMSGrad, PyTorch's rule; weight decay is added
 * to the gradient (L2). See `AdamUpdateAttrs`. State: `exp_avg`, `exp_avg_sq`, `max_exp_avg_sq`.
 */
export class Adam extends Optimizer<AdamOptions> {
  // Getters rather than fields: the base constructor reads `kind` (for messages) before fields exist.
  get kind(): string {
    return 'adam';
  }

  /** Whether weight decay shrinks the parameter directly (AdamW) instead of joining the gradient. */
  protected get decoupled(): boolean {
    return false;
  }

  constructor(
    params: readonly Tensor[] | readonly ParamGroupInput<AdamOptions>[],
    options: Partial<AdamOptions> = {},
  ) {
    super(params, { ...ADAM_DEFAULTS, ...options });
  }

  protected override checkOptions(group: AdamOptions): Issue[] {
    const issues = super.checkOptions(group);
    const { betas } = group;
    if (
      !Array.isArray(betas) ||
      betas.length !== 2 ||
      !betas.every((b) => Number.isFinite(b) && b >= 0 && b < 1)
    ) {
      issues.push({
        path: 'betas',
        message: `must be two numbers in [0, 1), found ${JSON.stringify(betas)}`,
      });
    }
    if (!(Number.isFinite(group.eps) && group.eps >= 0))
      issues.push({ path: 'eps', message: `must be ≥ 0, found ${group.eps}` });
    return issues;
  }

  protected requiredState(group: ParamGroup<AdamOptions>): string[] {
    return group.amsgrad ? ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'] : ['exp_avg', 'exp_avg_sq'];
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<AdamOptions>, state: ParamState): void {
    const rt = param.runtime;
    const zeros = () => rt.zeros(param.shape, { dtype: param.dtype, backend: param.backend });
    const { exp_avg: m, exp_avg_sq: v, max_exp_avg_sq: vMax } = state.tensors;
    const inputs = [param, grad, m ?? zeros(), v ?? zeros()];
    if (group.amsgrad) inputs.push(vMax ?? zeros());
    const attrs: AdamUpdateAttrs = {
      lr: group.lr,
      beta1: group.betas[0],
      beta2: group.betas[1],
      eps: group.eps,
      weightDecay: group.weightDecay,
      decoupled: this.decoupled,
      amsgrad: group.amsgrad,
      maximize: group.maximize,
      step: state.step + 1,
    };
    const [next, nextM, nextV, nextVMax] = rt.run('adam_update', inputs, attrs);
    param.assign(next!);
    state.tensors = nextVMax
      ? { exp_avg: nextM!, exp_avg_sq: nextV!, max_exp_avg_sq: nextVMax }
      : { exp_avg: nextM!, exp_avg_sq: nextV! };
    state.step++;
  }
}

export const ADAMW_DEFAULTS: Readonly<AdamOptions> = { ...ADAM_DEFAULTS, weightDecay: 1e-2 };

/**
 * AdamW (Loshchilov & Hutter): Adam with decoupled weight decay, p ← p·(1 − lr·weightDecay) before
 * the Adam step, as PyTorch's AdamW (default weight decay 0.01).
 */
export class AdamW extends Adam {
  override get kind(): string {
    return 'adamw';
  }

  protected override get decoupled(): boolean {
    return true;
  }

  constructor(
    params: readonly Tensor[] | readonly ParamGroupInput<AdamOptions>[],
    options: Partial<AdamOptions> = {},
  ) {
    super(params, { ...ADAMW_DEFAULTS, ...options });
  }
}

import type { Tensor } from '../tensor/tensor.js';
import type { SgdUpdateAttrs } from './ops.js';
import {
  type GroupOptions,
  type Issue,
  Optimizer,
  type ParamGroup,
  type ParamGroupInput,
  type ParamState,
} from './optimizer.js';

export interface SgdOptions extends GroupOptions {
  momentum: number;
  dampening: number;
  nesterov: boolean;
  maximize: boolean;
}

export const SGD_DEFAULTS: Readonly<SgdOptions> = {
  lr: 1e-3,
  momentum: 0,
  dampening: 0,
  weightDecay: 0,
  nesterov: false,
  maximize: false,
};

/**
 * Stochastic gradient descent with PyTorch's momentum, dampening, Nesterov momentum and (coupled)
 * weight decay; see `SgdUpdateAttrs` for the rule. The momentum buffer is state `momentum_buffer`.
 */
export class SGD extends Optimizer<SgdOptions> {
  get kind(): string {
    return 'sgd';
  }

  constructor(
    params: readonly Tensor[] | readonly ParamGroupInput<SgdOptions>[],
    options: Partial<SgdOptions> = {},
  ) {
    super(params, { ...SGD_DEFAULTS, ...options });
  }

  protected override checkOptions(group: SgdOptions): Issue[] {
    const issues = super.checkOptions(group);
    if (!(Number.isFinite(group.momentum) && group.momentum >= 0)) {
      issues.push({ path: 'momentum', message: `must be ≥ 0, found ${group.momentum}` });
    }
    if (!Number.isFinite(group.dampening))
      issues.push({ path: 'dampening', message: `must be finite, found ${group.dampening}` });
    if (group.nesterov && (group.momentum <= 0 || group.dampening !== 0)) {
      issues.push({ path: 'nesterov', message: 'needs momentum > 0 and dampening 0' });
    }
    return issues;
  }

  protected requiredState(): string[] {
    // A buffer exists only once a step has run with momentum, which the state cannot tell apart.
    return [];
  }

  protected update(param: Tensor, grad: Tensor, group: ParamGroup<SgdOptions>, state: ParamState): void {
    const rt = param.runtime;
    const attrs: SgdUpdateAttrs = {
      lr: group.lr,
      momentum: group.momentum,
      dampening: group.dampening,
      weightDecay: group.weightDecay,
      nesterov: group.nesterov,
      maximize: group.maximize,
    };
    if (group.momentum === 0) {
      param.assign(rt.run1('sgd_update', [param, grad], attrs));
    } else {
      const buffer = state.tensors.momentum_buffer;
      // No buffer yet: a zero buffer with dampening 0 makes the new buffer exactly d, as PyTorch's copy.
      const inputs = [
        param,
        grad,
        buffer ?? rt.zeros(param.shape, { dtype: param.dtype, backend: param.backend }),
      ];
      const [next, nextBuffer] = rt.run('sgd_update', inputs, buffer ? attrs : { ...attrs, dampening: 0 });
      param.assign(next!);
      state.tensors = { momentum_buffer: nextBuffer! };
    }
    state.step++;
  }
}

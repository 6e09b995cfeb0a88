import type { KernelFn } from '../backend/contract.js';
import { arrayFor, type DataArray } from '../tensor/dtype.js';
import type { AdamUpdateAttrs, SgdUpdateAttrs } from './ops.js';

// The cpu kernels of the fused updates. Arithmetic is in double precision; each state value is rounded
// to the parameter's dtype when stored, and the parameter update reads the stored (rounded) state, as
// PyTorch's update reads its float32 state tensors.

const sgdUpdate: KernelFn<DataArray, SgdUpdateAttrs> = ({ inputs, attrs, outputs }) => {
  const param = inputs[0]!.handle;
  const grad = inputs[1]!.handle;
  const buffer = inputs[2]?.handle;
  const n = param.length;
  const newParam = arrayFor(outputs[0]!.dtype, n);
  const newBuffer = buffer ? arrayFor(outputs[1]!.dtype, n) : null;
  const { lr, momentum, dampening, weightDecay, nesterov, maximize } = attrs;
  for (let i = 0; i < n; i++) {
    const p = param[i]!;
    let d = maximize ? -grad[i]! : grad[i]!;
    if (weightDecay !== 0) d += weightDecay * p;
    if (newBuffer) {
      newBuffer[i] = momentum * buffer![i]! + (1 - dampening) * d;
      d = nesterov ? d + momentum * newBuffer[i]! : newBuffer[i]!;
    }
    newParam[i] = p - lr * d;
  }
  return newBuffer ? [newParam, newBuffer] : [newParam];
};

const adamUpdate: KernelFn<DataArray, AdamUpdateAttrs> = ({ inputs, attrs, outputs }) => {
  const [param, grad, m, v, vMax] = inputs.map((i) => i.handle) as [
    DataArray,
    DataArray,
    DataArray,
    DataArray,
    DataArray?,
  ];
  const n = param.length;
  const dtype = outputs[0]!.dtype;
  const newParam = arrayFor(dtype, n);
  const newM = arrayFor(dtype, n);
  const newV = arrayFor(dtype, n);
  const newVMax = vMax ? arrayFor(dtype, n) : null;
  const { lr, beta1, beta2, eps, weightDecay, decoupled, maximize, step } = attrs;
  const stepSize = lr / (1 - beta1 ** step);
  const correction2 = Math.sqrt(1 - beta2 ** step);
  const decay = 1 - lr * weightDecay;
  for (let i = 0; i < n; i++) {
    let p = param[i]!;
    let g = maximize ? -grad[i]! : grad[i]!;
    if (decoupled) p *= decay;
    else if (weightDecay !== 0) g += weightDecay * p;
    newM[i] = beta1 * m[i]! + (1 - beta1) * g;
    newV[i] = beta2 * v[i]! + (1 - beta2) * g * g;
    let second = newV[i]!;
    if (newVMax) second = newVMax[i] = Math.max(vMax![i]!, second);
    p -= (stepSize * newM[i]!) / (Math.sqrt(second) / correction2 + eps);
    newParam[i] = p;
  }
  return newVMax ? [newParam, newM, newV, newVMax] : [newParam, newM, newV];
};

/** By op name; the core plugin registers them for cpu. */
export const optimKernels = {
  sgd_update: sgdUpdate,
  adam_update: adamUpdate,
};

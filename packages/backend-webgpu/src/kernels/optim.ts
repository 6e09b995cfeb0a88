import { sizeOf } from '@neurite/kernel';
import { buffer, ENTRY, params, Words } from '../wgsl/common.js';
import { memo } from '../wgsl/memo.js';
import { backendOf, type GpuKernel, type GpuKernelTable } from './types.js';

interface SgdAttrs {
  readonly lr: number;
  readonly momentum: number;
  readonly dampening: number;
  readonly weightDecay: number;
  readonly nesterov: boolean;
  readonly maximize: boolean;
}

interface AdamAttrs {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  readonly amsgrad: boolean;
  readonly maximize: boolean;
  readonly step: number;
}

/** The kernel's fused optimiser updates (optim/ops.ts): one pass over a parameter, its gradient and state. */
const sgdSource = memo((momentum: boolean, nesterov: boolean): string => {
  return [
    buffer(0, 'p', 'f32'),
    buffer(1, 'grad', 'f32'),
    ...(momentum ? [buffer(2, 'buf', 'f32')] : []),
    buffer(momentum ? 3 : 2, 'p_out', 'f32', true),
    ...(momentum ? [buffer(4, 'buf_out', 'f32', true)] : []),
    params(momentum ? 5 : 3, 6),
    ENTRY(`
  if (t >= pu(0u)) { return; }
  let lr = pf(1u); let mom = pf(2u); let damp = pf(3u); let wd = pf(4u); let sgn = pf(5u);
  let pv = p[t];
  var d = sgn * grad[t] + wd * pv;
${
  momentum
    ? `  let b = mom * buf[t] + (1.0 - damp) * d;
  buf_out[t] = b;
  d = ${nesterov ? 'd + mom * b' : 'b'};`
    : ''
}
  p_out[t] = pv - lr * d;`),
  ].join('\n');
});

const sgdUpdate: GpuKernel<SgdAttrs> = (call) => {
  const gpu = backendOf(call);
  const a = call.attrs;
  const n = sizeOf(call.outputs[0]!.shape);
  const momentum = a.momentum !== 0;
  const outs = call.outputs.map((o) => gpu.alloc(o));
  const w = new Words();
  w.u(n);
  w.f(a.lr, a.momentum, a.dampening, a.weightDecay, a.maximize ? -1 : 1);
  gpu.run({
    source: sgdSource(momentum, a.nesterov),
    buffers: [...call.inputs.map((i) => i.handle), ...outs],
    params: w,
    threads: n,
  });
  return outs;
};

const adamSource = memo((amsgrad: boolean, decoupled: boolean): string => {
  return [
    buffer(0, 'p', 'f32'),
    buffer(1, 'grad', 'f32'),
    buffer(2, 'm', 'f32'),
    buffer(3, 'v', 'f32'),
    ...(amsgrad ? [buffer(4, 'vmax', 'f32')] : []),
    buffer(amsgrad ? 5 : 4, 'p_out', 'f32', true),
    buffer(amsgrad ? 6 : 5, 'm_out', 'f32', true),
    buffer(amsgrad ? 7 : 6, 'v_out', 'f32', true),
    ...(amsgrad ? [buffer(8, 'vmax_out', 'f32', true)] : []),
    params(amsgrad ? 9 : 7, 9),
    ENTRY(`
  if (t >= pu(0u)) { return; }
  let b1 = pf(1u); let b2 = pf(2u); let eps = pf(3u); let wd = pf(4u); let sgn = pf(5u);
  let step_size = pf(6u); let corr2 = pf(7u); let decay = pf(8u);
  var pv = p[t];
  var g = sgn * grad[t];
  ${decoupled ? 'pv = pv * decay;' : 'g = g + wd * pv;'}
  let mv = b1 * m[t] + (1.0 - b1) * g;
  let vv = b2 * v[t] + (1.0 - b2) * g * g;
  m_out[t] = mv;
  v_out[t] = vv;
  var second = vv;
${amsgrad ? '  second = max(vmax[t], vv);\n  vmax_out[t] = second;' : ''}
  p_out[t] = pv - (step_size * mv) / (sqrt(second) / corr2 + eps);`),
  ].join('\n');
});

const adamUpdate: GpuKernel<AdamAttrs> = (call) => {
  const gpu = backendOf(call);
  const a = call.attrs;
  const n = sizeOf(call.outputs[0]!.shape);
  // AMSGrad binds nine buffers; devices that bind fewer take the cpu kernel.
  if (call.inputs.length + call.outputs.length > gpu.maxStorageBuffers)
    return gpu.onHost('adam_update', call);
  const outs = call.outputs.map((o) => gpu.alloc(o));
  const w = new Words();
  w.u(n);
  // Step-dependent factors in double precision on the host, as the cpu kernel computes them.
  w.f(a.beta1, a.beta2, a.eps, a.weightDecay, a.maximize ? -1 : 1);
  w.f(a.lr / (1 - a.beta1 ** a.step), Math.sqrt(1 - a.beta2 ** a.step), 1 - a.lr * a.weightDecay);
  gpu.run({
    source: adamSource(a.amsgrad, a.decoupled),
    buffers: [...call.inputs.map((i) => i.handle), ...outs],
    params: w,
    threads: n,
  });
  return outs;
};

export const optimKernels: GpuKernelTable = {
  sgd_update: sgdUpdate,
  adam_update: adamUpdate,
};

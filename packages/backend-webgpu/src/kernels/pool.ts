import { sizeOf } from '@neurite/kernel';
import type { DeviceDType } from '../dtype.js';
import { buffer, ENTRY, params, STORAGE, Words } from '../wgsl/common.js';
import { memo } from '../wgsl/memo.js';
import { backendOf, dt, type GpuKernel, type GpuKernelTable } from './types.js';
import { viaInt32 } from './via-int32.js';

interface PoolAttrs {
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly (readonly [number, number])[];
  readonly dilation: readonly number[];
}

/**
 * Max pooling (1-D as height 1): one invocation per output scans its window and writes the largest
 * value and its flat index in the input plane. The cpu kernel's rules: padding never wins, ties keep
 * the first maximum, NaN wins.
 */
const poolSource = memo((dtype: DeviceDType) =>
  [
    buffer(0, 'x', dtype),
    buffer(1, 'values', dtype, true),
    buffer(2, 'indices', 'i32', true),
    params(3, 14),
    ENTRY(`
  let planes = pu(0u); let H = pu(1u); let W = pu(2u); let OH = pu(3u); let OW = pu(4u);
  let KH = pu(5u); let KW = pu(6u); let sh = i32(pu(7u)); let sw = i32(pu(8u));
  let dh = i32(pu(9u)); let dw = i32(pu(10u)); let ph = pi(11u); let pw = pi(12u);
  if (t >= planes * OH * OW) { return; }
  let ow = t % OW; let oh = (t / OW) % OH; let plane = t / (OW * OH);
  let base = plane * H * W;
  var best: ${STORAGE[dtype]} = x[base];
  var at = -1i;
  for (var kh = 0u; kh < KH; kh = kh + 1u) {
    let ih = i32(oh) * sh - ph + i32(kh) * dh;
    if (ih < 0i || ih >= i32(H)) { continue; }
    for (var kw = 0u; kw < KW; kw = kw + 1u) {
      let iw = i32(ow) * sw - pw + i32(kw) * dw;
      if (iw < 0i || iw >= i32(W)) { continue; }
      let v = x[base + u32(ih) * W + u32(iw)];
      if (at < 0i || v > best || v != v) { best = v; at = ih * i32(W) + iw; }
    }
  }
  values[t] = best;
  indices[t] = max(at, 0i);`),
  ].join('\n'),
);

const maxPool: GpuKernel<PoolAttrs> = viaInt32(
  (call) => {
    const gpu = backendOf(call);
    const x = call.inputs[0]!;
    const [values, indices] = call.outputs;
    const two = (v: readonly number[], fill: number): [number, number] =>
      v.length === 1 ? [fill, v[0]!] : [v[0]!, v[1]!];
    const [H, W] = two(x.shape.slice(2), 1);
    const [OH, OW] = two(values!.shape.slice(2), 1);
    const [KH, KW] = two(call.attrs.kernelSize, 1);
    const [sh, sw] = two(call.attrs.stride, 1);
    const [dh, dw] = two(call.attrs.dilation, 1);
    const [ph, pw] = two(
      call.attrs.padding.map((p) => p[0]),
      0,
    );
    const outs = [gpu.alloc(values!), gpu.alloc(indices!)];
    const w = new Words();
    w.u(x.shape[0]! * x.shape[1]!, H, W, OH, OW, KH, KW, sh, sw, dh, dw);
    w.i(ph, pw);
    gpu.run({
      source: poolSource(dt(x)),
      buffers: [x.handle, ...outs],
      params: w,
      threads: sizeOf(values!.shape),
    });
    return outs;
  },
  [0],
);

export const poolKernels: GpuKernelTable = {
  max_pool1d: maxPool,
  max_pool2d: maxPool,
};

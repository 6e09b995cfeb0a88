import { type Shape, sizeOf, stridesOf } from '@neurite/kernel';
import { faultCode, faultWgsl } from '../faults.js';
import { buffer, ENTRY, params, STORAGE, Words, zero } from '../wgsl/common.js';
import { memo } from '../wgsl/memo.js';
import { backendOf, dt, type GpuKernel, type GpuKernelTable } from './types.js';
import { viaInt32 } from './via-int32.js';

/** (outer, size of the axis, inner) around one axis, as the cpu kernels split shapes. */
function around(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis]!, sizeOf(shape.slice(axis + 1))];
}

const INDEX_SELECT = [
  buffer(0, 'x', 'u32'),
  buffer(1, 'idx', 'i32'),
  buffer(2, 'out', 'u32', true),
  faultWgsl(3),
  params(4, 5),
  ENTRY(`
  let n = pu(0u); let d = pu(1u); let k = pu(2u); let inner = pu(3u);
  if (t >= n) { return; }
  let i = t % inner;
  let j = (t / inner) % k;
  let a = t / (inner * k);
  let v = idx[j];
  if (v < 0i || u32(v) >= d) { report_fault(pu(4u), v, d); out[t] = 0u; return; }
  out[t] = x[(a * d + u32(v)) * inner + i];`),
].join('\n');

/** Rows `index[j]` along the axis; data is copied as raw 32-bit words. */
const indexSelect: GpuKernel<{ axis: number }> = viaInt32(
  (call) => {
    const gpu = backendOf(call);
    const [x, index] = call.inputs;
    const o = call.outputs[0]!;
    const [, d, inner] = around(x!.shape, call.attrs.axis);
    const out = gpu.alloc(o);
    const w = new Words();
    w.u(sizeOf(o.shape), d, index!.shape[0]!, inner, faultCode('index_select'));
    gpu.run({
      source: INDEX_SELECT,
      buffers: [x!.handle, index!.handle, out, gpu.faultBuffer],
      params: w,
      threads: sizeOf(o.shape),
    });
    return [out];
  },
  [0],
);

/** The adjoint of index_select, in gather form: each output row sums the rows of g that name it (no atomics). */
const indexAddSource = memo((dtype: 'float32' | 'int32'): string => {
  const s = STORAGE[dtype];
  return [
    buffer(0, 'g', dtype),
    buffer(1, 'idx', 'i32'),
    buffer(2, 'out', dtype, true),
    faultWgsl(3),
    params(4, 5),
    ENTRY(`
  let n = pu(0u); let size = pu(1u); let k = pu(2u); let inner = pu(3u);
  if (t >= n) { return; }
  let i = t % inner;
  let row = (t / inner) % size;
  let a = t / (inner * size);
  var acc = ${zero(s)};
  for (var j = 0u; j < k; j = j + 1u) {
    let v = idx[j];
    if (v < 0i || u32(v) >= size) { report_fault(pu(4u), v, size); continue; }
    if (u32(v) == row) { acc = acc + g[(a * k + j) * inner + i]; }
  }
  out[t] = acc;`),
  ].join('\n');
});

const indexAdd: GpuKernel<{ axis: number; size: number }> = viaInt32(
  (call) => {
    const gpu = backendOf(call);
    const [g, index] = call.inputs;
    const o = call.outputs[0]!;
    const [, k, inner] = around(g!.shape, call.attrs.axis);
    const out = gpu.alloc(o);
    const w = new Words();
    w.u(sizeOf(o.shape), call.attrs.size, k, inner, faultCode('index_add'));
    gpu.run({
      source: indexAddSource(dt(o) as 'float32' | 'int32'),
      buffers: [g!.handle, index!.handle, out, gpu.faultBuffer],
      params: w,
      threads: sizeOf(o.shape),
    });
    return [out];
  },
  [0],
);

/** Shared index arithmetic of gather and scatter_add: coordinates of p in `shape` (rank R, baked). */
function coords(R: number, dimsAt: number, name: string, of: string): string {
  const lines = [`  var ${name}: array<u32, ${Math.max(R, 1)}>;`, `  var rem_${name} = ${of};`];
  for (let r = R - 1; r >= 0; r--) {
    lines.push(
      `  ${name}[${r}] = rem_${name} % pu(${dimsAt + r}u); rem_${name} = rem_${name} / pu(${dimsAt + r}u);`,
    );
  }
  return lines.join('\n');
}

const gatherSource = memo((R: number): string => {
  // params: n, axis, limit, op, idxDims[R], dataStrides[R]
  return [
    buffer(0, 'x', 'u32'),
    buffer(1, 'idx', 'i32'),
    buffer(2, 'out', 'u32', true),
    faultWgsl(3),
    params(4, 4 + 2 * R),
    ENTRY(`
  let n = pu(0u); let axis = pu(1u); let limit = pu(2u);
  if (t >= n) { return; }
${coords(R, 4, 'c', 't')}
  let v = idx[t];
  if (v < 0i || u32(v) >= limit) { report_fault(pu(3u), v, limit); out[t] = 0u; return; }
  var pos = 0u;
  for (var r = 0u; r < ${R}u; r = r + 1u) {
    pos = pos + select(c[r], u32(v), r == axis) * pu(${4 + R}u + r);
  }
  out[t] = x[pos];`),
  ].join('\n');
});

const gather: GpuKernel<{ axis: number }> = viaInt32(
  (call) => {
    const gpu = backendOf(call);
    const [x, index] = call.inputs;
    const o = call.outputs[0]!;
    const R = index!.shape.length;
    const n = sizeOf(o.shape);
    const out = gpu.alloc(o);
    const w = new Words();
    w.u(
      n,
      call.attrs.axis,
      x!.shape[call.attrs.axis]!,
      faultCode('gather'),
      ...index!.shape,
      ...stridesOf(x!.shape),
    );
    gpu.run({
      source: gatherSource(R),
      buffers: [x!.handle, index!.handle, out, gpu.faultBuffer],
      params: w,
      threads: n,
    });
    return [out];
  },
  [0],
);

const scatterAddSource = memo((R: number, dtype: 'float32' | 'int32'): string => {
  // params: n, axis, limit, op, outDims[R], idxDims[R], idxStrides[R]
  const s = STORAGE[dtype];
  return [
    buffer(0, 'g', dtype),
    buffer(1, 'idx', 'i32'),
    buffer(2, 'out', dtype, true),
    faultWgsl(3),
    params(4, 4 + 3 * R),
    ENTRY(`
  let n = pu(0u); let axis = pu(1u); let limit = pu(2u);
  if (t >= n) { return; }
${coords(R, 4, 'c', 't')}
  var acc = ${zero(s)};
  var base = 0u;
  for (var r = 0u; r < ${R}u; r = r + 1u) {
    if (r == axis) { continue; }
    if (c[r] >= pu(${4 + R}u + r)) { out[t] = acc; return; }
    base = base + c[r] * pu(${4 + 2 * R}u + r);
  }
  let k = pu(${4 + R}u + axis);
  let step = pu(${4 + 2 * R}u + axis);
  for (var j = 0u; j < k; j = j + 1u) {
    let p = base + j * step;
    let v = idx[p];
    if (v < 0i || u32(v) >= limit) { report_fault(pu(3u), v, limit); continue; }
    if (u32(v) == c[axis]) { acc = acc + g[p]; }
  }
  out[t] = acc;`),
  ].join('\n');
});

/** The adjoint of gather, in gather form: each output element sums the entries of g that point at it. */
const scatterAdd: GpuKernel<{ axis: number; shape: Shape }> = viaInt32(
  (call) => {
    const gpu = backendOf(call);
    const [g, index] = call.inputs;
    const o = call.outputs[0]!;
    const R = o.shape.length;
    const n = sizeOf(o.shape);
    const out = gpu.alloc(o);
    const w = new Words();
    w.u(
      n,
      call.attrs.axis,
      o.shape[call.attrs.axis]!,
      faultCode('scatter_add'),
      ...o.shape,
      ...index!.shape,
      ...stridesOf(index!.shape),
    );
    gpu.run({
      source: scatterAddSource(R, dt(o) as 'float32' | 'int32'),
      buffers: [g!.handle, index!.handle, out, gpu.faultBuffer],
      params: w,
      threads: n,
    });
    return [out];
  },
  [0],
);

export const indexingKernels: GpuKernelTable = {
  index_select: indexSelect,
  index_add: indexAdd,
  gather,
  scatter_add: scatterAdd,
};

import { type Shape, sizeOf } from '@neurite/kernel';
import type { WebGPUBackend } from '../backend.js';
import type { DeviceDType } from '../dtype.js';
import type { GpuHandle } from '../memory/handle.js';
import {
  buffer,
  convert,
  ENTRY,
  INF_WGSL,
  loader,
  params,
  type Scalar,
  STORAGE,
  Words,
} from '../wgsl/common.js';
import { memo } from '../wgsl/memo.js';
import { backendOf, dt, type GpuKernel, type GpuKernelTable } from './types.js';
import { viaInt32 } from './via-int32.js';

type Reducer = 'sum' | 'max' | 'min';

/** (outer, reduced, inner) around axes [first, last]. */
export function splitAround(shape: Shape, first: number, last = first): [number, number, number] {
  return [sizeOf(shape.slice(0, first)), sizeOf(shape.slice(first, last + 1)), sizeOf(shape.slice(last + 1))];
}

function identity(kind: Reducer, t: Scalar): string {
  if (kind === 'sum') return t === 'f32' ? '0.0' : '0i';
  if (t === 'f32') return kind === 'max' ? '-inf_f32()' : 'inf_f32()';
  return kind === 'max' ? 'i32(-2147483648)' : '2147483647i';
}

/** acc ⊕ v with the cpu kernel's rules: max/min take v when it is more extreme or NaN (NaN sticks). */
function combine(kind: Reducer, acc: string, v: string): string {
  if (kind === 'sum') return `${acc} + ${v}`;
  const op = kind === 'max' ? '>' : '<';
  return `select(${acc}, ${v}, ${v} ${op} ${acc} || ${v} != ${v})`;
}

/**
 * Rows: one workgroup reduces one chunk of a contiguous row (inner = 1), the invocations striding over
 * it and meeting in a tree in workgroup memory. Long rows are split into chunks whose partial results a
 * second pass reduces, so a whole-tensor sum keeps the GPU busy. Params: outer, r, chunk, chunks.
 */
const rowSource = memo((kind: Reducer, inDtype: DeviceDType, acc: Scalar, outDtype: DeviceDType): string => {
  return [
    buffer(0, 'x', inDtype),
    loader('x', inDtype),
    buffer(1, 'out', outDtype, true),
    params(2, 4),
    INF_WGSL,
    `var<workgroup> part: array<${acc}, 256>;`,
    '@compute @workgroup_size(256)',
    'fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {',
    '  let outer = pu(0u); let r = pu(1u); let chunk = pu(2u); let chunks = pu(3u);',
    '  let g = wid.y * nwg.x + wid.x;',
    '  if (g >= outer * chunks) { return; }',
    '  let row = g / chunks; let c = g % chunks;',
    '  let begin = c * chunk; let end = min(r, begin + chunk);',
    `  var a: ${acc} = ${identity(kind, acc)};`,
    '  for (var k = begin + lid; k < end; k = k + 256u) {',
    `    let v = ${convert('ld_x(row * r + k)', STORAGE[inDtype], acc)};`,
    `    a = ${combine(kind, 'a', 'v')};`,
    '  }',
    '  part[lid] = a;',
    '  workgroupBarrier();',
    '  for (var s = 128u; s > 0u; s = s >> 1u) {',
    `    if (lid < s) { part[lid] = ${combine(kind, 'part[lid]', 'part[lid + s]')}; }`,
    '    workgroupBarrier();',
    '  }',
    `  if (lid == 0u) { out[g] = ${convert('part[0]', acc, STORAGE[outDtype])}; }`,
    '}',
  ].join('\n');
});

/** Columns (inner > 1): one invocation per (outer, chunk, inner) position walks its chunk of the axis. */
const columnSource = memo(
  (kind: Reducer, inDtype: DeviceDType, acc: Scalar, outDtype: DeviceDType): string => {
    return [
      buffer(0, 'x', inDtype),
      loader('x', inDtype),
      buffer(1, 'out', outDtype, true),
      params(2, 5),
      INF_WGSL,
      ENTRY(`
  let outer = pu(0u); let r = pu(1u); let inner = pu(2u); let chunk = pu(3u); let chunks = pu(4u);
  if (t >= outer * chunks * inner) { return; }
  let i = t % inner;
  let c = (t / inner) % chunks;
  let o = t / (inner * chunks);
  let end = min(r, (c + 1u) * chunk);
  var a: ${acc} = ${identity(kind, acc)};
  for (var k = c * chunk; k < end; k = k + 1u) {
    let v = ${convert('ld_x((o * r + k) * inner + i)', STORAGE[inDtype], acc)};
    a = ${combine(kind, 'a', 'v')};
  }
  out[t] = ${convert('a', acc, STORAGE[outDtype])};`),
    ].join('\n');
  },
);

/** Reduces the middle axis of (outer, r, inner); returns a buffer of outer·inner elements. */
export function reduce3(
  gpu: WebGPUBackend,
  x: GpuHandle,
  inDtype: DeviceDType,
  outDtype: DeviceDType,
  kind: Reducer,
  [outer, r, inner]: readonly [number, number, number],
): GpuHandle {
  const acc: Scalar = outDtype === 'int32' ? 'i32' : 'f32';
  const w = new Words();
  if (inner === 1) {
    const chunks = outer >= 256 || r <= 8192 ? 1 : Math.ceil(r / 4096);
    const chunk = Math.ceil(r / chunks);
    const out = gpu.alloc({ shape: [outer * chunks], dtype: outDtype });
    w.u(outer, r, chunk, chunks);
    const total = outer * chunks;
    const x0 = Math.min(total, gpu.maxGroups);
    gpu.run({
      source: rowSource(kind, inDtype, acc, outDtype),
      buffers: [x, out],
      params: w,
      groups: [x0, Math.ceil(total / x0)],
    });
    if (chunks === 1) return out;
    const final = reduce3(gpu, out, outDtype, outDtype, kind, [outer, chunks, 1]);
    gpu.release(out);
    return final;
  }
  const chunks =
    r <= 64 || outer * inner >= 16384 ? 1 : Math.min(Math.ceil(r / 32), Math.ceil(16384 / (outer * inner)));
  const chunk = Math.ceil(r / chunks);
  const out = gpu.alloc({ shape: [outer * chunks * inner], dtype: outDtype });
  w.u(outer, r, inner, chunk, chunks);
  gpu.run({
    source: columnSource(kind, inDtype, acc, outDtype),
    buffers: [x, out],
    params: w,
    threads: outer * chunks * inner,
  });
  if (chunks === 1) return out;
  const final = reduce3(gpu, out, outDtype, outDtype, kind, [outer, chunks, inner]);
  gpu.release(out);
  return final;
}

/** sum/max/min over sorted axes: each run of adjacent axes in turn, the last run first (as the cpu kernel). */
function reduceKernel(kind: Reducer): GpuKernel<{ axes: readonly number[] }> {
  return (call) => {
    const gpu = backendOf(call);
    const x = call.inputs[0]!;
    const o = call.outputs[0]!;
    const runs: [number, number][] = [];
    for (const a of call.attrs.axes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === a - 1) last[1] = a;
      else runs.push([a, a]);
    }
    const shape = [...x.shape];
    let data = x.handle;
    let dtype = dt(x);
    for (let k = runs.length - 1; k >= 0; k--) {
      const [first, last] = runs[k]!;
      const next = reduce3(gpu, data, dtype, dt(o), kind, splitAround(shape, first, last));
      if (data !== x.handle) gpu.release(data);
      data = next;
      dtype = dt(o);
      for (let a = first; a <= last; a++) shape[a] = 1;
    }
    if (data === x.handle) data = copyOf(gpu, x.handle, sizeOf(o.shape), dt(o));
    return [data];
  };
}

/** A reduction over no axes (or axes of size 1 only) still returns a buffer of its own. */
function copyOf(gpu: WebGPUBackend, x: GpuHandle, n: number, dtype: DeviceDType): GpuHandle {
  return reduce3(gpu, x, dtype, dtype, 'sum', [n, 1, 1]);
}

const ARGMAX = memo((dtype: DeviceDType) => {
  const s = STORAGE[dtype];
  const lowest = s === 'f32' ? '-inf_f32()' : s === 'i32' ? 'i32(-2147483648)' : '0u';
  return [
    buffer(0, 'x', dtype),
    loader('x', dtype),
    buffer(1, 'out', 'i32', true),
    params(2, 3),
    INF_WGSL,
    ENTRY(`
  let outer = pu(0u); let r = pu(1u); let inner = pu(2u);
  if (t >= outer * inner) { return; }
  let i = t % inner; let o = t / inner;
  var best = ${lowest};
  var at = 0u;
  var first = true;
  for (var k = 0u; k < r; k = k + 1u) {
    let v = ld_x((o * r + k) * inner + i);
    // The cpu kernel's rule: strictly greater, or the first NaN; the first element always counts.
    if (first || v > best || (v != v && best == best)) { best = v; at = k; }
    first = false;
  }
  out[t] = i32(at);`),
  ].join('\n');
});

const argmax: GpuKernel<{ axis: number }> = (call) => {
  const gpu = backendOf(call);
  const x = call.inputs[0]!;
  const o = call.outputs[0]!;
  const [outer, r, inner] = splitAround(x.shape, call.attrs.axis);
  const out = gpu.alloc(o);
  const w = new Words();
  w.u(outer, r, inner);
  gpu.run({ source: ARGMAX(dt(x)), buffers: [x.handle, out], params: w, threads: outer * inner });
  return [out];
};

export const reduceKernels: GpuKernelTable = {
  sum: reduceKernel('sum'),
  // Spike maxima and minima are spikes (one byte each): reduced as int32, narrowed back.
  max: viaInt32(reduceKernel('max')),
  min: viaInt32(reduceKernel('min')),
  argmax,
};

import { buffer, ENTRY, INF_WGSL, params, Words } from '../wgsl/common.js';
import { splitAround } from './reduce.js';
import { backendOf, type GpuKernel, type GpuKernelTable } from './types.js';

/** The last step: softmax divides by the sum, log-softmax subtracts max + log(sum). */
const finish = (log: boolean, v: string) => (log ? `${v} - (m + log(total))` : `exp(${v} - m) / total`);

/**
 * Contiguous rows (inner = 1): one workgroup per row, three passes over it (max, sum of exponentials,
 * output) with tree reductions in workgroup memory.
 */
function rowSource(log: boolean): string {
  return [
    buffer(0, 'x', 'f32'),
    buffer(1, 'out', 'f32', true),
    params(2, 2),
    INF_WGSL,
    'var<workgroup> part: array<f32, 256>;',
    'fn tree_max(lid: u32) -> f32 {',
    '  for (var s = 128u; s > 0u; s = s >> 1u) {',
    '    if (lid < s) { let a = part[lid]; let b = part[lid + s]; part[lid] = select(a, b, b > a || b != b); }',
    '    workgroupBarrier();',
    '  }',
    '  return workgroupUniformLoad(&part[0]);',
    '}',
    'fn tree_sum(lid: u32) -> f32 {',
    '  for (var s = 128u; s > 0u; s = s >> 1u) {',
    '    if (lid < s) { part[lid] = part[lid] + part[lid + s]; }',
    '    workgroupBarrier();',
    '  }',
    '  return workgroupUniformLoad(&part[0]);',
    '}',
    '@compute @workgroup_size(256)',
    'fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {',
    '  let rows = pu(0u); let r = pu(1u);',
    '  let row = wid.y * nwg.x + wid.x;',
    '  if (row >= rows) { return; }',
    '  let base = row * r;',
    '  var a = -inf_f32();',
    '  for (var k = lid; k < r; k = k + 256u) { let v = x[base + k]; a = select(a, v, v > a || v != v); }',
    '  part[lid] = a;',
    '  workgroupBarrier();',
    '  let m = tree_max(lid);',
    '  workgroupBarrier();',
    '  var s = 0.0;',
    '  for (var k = lid; k < r; k = k + 256u) { s = s + exp(x[base + k] - m); }',
    '  part[lid] = s;',
    '  workgroupBarrier();',
    '  let total = tree_sum(lid);',
    `  for (var k = lid; k < r; k = k + 256u) { out[base + k] = ${finish(log, 'x[base + k]')}; }`,
    '}',
  ].join('\n');
}

/** Strided (inner > 1): one invocation per (outer, inner) position walks the axis three times. */
function columnSource(log: boolean): string {
  return [
    buffer(0, 'x', 'f32'),
    buffer(1, 'out', 'f32', true),
    params(2, 3),
    INF_WGSL,
    ENTRY(`
  let outer = pu(0u); let r = pu(1u); let inner = pu(2u);
  if (t >= outer * inner) { return; }
  let base = (t / inner) * r * inner + t % inner;
  var m = -inf_f32();
  for (var k = 0u; k < r; k = k + 1u) { let v = x[base + k * inner]; m = select(m, v, v > m || v != v); }
  var total = 0.0;
  for (var k = 0u; k < r; k = k + 1u) { total = total + exp(x[base + k * inner] - m); }
  for (var k = 0u; k < r; k = k + 1u) { out[base + k * inner] = ${finish(log, 'x[base + k * inner]')}; }`),
  ].join('\n');
}

function softmaxKernel(log: boolean): GpuKernel<{ axis: number }> {
  const rows = rowSource(log);
  const columns = columnSource(log);
  return (call) => {
    const gpu = backendOf(call);
    const x = call.inputs[0]!;
    const o = call.outputs[0]!;
    const [outer, r, inner] = splitAround(x.shape, call.attrs.axis);
    const out = gpu.alloc(o);
    const w = new Words();
    if (inner === 1) {
      w.u(outer, r);
      const x0 = Math.min(outer, gpu.maxGroups);
      gpu.run({ source: rows, buffers: [x.handle, out], params: w, groups: [x0, Math.ceil(outer / x0)] });
    } else {
      w.u(outer, r, inner);
      gpu.run({ source: columns, buffers: [x.handle, out], params: w, threads: outer * inner });
    }
    return [out];
  };
}

export const softmaxKernels: GpuKernelTable = {
  softmax: softmaxKernel(false),
  log_softmax: softmaxKernel(true),
};

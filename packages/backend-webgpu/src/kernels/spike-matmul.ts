import type { WebGPUBackend } from '../backend.js';
import type { DeviceDType } from '../dtype.js';
import type { GpuHandle } from '../memory/handle.js';
import { buffer, convert, loader, params, STORAGE } from '../wgsl/common.js';
import { memo } from '../wgsl/memo.js';
import { batchOffsets, forBatches, type Gemm, gemmWords, type MatmulAttrs, matmulKernel } from './matmul.js';
import { dt, type GpuKernel } from './types.js';

/** Columns of the output per workgroup: 256 invocations × 8 accumulators each. */
const COLS = 2048;
/** Spikes examined per round: 256 invocations × 4. */
const CHUNK = 1024;

/**
 * Event-driven product for a spike left operand (forward S·W and weight gradient Sᵀ·G alike): one
 * workgroup per output row m (and block of 2048 columns). Each round the workgroup reads 1024 entries
 * of row m of S (column m when S is used transposed), compacts the indices k of the active ones into
 * workgroup memory in ascending order (a prefix sum of per-invocation counts, so the summation order is
 * deterministic), and then every invocation adds row k of B for the active k only into its columns.
 * The work is proportional to the number of spikes, as on the cpu backend.
 */
const spikeSource = memo(
  (bType: DeviceDType, oType: DeviceDType, R: number, transA: boolean, transB: boolean): string => {
    const attrs: MatmulAttrs = { transA, transB };
    const spike = attrs.transA ? 'ld_a(aBase + k * M + m)' : 'ld_a(aBase + m * K + k)';
    const bAt = attrs.transB ? 'ld_b(bBase + n * K + k)' : 'ld_b(bBase + k * N + n)';
    return [
      buffer(0, 'a', 'spike'),
      loader('a', 'spike'),
      buffer(1, 'b', bType),
      loader('b', bType),
      buffer(2, 'out', oType, true),
      params(3, 5 + 3 * R),
      `var<workgroup> hits: array<u32, ${CHUNK}>;`,
      'var<workgroup> counts: array<u32, 256>;',
      '@compute @workgroup_size(256)',
      'fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {',
      '  let M = pu(0u); let N = pu(1u); let K = pu(2u);',
      '  let batch = wid.z + pu(3u);',
      `  let m = wid.x + pu(${4 + 3 * R}u);`,
      batchOffsets(R),
      `  let n0 = wid.y * ${COLS}u;`,
      '  var acc: array<f32, 8>;',
      `  for (var k0 = 0u; k0 < K; k0 = k0 + ${CHUNK}u) {`,
      '    var bits = 0u; var mine = 0u;',
      '    for (var j = 0u; j < 4u; j = j + 1u) {',
      '      let k = k0 + lid * 4u + j;',
      `      if (k < K && m < M) { if (${spike} != 0u) { bits = bits | (1u << j); mine = mine + 1u; } }`,
      '    }',
      '    counts[lid] = mine;',
      '    workgroupBarrier();',
      '    for (var off = 1u; off < 256u; off = off << 1u) {',
      '      var add = 0u;',
      '      if (lid >= off) { add = counts[lid - off]; }',
      '      workgroupBarrier();',
      '      counts[lid] = counts[lid] + add;',
      '      workgroupBarrier();',
      '    }',
      '    var slot = counts[lid] - mine;',
      '    for (var j = 0u; j < 4u; j = j + 1u) {',
      '      if ((bits & (1u << j)) != 0u) { hits[slot] = k0 + lid * 4u + j; slot = slot + 1u; }',
      '    }',
      '    workgroupBarrier();',
      '    let total = workgroupUniformLoad(&counts[255]);',
      '    for (var q = 0u; q < total; q = q + 1u) {',
      '      let k = hits[q];',
      '      for (var c = 0u; c < 8u; c = c + 1u) {',
      '        let n = n0 + c * 256u + lid;',
      `        if (n < N) { acc[c] = acc[c] + ${convert(bAt, STORAGE[bType], 'f32')}; }`,
      '      }',
      '    }',
      '    workgroupBarrier();',
      '  }',
      '  if (m >= M) { return; }',
      '  for (var c = 0u; c < 8u; c = c + 1u) {',
      '    let n = n0 + c * 256u + lid;',
      `    if (n < N) { out[oBase + m * N + n] = ${convert('acc[c]', 'f32', STORAGE[oType])}; }`,
      '  }',
      '}',
    ].join('\n');
  },
);

function spikeMatmul(gpu: WebGPUBackend, call: Parameters<GpuKernel>[0], out: GpuHandle, g: Gemm): void {
  const [a, b] = call.inputs;
  const o = call.outputs[0]!;
  const attrs = call.attrs as MatmulAttrs;
  const source = spikeSource(dt(b!), dt(o), g.dims.length, attrs.transA, attrs.transB);
  forBatches(gpu, g.batches, (batch0, count) => {
    for (let m0 = 0; m0 < g.M; m0 += gpu.maxGroups) {
      const w = gemmWords(g, batch0);
      w.u(m0);
      gpu.run({
        source,
        buffers: [a!.handle, b!.handle, out],
        params: w,
        groups: [Math.min(gpu.maxGroups, g.M - m0), Math.ceil(g.N / COLS), count],
      });
    }
  });
}

export const matmul: GpuKernel<MatmulAttrs> = matmulKernel(spikeMatmul);

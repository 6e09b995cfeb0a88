import { type Shape, sizeOf } from '@neurite/kernel';
import type { WebGPUBackend } from '../backend.js';
import type { DeviceDType } from '../dtype.js';
import type { GpuHandle } from '../memory/handle.js';
import { buffer, convert, loader, params, STORAGE, Words, zero } from '../wgsl/common.js';
import { memo } from '../wgsl/memo.js';
import { broadcastStrides, collapse } from './layout.js';
import { mapKernel } from './map.js';
import { backendOf, dt, type GpuKernel } from './types.js';

export interface MatmulAttrs {
  readonly transA: boolean;
  readonly transB: boolean;
}

/** Sizes of one batched product and how output batches map onto the operands' matrices. */
export interface Gemm {
  readonly M: number;
  readonly N: number;
  readonly K: number;
  readonly batches: number;
  /** Collapsed output batch dims, and for each operand the matrix-index stride along them (0: broadcast). */
  readonly dims: readonly number[];
  readonly aStrides: readonly number[];
  readonly bStrides: readonly number[];
}

export function gemmOf(a: Shape, b: Shape, out: Shape, { transA, transB }: MatmulAttrs): Gemm {
  const M = transA ? a.at(-1)! : a.at(-2)!;
  const K = transA ? a.at(-2)! : a.at(-1)!;
  const N = transB ? b.at(-2)! : b.at(-1)!;
  const batch = out.slice(0, -2);
  const { dims, strides } = collapse(batch, [
    broadcastStrides(a.slice(0, -2), batch),
    broadcastStrides(b.slice(0, -2), batch),
  ]);
  return { M, N, K, batches: sizeOf(batch), dims, aStrides: strides[0]!, bStrides: strides[1]! };
}

/** Params of every matmul kernel: M, N, K, batch0, then dims, aStrides, bStrides (R each). */
export function gemmWords(g: Gemm, batch0: number): Words {
  const w = new Words();
  w.u(g.M, g.N, g.K, batch0, ...g.dims, ...g.aStrides, ...g.bStrides);
  return w;
}

/** WGSL computing aBase/bBase (element offsets of this batch's matrices) from the batch index. */
export function batchOffsets(R: number): string {
  const lines = ['  var am = 0u; var bm = 0u; var rem = batch;'];
  for (let r = R - 1; r >= 0; r--) {
    lines.push(
      `  { let d = pu(${4 + r}u); let c = rem % d; rem = rem / d; am = am + c * pu(${4 + R + r}u); bm = bm + c * pu(${4 + 2 * R + r}u); }`,
    );
  }
  lines.push('  let aBase = am * M * K; let bBase = bm * K * N; let oBase = batch * M * N;');
  return lines.join('\n');
}

/** Output batches come as grid z, at most `maxGroups` per dispatch; `batch0` offsets later dispatches. */
export function forBatches(
  gpu: WebGPUBackend,
  batches: number,
  each: (batch0: number, count: number) => void,
): void {
  for (let b0 = 0; b0 < batches; b0 += gpu.maxGroups) each(b0, Math.min(gpu.maxGroups, batches - b0));
}

/**
 * Tiled sgemm: a 16×16 workgroup computes a BM×BN tile of C, each invocation a TM×TN block of it in
 * registers (4×4: the register-blocked kernel for large products; 1×1: the plain tiled one), with
 * BK-deep slabs of A and B staged in workgroup memory. Transposed operands only change how slabs are
 * loaded (always along the contiguous axis, so loads coalesce); the inner loop is the same. Each
 * invocation's rows and columns are strided by 16 so workgroup-memory reads are conflict-free.
 */
const denseSource = memo(
  (
    aType: DeviceDType,
    bType: DeviceDType,
    oType: DeviceDType,
    R: number,
    transA: boolean,
    transB: boolean,
    T: 1 | 4,
  ): string => {
    const attrs = { transA, transB };
    const BM = 16 * T;
    const BN = 16 * T;
    const BK = 16;
    const acc: string[] = [];
    const inner: string[] = [];
    const writes: string[] = [];
    for (let i = 0; i < T; i++) inner.push(`      let a${i} = As[kk * ${BM}u + ty + ${16 * i}u];`);
    for (let j = 0; j < T; j++) inner.push(`      let b${j} = Bs[kk * ${BN}u + tx + ${16 * j}u];`);
    for (let i = 0; i < T; i++) {
      for (let j = 0; j < T; j++) {
        acc.push(`  var c${i}_${j} = 0.0;`);
        inner.push(`      c${i}_${j} = c${i}_${j} + a${i} * b${j};`);
        writes.push(
          `  { let m = m0 + ty + ${16 * i}u; let n = n0 + tx + ${16 * j}u; if (m < M && n < N) { out[oBase + m * N + n] = ${convert(`c${i}_${j}`, 'f32', STORAGE[oType])}; } }`,
        );
      }
    }
    const loadA = attrs.transA
      ? `let mm = q % ${BM}u; let kk = q / ${BM}u; let m = m0 + mm; let k = k0 + kk; var v = 0.0; if (m < M && k < K) { v = ${convert('ld_a(aBase + k * M + m)', STORAGE[aType], 'f32')}; } As[kk * ${BM}u + mm] = v;`
      : `let kk = q % ${BK}u; let mm = q / ${BK}u; let m = m0 + mm; let k = k0 + kk; var v = 0.0; if (m < M && k < K) { v = ${convert('ld_a(aBase + m * K + k)', STORAGE[aType], 'f32')}; } As[kk * ${BM}u + mm] = v;`;
    const loadB = attrs.transB
      ? `let kk = q % ${BK}u; let nn = q / ${BK}u; let n = n0 + nn; let k = k0 + kk; var v = 0.0; if (n < N && k < K) { v = ${convert('ld_b(bBase + n * K + k)', STORAGE[bType], 'f32')}; } Bs[kk * ${BN}u + nn] = v;`
      : `let nn = q % ${BN}u; let kk = q / ${BN}u; let n = n0 + nn; let k = k0 + kk; var v = 0.0; if (n < N && k < K) { v = ${convert('ld_b(bBase + k * N + n)', STORAGE[bType], 'f32')}; } Bs[kk * ${BN}u + nn] = v;`;
    return [
      buffer(0, 'a', aType),
      loader('a', aType),
      buffer(1, 'b', bType),
      loader('b', bType),
      buffer(2, 'out', oType, true),
      params(3, 4 + 3 * R),
      `var<workgroup> As: array<f32, ${BK * BM}>;`,
      `var<workgroup> Bs: array<f32, ${BK * BN}>;`,
      '@compute @workgroup_size(256)',
      'fn main(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_index) lid: u32) {',
      '  let M = pu(0u); let N = pu(1u); let K = pu(2u);',
      '  let batch = wid.z + pu(3u);',
      batchOffsets(R),
      '  let tx = lid % 16u; let ty = lid / 16u;',
      `  let m0 = wid.y * ${BM}u; let n0 = wid.x * ${BN}u;`,
      ...acc,
      `  for (var k0 = 0u; k0 < K; k0 = k0 + ${BK}u) {`,
      `    for (var q = lid; q < ${BM * BK}u; q = q + 256u) { ${loadA} }`,
      `    for (var q = lid; q < ${BN * BK}u; q = q + 256u) { ${loadB} }`,
      '    workgroupBarrier();',
      `    for (var kk = 0u; kk < ${BK}u; kk = kk + 1u) {`,
      ...inner,
      '    }',
      '    workgroupBarrier();',
      '  }',
      ...writes,
      '}',
    ].join('\n');
  },
);

export function denseMatmul(
  gpu: WebGPUBackend,
  a: { handle: GpuHandle; dtype: DeviceDType },
  b: { handle: GpuHandle; dtype: DeviceDType },
  out: GpuHandle,
  oType: DeviceDType,
  g: Gemm,
  attrs: MatmulAttrs,
): void {
  if (g.M === 0 || g.N === 0) return;
  // Register blocking pays once a tile of 64×64 is mostly inside the product.
  const T = g.M >= 48 && g.N >= 48 ? 4 : 1;
  const source = denseSource(a.dtype, b.dtype, oType, g.dims.length, attrs.transA, attrs.transB, T);
  forBatches(gpu, g.batches, (batch0, count) => {
    gpu.run({
      source,
      buffers: [a.handle, b.handle, out],
      params: gemmWords(g, batch0),
      groups: [Math.ceil(g.N / (16 * T)), Math.ceil(g.M / (16 * T)), count],
    });
  });
}

/** A product with K = 0 is zeros; anything else goes to the dense or the event-driven kernel. */
export function matmulKernel(
  spikeKernel: (gpu: WebGPUBackend, call: Parameters<GpuKernel>[0], out: GpuHandle, g: Gemm) => void,
): GpuKernel<MatmulAttrs> {
  return (call) => {
    const gpu = backendOf(call);
    const [a, b] = call.inputs;
    const o = call.outputs[0]!;
    const g = gemmOf(a!.shape, b!.shape, o.shape, call.attrs);
    const out = gpu.alloc(o);
    if (sizeOf(o.shape) === 0) return [out];
    if (g.K === 0) return [zeroFill(gpu, out, o.shape, dt(o))];
    if (a!.dtype === 'spike') spikeKernel(gpu, call, out, g);
    else
      denseMatmul(
        gpu,
        { handle: a!.handle, dtype: dt(a!) },
        { handle: b!.handle, dtype: dt(b!) },
        out,
        dt(o),
        g,
        call.attrs,
      );
    return [out];
  };
}

export function zeroFill(gpu: WebGPUBackend, out: GpuHandle, shape: Shape, dtype: DeviceDType): GpuHandle {
  const t = STORAGE[dtype];
  return mapKernel(gpu, { domain: shape, inputs: [], out: dtype, into: out, result: t, expr: zero(t) });
}

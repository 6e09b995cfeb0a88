import { sizeOf } from '@neurite/kernel';
import type { DeviceDType } from '../dtype.js';
import { buffer, convert, ENTRY, loader, params, STORAGE, Words } from '../wgsl/common.js';
import { memo } from '../wgsl/memo.js';
import { backendOf, dt, type GpuKernel, type GpuKernelTable } from './types.js';

interface ConvAttrs {
  readonly stride: readonly number[];
  readonly padding: readonly (readonly [number, number])[];
  readonly dilation: readonly number[];
  readonly groups: number;
}

/** A convolution in 2-D terms (a 1-D one has height 1), as the cpu kernels see it. */
interface Geometry {
  B: number;
  groups: number;
  cinG: number;
  coutG: number;
  H: number;
  W: number;
  KH: number;
  KW: number;
  OH: number;
  OW: number;
  sh: number;
  sw: number;
  ph: number;
  pw: number;
  dh: number;
  dw: number;
}

function geometry(
  input: readonly number[],
  cout: number,
  kernel: readonly number[],
  output: readonly number[],
  a: ConvAttrs,
): Geometry {
  const two = kernel.length === 2;
  const pick = (v: readonly number[], fill: number) => (two ? [v[0]!, v[1]!] : [fill, v[0]!]);
  const [H, W] = pick(input.slice(2), 1);
  const [KH, KW] = pick(kernel, 1);
  const [OH, OW] = pick(output.slice(2), 1);
  const [sh, sw] = pick(a.stride, 1);
  const [dh, dw] = pick(a.dilation, 1);
  const [ph, pw] = pick(
    a.padding.map((p) => p[0]),
    0,
  );
  return {
    B: input[0]!,
    groups: a.groups,
    cinG: input[1]! / a.groups,
    coutG: cout / a.groups,
    H: H!,
    W: W!,
    KH: KH!,
    KW: KW!,
    OH: OH!,
    OW: OW!,
    sh: sh!,
    sw: sw!,
    ph: ph!,
    pw: pw!,
    dh: dh!,
    dw: dw!,
  };
}

/** Param words, in the order GEOMETRY_WGSL reads them. */
function geometryWords(g: Geometry): Words {
  const w = new Words();
  w.u(g.B, g.groups, g.cinG, g.coutG, g.H, g.W, g.KH, g.KW, g.OH, g.OW, g.sh, g.sw);
  w.i(g.ph, g.pw);
  w.u(g.dh, g.dw);
  return w;
}

const GEOMETRY_WGSL = `
  let B = pu(0u); let groups = pu(1u); let cinG = pu(2u); let coutG = pu(3u);
  let H = pu(4u); let W = pu(5u); let KH = pu(6u); let KW = pu(7u); let OH = pu(8u); let OW = pu(9u);
  let sh = i32(pu(10u)); let sw = i32(pu(11u)); let ph = pi(12u); let pw = pi(13u);
  let dh = i32(pu(14u)); let dw = i32(pu(15u));
  let cin = cinG * groups; let cout = coutG * groups;`;

/** Forward: one invocation per output element sums its receptive field (any stride, dilation, groups). */
const forwardSource = memo((xType: DeviceDType, bias: boolean): string =>
  [
    buffer(0, 'x', xType),
    loader('x', xType),
    buffer(1, 'w', 'f32'),
    ...(bias ? [buffer(2, 'bias', 'f32')] : []),
    buffer(bias ? 3 : 2, 'out', 'f32', true),
    params(bias ? 4 : 3, 16),
    ENTRY(`${GEOMETRY_WGSL}
  if (t >= B * cout * OH * OW) { return; }
  let ow = t % OW; let oh = (t / OW) % OH; let c = (t / (OW * OH)) % cout; let b = t / (OW * OH * cout);
  let g = c / coutG;
  var acc = ${bias ? 'bias[c]' : '0.0'};
  for (var ci = 0u; ci < cinG; ci = ci + 1u) {
    let xc = ((b * cin + g * cinG + ci) * H) * W;
    let wc = (c * cinG + ci) * KH * KW;
    for (var kh = 0u; kh < KH; kh = kh + 1u) {
      let ih = i32(oh) * sh + i32(kh) * dh - ph;
      if (ih < 0i || ih >= i32(H)) { continue; }
      for (var kw = 0u; kw < KW; kw = kw + 1u) {
        let iw = i32(ow) * sw + i32(kw) * dw - pw;
        if (iw < 0i || iw >= i32(W)) { continue; }
        acc = acc + w[wc + kh * KW + kw] * ${convert('ld_x(xc + u32(ih) * W + u32(iw))', STORAGE[xType], 'f32')};
      }
    }
  }
  out[t] = acc;`),
  ].join('\n'),
);

/** Input gradient (a transposed convolution): one invocation per input element gathers the outputs it fed. */
const INPUT_GRAD = [
  buffer(0, 'g', 'f32'),
  buffer(1, 'w', 'f32'),
  buffer(2, 'out', 'f32', true),
  params(3, 16),
  ENTRY(`${GEOMETRY_WGSL}
  if (t >= B * cin * H * W) { return; }
  let iw = i32(t % W); let ih = i32((t / W) % H); let cg = (t / (W * H)) % cin; let b = t / (W * H * cin);
  let grp = cg / cinG; let ci = cg % cinG;
  var acc = 0.0;
  for (var co = 0u; co < coutG; co = co + 1u) {
    let c = grp * coutG + co;
    let gc = (b * cout + c) * OH * OW;
    let wc = (c * cinG + ci) * KH * KW;
    for (var kh = 0u; kh < KH; kh = kh + 1u) {
      let th = ih + ph - i32(kh) * dh;
      if (th < 0i || th % sh != 0i) { continue; }
      let oh = th / sh;
      if (oh >= i32(OH)) { continue; }
      for (var kw = 0u; kw < KW; kw = kw + 1u) {
        let tw = iw + pw - i32(kw) * dw;
        if (tw < 0i || tw % sw != 0i) { continue; }
        let ow = tw / sw;
        if (ow >= i32(OW)) { continue; }
        acc = acc + w[wc + kh * KW + kw] * g[gc + u32(oh) * OW + u32(ow)];
      }
    }
  }
  out[t] = acc;`),
].join('\n');

/**
 * Weight gradient: one workgroup per weight element; its invocations split the (batch, position) sum
 * and meet in a tree in workgroup memory.
 */
const weightGradSource = memo((xType: DeviceDType): string =>
  [
    buffer(0, 'g', 'f32'),
    buffer(1, 'x', xType),
    loader('x', xType),
    buffer(2, 'out', 'f32', true),
    params(3, 16),
    'var<workgroup> part: array<f32, 256>;',
    '@compute @workgroup_size(256)',
    'fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {',
    GEOMETRY_WGSL,
    '  let e = wid.y * nwg.x + wid.x;',
    '  if (e >= cout * cinG * KH * KW) { return; }',
    '  let kw = e % KW; let kh = (e / KW) % KH; let ci = (e / (KW * KH)) % cinG; let c = e / (KW * KH * cinG);',
    '  let grp = c / coutG;',
    '  let positions = B * OH * OW;',
    '  var acc = 0.0;',
    '  for (var p = lid; p < positions; p = p + 256u) {',
    '    let ow = p % OW; let oh = (p / OW) % OH; let b = p / (OW * OH);',
    '    let ih = i32(oh) * sh + i32(kh) * dh - ph;',
    '    let iw = i32(ow) * sw + i32(kw) * dw - pw;',
    '    if (ih < 0i || ih >= i32(H) || iw < 0i || iw >= i32(W)) { continue; }',
    `    let xv = ${convert('ld_x(((b * cin + grp * cinG + ci) * H + u32(ih)) * W + u32(iw))', STORAGE[xType], 'f32')};`,
    '    acc = acc + g[((b * cout + c) * OH + oh) * OW + ow] * xv;',
    '  }',
    '  part[lid] = acc;',
    '  workgroupBarrier();',
    '  for (var s = 128u; s > 0u; s = s >> 1u) {',
    '    if (lid < s) { part[lid] = part[lid] + part[lid + s]; }',
    '    workgroupBarrier();',
    '  }',
    '  if (lid == 0u) { out[e] = part[0]; }',
    '}',
  ].join('\n'),
);

const forward: GpuKernel<ConvAttrs> = (call) => {
  const gpu = backendOf(call);
  const [x, w, b] = call.inputs;
  const o = call.outputs[0]!;
  const G = geometry(x!.shape, w!.shape[0]!, w!.shape.slice(2), o.shape, call.attrs);
  const out = gpu.alloc(o);
  gpu.run({
    source: forwardSource(dt(x!), !!b),
    buffers: b ? [x!.handle, w!.handle, b.handle, out] : [x!.handle, w!.handle, out],
    params: geometryWords(G),
    threads: sizeOf(o.shape),
  });
  return [out];
};

const inputGrad: GpuKernel<ConvAttrs> = (call) => {
  const gpu = backendOf(call);
  const [g, w] = call.inputs;
  const o = call.outputs[0]!;
  const G = geometry(o.shape, w!.shape[0]!, w!.shape.slice(2), g!.shape, call.attrs);
  const out = gpu.alloc(o);
  gpu.run({
    source: INPUT_GRAD,
    buffers: [g!.handle, w!.handle, out],
    params: geometryWords(G),
    threads: sizeOf(o.shape),
  });
  return [out];
};

const weightGrad: GpuKernel<ConvAttrs & { kernelSize: readonly number[] }> = (call) => {
  const gpu = backendOf(call);
  const [g, x] = call.inputs;
  const o = call.outputs[0]!;
  const G = geometry(x!.shape, g!.shape[1]!, call.attrs.kernelSize, g!.shape, call.attrs);
  const out = gpu.alloc(o);
  const n = sizeOf(o.shape);
  const x0 = Math.min(n, gpu.maxGroups);
  gpu.run({
    source: weightGradSource(dt(x!)),
    buffers: [g!.handle, x!.handle, out],
    params: geometryWords(G),
    groups: [x0, Math.ceil(n / x0)],
  });
  return [out];
};

export const convKernels: GpuKernelTable = {
  conv1d: forward,
  conv1d_input_grad: inputGrad,
  conv1d_weight_grad: weightGrad,
  conv2d: forward,
  conv2d_input_grad: inputGrad,
  conv2d_weight_grad: weightGrad,
};

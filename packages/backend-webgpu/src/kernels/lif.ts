import { type KernelInput, sizeOf } from '@neurite/kernel';
import type { WebGPUBackend } from '../backend.js';
import type { GpuHandle } from '../memory/handle.js';
import { ENTRY, params, Words } from '../wgsl/common.js';
import { mapKernel } from './map.js';
import { zeroFill } from './matmul.js';
import { backendOf, type GpuKernel, type GpuKernelTable } from './types.js';

// The fused neuron scans of @neurite/neuron-lif, implemented from its op contract (packages/neuron-lif/
// OPS.md): one invocation per neuron runs the whole time loop, forward and backward, so a layer over T
// steps is one dispatch each way instead of T.

type Surrogate =
  | { name: 'atan'; alpha: number }
  | { name: 'fast-sigmoid'; slope: number }
  | { name: 'sigmoid'; slope: number }
  | { name: 'triangle'; width: number; scale: number }
  | { name: 'straight-through'; scale: number }
  | { name: 'pdsg' }
  | { name: 'given' };

interface ScanAttrs {
  readonly spiking: boolean;
  readonly synapse: boolean;
  readonly adaptive: boolean;
  readonly reset: 'subtract' | 'zero' | 'none';
  readonly vReset: number;
  readonly detachReset: boolean;
}

interface GradAttrs extends ScanAttrs {
  readonly surrogate: Surrogate;
  readonly needs: readonly boolean[];
}

/** Generated sources by structural key (the sizes live in the parameter block). */
const SOURCES = new Map<string, string>();
function cached(key: string, generate: () => string): string {
  let source = SOURCES.get(key);
  if (!source) SOURCES.set(key, (source = generate()));
  return source;
}

/** Storage bindings of one kernel, declared in order. */
class Bindings {
  readonly decls: string[] = [];
  readonly buffers: GpuHandle[] = [];
  add(name: string, handle: GpuHandle, type: string, writable = false): void {
    this.decls.push(
      `@group(0) @binding(${this.buffers.length}) var<storage, ${writable ? 'read_write' : 'read'}> ${name}: array<${type}>;`,
    );
    this.buffers.push(handle);
  }
}

/**
 * Several small tensors (states, parameters) copied side by side into one buffer, so a kernel binds
 * one buffer for them all: devices bind as few as 8 storage buffers per kernel. `at[k]` is the element
 * offset of tensor k (-1 when absent) and `stride[k]` 0 for a single value, 1 for one per neuron.
 */
function pack(
  gpu: WebGPUBackend,
  tensors: readonly KernelInput<GpuHandle>[],
): { handle: GpuHandle | null; at: number[]; stride: number[] } {
  const at: number[] = [];
  const stride: number[] = [];
  let total = 0;
  for (const t of tensors) {
    const n = sizeOf(t.shape);
    at.push(n ? total : -1);
    stride.push(n > 1 ? 1 : 0);
    total += n;
  }
  if (total === 0) return { handle: null, at, stride };
  const handle = gpu.alloc({ shape: [total], dtype: 'float32' });
  tensors.forEach((t, k) => {
    if (at[k]! >= 0) gpu.copy(t.handle, 0, handle, at[k]! * 4, sizeOf(t.shape) * 4);
  });
  return { handle, at, stride };
}

/** `name` for neuron f from a packed parameter slot (params: offset, stride). */
const param = (slot: number) => `prm[u32(pi(${slot}u)) + f * pu(${slot + 1}u)]`;

function forwardSource(
  a: ScanAttrs,
  has: { v0: boolean; i0: boolean; a0: boolean; states: boolean },
  b: Bindings,
): string {
  // Params: T, n, P, vReset, then (offset, stride) of beta, alpha, thr, rho, kappa (slots 4…13),
  // then the offsets of v0, i0, a0 in st0 (14…16).
  const body = `
  let T = pu(0u); let n = pu(1u); let P = pu(2u); let v_reset = pf(3u);
  if (t >= n) { return; }
  let j = t; let f = j % P;
  let beta = ${param(4)};
  ${a.synapse ? `let alpha = ${param(6)};` : ''}
  ${a.spiking ? `let thr = ${param(8)};` : ''}
  ${a.adaptive ? `let rho = ${param(10)}; let kappa = ${param(12)};` : ''}
  var v = ${has.v0 ? 'st0[pu(14u) + j]' : '0.0'};
  var cur = ${has.i0 ? 'st0[pu(15u) + j]' : '0.0'};
  var ad = ${has.a0 ? 'st0[pu(16u) + j]' : '0.0'};
  for (var k = 0u; k < T; k = k + 1u) {
    let e = k * n + j;
    var inp = x[e];
    ${a.synapse ? 'inp = alpha * cur + inp; cur = inp; iseq[e] = inp;' : ''}
    let hv = beta * v + inp;
    h[e] = hv;
    ${
      a.spiking
        ? `var theta = thr;
    ${a.adaptive ? 'theta = thr + kappa * ad;' : ''}
    let spike = hv > theta;
    if (spike) { atomicOr(&s[e >> 2u], 1u << ((e & 3u) * 8u)); }
    ${a.reset === 'subtract' ? 'v = select(hv, hv - theta, spike);' : a.reset === 'zero' ? 'v = select(hv, v_reset, spike);' : 'v = hv;'}
    ${a.adaptive ? 'ad = rho * ad + select(0.0, 1.0, spike); aseq[e] = ad;' : ''}`
        : 'v = hv;'
    }
  }
  st[j] = v;
  ${a.synapse ? 'st[n + j] = cur;' : ''}
  ${a.adaptive ? `st[${a.synapse ? 2 : 1}u * n + j] = ad;` : ''}`;
  return [...b.decls, params(b.buffers.length, 17), ENTRY(body)].join('\n');
}

const lifScan: GpuKernel<ScanAttrs> = (call) => {
  const gpu = backendOf(call);
  const a = call.attrs;
  const [x, v0, i0, a0, ...prms] = call.inputs;
  const T = x!.shape[0]!;
  const n = sizeOf(x!.shape) / T;
  const P = n / x!.shape[1]!;
  const outs = call.outputs.map((o) => gpu.alloc(o));
  const [s, h, iseq, aseq, vT, iT, aT] = outs;
  const prm = pack(gpu, prms);
  const st0 = pack(gpu, [v0!, i0!, a0!]);
  const stateCount = 1 + (a.synapse ? 1 : 0) + (a.adaptive ? 1 : 0);
  const st = gpu.alloc({ shape: [stateCount * n], dtype: 'float32' });
  const b = new Bindings();
  b.add('x', x!.handle, 'f32');
  b.add('prm', prm.handle!, 'f32');
  if (st0.handle) b.add('st0', st0.handle, 'f32');
  if (a.spiking) {
    zeroFill(gpu, s!, call.outputs[0]!.shape, 'spike');
    b.add('s', s!, 'atomic<u32>', true);
  }
  b.add('h', h!, 'f32', true);
  if (a.synapse) b.add('iseq', iseq!, 'f32', true);
  if (a.adaptive) b.add('aseq', aseq!, 'f32', true);
  b.add('st', st, 'f32', true);
  const w = new Words();
  w.u(T, n, P);
  w.f(a.vReset);
  prm.at.forEach((at, k) => {
    w.i(at);
    w.u(prm.stride[k]!);
  });
  w.u(...st0.at.map((v) => Math.max(v, 0)));
  const has = { v0: st0.at[0]! >= 0, i0: st0.at[1]! >= 0, a0: st0.at[2]! >= 0, states: !!st0.handle };
  const key = JSON.stringify(['fwd', a.spiking, a.synapse, a.adaptive, a.reset, has, b.decls.length]);
  gpu.run({ source: cached(key, () => forwardSource(a, has, b)), buffers: b.buffers, params: w, threads: n });
  gpu.copy(st, 0, vT!, 0, n * 4);
  if (a.synapse) gpu.copy(st, n * 4, iT!, 0, n * 4);
  if (a.adaptive) gpu.copy(st, (a.synapse ? 2 : 1) * n * 4, aT!, 0, n * 4);
  for (const temp of [prm.handle, st0.handle, st]) if (temp) gpu.release(temp);
  return outs;
};

/** φ(z) of the surrogate, in WGSL (OPS.md table); scalars from params slot 25 on. */
function surrogateWgsl(s: Surrogate): string {
  switch (s.name) {
    case 'atan':
      return 'let u = 1.5707963267948966 * pf(25u) * z; phi = (pf(25u) / 2.0) / (1.0 + u * u);';
    case 'fast-sigmoid':
      return 'let d = 1.0 + pf(25u) * abs(z); phi = 1.0 / (d * d);';
    case 'sigmoid':
      return 'let g = 1.0 / (1.0 + exp(-pf(25u) * z)); phi = pf(25u) * g * (1.0 - g);';
    case 'triangle':
      return 'let r = 1.0 - abs(z) * pf(25u); phi = select(0.0, pf(26u) * r, r > 0.0);';
    case 'straight-through':
      return 'phi = pf(25u);';
    case 'pdsg':
      return `let sd = surr[select(k, k * P + f, pu(27u) != 0u)];
      let u = (z - sd / 2.0) / (1.4142135623730951 * sd);
      phi = exp(-u * u) * 0.3989422804014327 / sd;`;
    case 'given':
      return 'phi = surr[e];';
  }
}

function surrogateFloats(s: Surrogate): [number, number] {
  switch (s.name) {
    case 'atan':
      return [s.alpha, 0];
    case 'fast-sigmoid':
    case 'sigmoid':
      return [s.slope, 0];
    case 'triangle':
      return [1 / s.width, s.scale];
    case 'straight-through':
      return [s.scale, 0];
    default:
      return [0, 0];
  }
}

interface GradLayout {
  readonly g: { gs: boolean; gh: boolean; gi: boolean; ga: boolean };
  /** Offsets in stIn of gvT, giT, gaT, v0, i0, a0 (-1 absent). */
  readonly stIn: readonly number[];
  /** Slot of each of outputs 1…8 in stOut (-1 when not computed). */
  readonly outSlots: readonly number[];
  readonly surr: boolean;
}

function backwardSource(a: GradAttrs, L: GradLayout, b: Bindings): string {
  // Params: T, n, P, vReset, (offset, stride) × 5 params (4…13), stIn offsets (14…19), out slots
  // (20…23 unused), 25/26 surrogate scalars, 27 pdsg per-neuron flag.
  const sub = a.spiking && a.reset === 'subtract';
  const zero = a.spiking && a.reset === 'zero';
  const has = (k: number) => L.stIn[k]! >= 0;
  const stAt = (k: number) => (has(k) ? `stIn[u32(pi(${14 + k}u)) + j]` : '0.0');
  const grad = (name: keyof GradLayout['g'], at = 'e') => (L.g[name] ? `${name}[${at}]` : '0.0');
  const spikeAt = (at: string) => `f32((s[(${at}) >> 2u] >> (((${at}) & 3u) * 8u)) & 0xffu)`;
  const needs = (k: number) => a.needs[k] === true && L.outSlots[k - 1]! >= 0;
  const thetaOf = (aPrev: string) => (a.adaptive ? `thr + kappa * ${aPrev}` : 'thr');
  const body = `
  let T = pu(0u); let n = pu(1u); let P = pu(2u); let v_reset = pf(3u);
  if (t >= n) { return; }
  let j = t; let f = j % P;
  let beta = ${param(4)};
  let alpha = ${a.synapse ? param(6) : '0.0'};
  let thr = ${a.spiking ? param(8) : '0.0'};
  let rho = ${a.adaptive ? param(10) : '0.0'};
  let kappa = ${a.adaptive ? param(12) : '0.0'};
  var dv = ${stAt(0)};
  var di = ${stAt(1)};
  var da = ${stAt(2)};
  var g_beta = 0.0; var g_alpha = 0.0; var g_thr = 0.0; var g_rho = 0.0; var g_kappa = 0.0;
  for (var kk = 0u; kk < T; kk = kk + 1u) {
    let k = T - 1u - kk;
    let e = k * n + j;
    let hj = h[e];
    let sj = ${a.spiking ? spikeAt('e') : '0.0'};
    var a_prev = ${stAt(5)};
    ${a.adaptive ? 'if (k > 0u) { a_prev = aseq[e - n]; }' : ''}
    let A = ${a.adaptive ? `da + ${grad('ga')}` : '0.0'};
    var H = ${grad('gh')} + dv * ${zero ? '(1.0 - sj)' : '1.0'};
    var Theta = 0.0;
    ${
      a.spiking
        ? `let theta = ${thetaOf('a_prev')};
    let dvds = ${a.detachReset ? '0.0' : sub ? '-theta' : zero ? 'v_reset - hj' : '0.0'};
    let z = hj - theta;
    var phi = 0.0;
    { ${surrogateWgsl(a.surrogate)} }
    let Z = (${grad('gs')} + A + dv * dvds) * phi;
    H = H + Z;
    Theta = -Z${sub ? ' - dv * sj' : ''};`
        : ''
    }
    let I = ${a.synapse ? `H + ${grad('gi')} + di` : 'H'};
    ${a.needs[0] ? 'gx[e] = I;' : ''}
    ${
      needs(4)
        ? `var v_prev = ${stAt(3)};
    if (k > 0u) {
      let hp = h[e - n];
      v_prev = hp;
      ${
        a.spiking && (sub || zero)
          ? `if (${spikeAt('e - n')} != 0.0) {
        ${
          sub
            ? `var a_pp = ${stAt(5)};
        ${a.adaptive ? 'if (k > 1u) { a_pp = aseq[e - 2u * n]; }' : ''}
        v_prev = hp - (${thetaOf('a_pp')});`
            : 'v_prev = v_reset;'
        }
      }`
          : ''
      }
    }
    g_beta = g_beta + H * v_prev;`
        : ''
    }
    ${needs(5) && a.synapse ? `var i_prev = ${stAt(4)}; if (k > 0u) { i_prev = iseq[e - n]; } g_alpha = g_alpha + I * i_prev;` : ''}
    g_thr = g_thr + Theta;
    g_kappa = g_kappa + Theta * a_prev;
    g_rho = g_rho + A * a_prev;
    dv = H * beta;
    di = I * alpha;
    da = A * rho + Theta * kappa;
  }
  ${[
    ['dv', 1],
    ['di', 2],
    ['da', 3],
    ['g_beta', 4],
    ['g_alpha', 5],
    ['g_thr', 6],
    ['g_rho', 7],
    ['g_kappa', 8],
  ]
    .filter(([, k]) => L.outSlots[(k as number) - 1]! >= 0)
    .map(([v, k]) => `st_out[${L.outSlots[(k as number) - 1]}u * n + j] = ${v};`)
    .join('\n  ')}`;
  return [...b.decls, params(b.buffers.length, 28), ENTRY(body)].join('\n');
}

const lifScanGrad: GpuKernel<GradAttrs> = (call) => {
  const gpu = backendOf(call);
  const a = call.attrs;
  const ins = call.inputs;
  const h = ins[8]!;
  const T = h.shape[0]!;
  const n = sizeOf(h.shape) / T;
  const P = n / h.shape[1]!;
  const present = (k: number) => sizeOf(ins[k]!.shape) > 0;
  const g = {
    gs: a.spiking && present(0),
    gh: present(1),
    gi: a.synapse && present(2),
    ga: a.adaptive && present(3),
  };
  const surr = a.spiking && (a.surrogate.name === 'pdsg' || a.surrogate.name === 'given');
  const outSizes = call.outputs.map((o) => sizeOf(o.shape));
  const outSlots: number[] = [];
  let slots = 0;
  for (let k = 1; k < 9; k++) outSlots.push(outSizes[k]! > 0 ? slots++ : -1);
  const statesIn = [4, 5, 6, 11, 12, 13].some(present);
  const count =
    Object.values(g).filter(Boolean).length +
    (a.spiking ? 1 : 0) +
    1 +
    (a.synapse ? 1 : 0) +
    (a.adaptive ? 1 : 0) +
    (surr ? 1 : 0) +
    (statesIn ? 1 : 0) +
    1 +
    (a.needs[0] ? 1 : 0) +
    (slots ? 1 : 0);
  // Variants needing more storage buffers than the device binds run the cpu kernel instead.
  if (count > gpu.maxStorageBuffers) return gpu.onHost('lif_scan_grad', call);

  const outs = call.outputs.map((o) => gpu.alloc(o));
  const stIn = pack(
    gpu,
    [4, 5, 6, 11, 12, 13].map((k) => ins[k]!),
  );
  const prm = pack(gpu, ins.slice(14, 19));
  const stOut = slots ? gpu.alloc({ shape: [slots * n], dtype: 'float32' }) : null;
  const b = new Bindings();
  for (const [name, k] of [
    ['gs', 0],
    ['gh', 1],
    ['gi', 2],
    ['ga', 3],
  ] as const)
    if (g[name]) b.add(name, ins[k]!.handle, 'f32');
  if (a.spiking) b.add('s', ins[7]!.handle, 'u32');
  b.add('h', h.handle, 'f32');
  if (a.synapse) b.add('iseq', ins[9]!.handle, 'f32');
  if (a.adaptive) b.add('aseq', ins[10]!.handle, 'f32');
  if (surr) b.add('surr', ins[19]!.handle, 'f32');
  if (stIn.handle) b.add('stIn', stIn.handle, 'f32');
  b.add('prm', prm.handle!, 'f32');
  if (a.needs[0]) b.add('gx', outs[0]!, 'f32', true);
  if (stOut) b.add('st_out', stOut, 'f32', true);
  if (b.buffers.length !== count)
    throw new Error(`lif_scan_grad: counted ${count} bindings, made ${b.buffers.length}`);

  const w = new Words();
  w.u(T, n, P);
  w.f(a.vReset);
  prm.at.forEach((at, k) => {
    w.i(at);
    w.u(prm.stride[k]!);
  });
  w.i(...stIn.at, 0, 0, 0, 0, 0);
  w.f(...surrogateFloats(a.surrogate));
  w.u(a.surrogate.name === 'pdsg' && sizeOf(ins[19]!.shape) !== T ? 1 : 0);
  const layout: GradLayout = { g, stIn: stIn.at, outSlots, surr };
  const key = JSON.stringify([
    'bwd',
    a.spiking,
    a.synapse,
    a.adaptive,
    a.reset,
    a.detachReset,
    a.surrogate.name,
    a.needs,
    g,
    stIn.at.map((at) => at >= 0),
    outSlots,
    surr,
  ]);
  gpu.run({
    source: cached(key, () => backwardSource(a, layout, b)),
    buffers: b.buffers,
    params: w,
    threads: n,
  });
  outSlots.forEach((slot, k) => {
    if (slot >= 0) gpu.copy(stOut!, slot * n * 4, outs[k + 1]!, 0, n * 4);
  });
  for (const temp of [stIn.handle, prm.handle, stOut]) if (temp) gpu.release(temp);
  return outs;
};

/** `z > 0` as spikes; the surrogate only shapes the gradient, which is written with tensor ops. */
const surrogateSpike: GpuKernel = (call) => {
  const z = call.inputs[0]!;
  return [
    mapKernel(backendOf(call), {
      domain: z.shape,
      inputs: [{ handle: z.handle, dtype: 'float32', as: 'f32' }],
      out: 'spike',
      result: 'u32',
      expr: 'select(0u, 1u, v0 > 0.0)',
    }),
  ];
};

export const lifKernels: GpuKernelTable = {
  lif_scan: lifScan,
  lif_scan_grad: lifScanGrad,
  surrogate_spike: surrogateSpike,
};

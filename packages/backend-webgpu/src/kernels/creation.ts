import { type DType, sizeOf } from '@neurite/kernel';
import { buffer, ENTRY, params, RANDOM_WGSL, Words } from '../wgsl/common.js';
import { broadcastStrides } from './layout.js';
import { mapKernel } from './map.js';
import { backendOf, dt, type GpuKernel, type GpuKernelTable } from './types.js';

type Key = readonly [number, number];

/** The 32-bit word a fill writes everywhere: the value's bits, four copies of the byte for spikes. */
function fillWord(value: number, dtype: DType): number {
  if (dtype === 'float32') return new Uint32Array(new Float32Array([value]).buffer)[0]!;
  if (dtype === 'int32') return value | 0;
  const byte = new Uint8Array([value])[0]!;
  return (byte * 0x01010101) >>> 0;
}

const FILL = [
  buffer(0, 'out', 'u32', true),
  params(1, 2),
  ENTRY('  if (t >= pu(0u)) { return; }\n  out[t] = pu(1u);'),
].join('\n');

const fill: GpuKernel<{ value: number; dtype: DType }> = (call) => {
  const gpu = backendOf(call);
  const o = call.outputs[0]!;
  const out = gpu.alloc(o);
  const words = Math.ceil((sizeOf(o.shape) * (o.dtype === 'spike' ? 1 : 4)) / 4);
  const w = new Words();
  w.u(words, fillWord(call.attrs.value, o.dtype));
  gpu.run({ source: FILL, buffers: [out], params: w, threads: words });
  return [out];
};

const randomUniform: GpuKernel<{ low: number; high: number; key: Key }> = (call) => {
  const o = call.outputs[0]!;
  const { low, high, key } = call.attrs;
  return [
    mapKernel(backendOf(call), {
      domain: o.shape,
      inputs: [],
      out: dt(o),
      result: 'f32',
      expr: 'f0 + f1 * uniform_at(u0, u1, i)',
      floats: [low, high - low],
      uints: [key[0], key[1]],
      helpers: RANDOM_WGSL,
    }),
  ];
};

const randomNormal: GpuKernel<{ mean: number; std: number; key: Key }> = (call) => {
  const o = call.outputs[0]!;
  const { mean, std, key } = call.attrs;
  return [
    mapKernel(backendOf(call), {
      domain: o.shape,
      inputs: [],
      out: dt(o),
      result: 'f32',
      expr: 'f0 + f1 * normal_at(u0, u1, i)',
      floats: [mean, std],
      uints: [key[0], key[1]],
      helpers: RANDOM_WGSL,
    }),
  ];
};

/** The same uniform draw as the cpu kernel, compared with the same float32 probability: identical spikes. */
const bernoulli: GpuKernel<{ key: Key }> = (call) => {
  const p = call.inputs[0]!;
  const o = call.outputs[0]!;
  const { key } = call.attrs;
  return [
    mapKernel(backendOf(call), {
      domain: o.shape,
      inputs: [{ handle: p.handle, dtype: dt(p), as: 'f32', strides: broadcastStrides(p.shape, o.shape) }],
      out: 'spike',
      result: 'u32',
      expr: 'select(0u, 1u, uniform_at(u0, u1, i) < v0)',
      uints: [key[0], key[1]],
      helpers: RANDOM_WGSL,
    }),
  ];
};

export const creationKernels: GpuKernelTable = {
  fill,
  random_uniform: randomUniform,
  random_normal: randomNormal,
  bernoulli,
};

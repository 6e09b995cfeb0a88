import { type Shape, sizeOf, stridesOf } from '@neurite/kernel';
import type { DeviceDType } from '../dtype.js';
import { type Scalar, STORAGE } from '../wgsl/common.js';
import { broadcastStrides } from './layout.js';
import { mapKernel } from './map.js';
import { backendOf, dt, type GpuKernel, type GpuKernelTable } from './types.js';
import { viaInt32 } from './via-int32.js';

interface SliceAttrs {
  readonly begin: readonly number[];
  readonly end: readonly number[];
  readonly step: readonly number[];
}

/** Movement copies raw elements: each dtype is read and written as its own storage scalar. */
const raw = (dtype: DeviceDType): Scalar => STORAGE[dtype];

/** A gather-form copy: output element at coordinates c reads the input at offset + Σ c·strides. */
function gatherCopy(
  call: Parameters<GpuKernel>[0],
  strides: readonly number[],
  offset: number,
  extra: { bounds?: readonly (readonly [number, number])[]; value?: number } = {},
) {
  const x = call.inputs[0]!;
  const o = call.outputs[0]!;
  const t = raw(dt(o));
  const outside = extra.bounds ? (t === 'f32' ? 'f0' : t === 'i32' ? 'bitcast<i32>(u0)' : 'u0') : undefined;
  const value = extra.value ?? 0;
  return mapKernel(backendOf(call), {
    domain: o.shape,
    inputs: [
      {
        handle: x.handle,
        dtype: dt(x),
        as: t,
        strides,
        offset,
        ...(extra.bounds ? { bounds: extra.bounds, outside: outside! } : {}),
      },
    ],
    out: dt(o),
    result: t,
    expr: 'v0',
    spikeStore: 'byte',
    ...(extra.bounds
      ? t === 'f32'
        ? { floats: [value] }
        : { uints: [t === 'i32' ? value | 0 : new Uint8Array([value])[0]!] }
      : {}),
  });
}

const reshape: GpuKernel = (call) => [call.inputs[0]!.handle];

const permute: GpuKernel<{ order: readonly number[] }> = (call) => {
  const inStrides = stridesOf(call.inputs[0]!.shape);
  return [
    gatherCopy(
      call,
      call.attrs.order.map((a) => inStrides[a]!),
      0,
    ),
  ];
};

function sliceLayout(shape: Shape, { begin, step }: SliceAttrs): [number, number[]] {
  const strides = stridesOf(shape);
  return [begin.reduce((acc, b, i) => acc + b * strides[i]!, 0), strides.map((s, i) => s * step[i]!)];
}

const slice: GpuKernel<SliceAttrs> = (call) => {
  const [offset, strides] = sliceLayout(call.inputs[0]!.shape, call.attrs);
  return [gatherCopy(call, strides, offset)];
};

const flip: GpuKernel<{ axes: readonly number[] }> = (call) => {
  const shape = call.inputs[0]!.shape;
  let offset = 0;
  const strides = stridesOf(shape).map((s, i) => {
    if (!call.attrs.axes.includes(i)) return s;
    offset += (shape[i]! - 1) * s;
    return -s;
  });
  return [gatherCopy(call, strides, offset)];
};

const broadcastTo: GpuKernel = (call) => [
  gatherCopy(call, broadcastStrides(call.inputs[0]!.shape, call.outputs[0]!.shape), 0),
];

/** Input coordinate = output coordinate − before; outside [before, before + size) reads the pad value. */
const pad: GpuKernel<{ padding: readonly (readonly [number, number])[]; value: number }> = (call) => {
  const shape = call.inputs[0]!.shape;
  const strides = stridesOf(shape);
  const { padding, value } = call.attrs;
  const offset = -padding.reduce((acc, [before], i) => acc + before * strides[i]!, 0);
  const bounds = shape.map((d, i) => [padding[i]![0], padding[i]![0] + d] as const);
  return [gatherCopy(call, strides, offset, { bounds, value })];
};

/** Zeros of the output, then the gradient written into the sliced positions. */
const sliceGrad: GpuKernel<SliceAttrs & { inputShape: Shape }> = viaInt32((call) => {
  const gpu = backendOf(call);
  const g = call.inputs[0]!;
  const o = call.outputs[0]!;
  const out = zeros(call, o.shape, dt(o));
  const [offset, strides] = sliceLayout(call.attrs.inputShape, call.attrs);
  const t = raw(dt(o));
  mapKernel(gpu, {
    domain: g.shape,
    inputs: [{ handle: g.handle, dtype: dt(g), as: t }],
    out: dt(o),
    outStrides: strides,
    outOffset: offset,
    into: out,
    result: t,
    expr: 'v0',
  });
  return [out];
});

/** Each input written into its block of the output (inputs may be of narrower dtypes: converted). */
const concat: GpuKernel<{ axis: number }> = viaInt32((call) => {
  const gpu = backendOf(call);
  const o = call.outputs[0]!;
  const out = gpu.alloc(o);
  const outStrides = stridesOf(o.shape);
  const t = raw(dt(o));
  let offset = 0;
  for (const x of call.inputs) {
    if (sizeOf(x.shape) > 0) {
      mapKernel(gpu, {
        domain: x.shape,
        inputs: [{ handle: x.handle, dtype: dt(x), as: t }],
        out: dt(o),
        outStrides,
        outOffset: offset * outStrides[call.attrs.axis]!,
        into: out,
        result: t,
        expr: 'v0',
      });
    }
    offset += x.shape[call.attrs.axis]!;
  }
  return [out];
});

/** A zero-filled buffer for a tensor of `shape` (through the fill kernel). */
export function zeros(call: Parameters<GpuKernel>[0], shape: Shape, dtype: DeviceDType) {
  const gpu = backendOf(call);
  return mapKernel(gpu, {
    domain: shape,
    inputs: [],
    out: dtype,
    result: STORAGE[dtype],
    expr: STORAGE[dtype] === 'f32' ? '0.0' : STORAGE[dtype] === 'i32' ? '0i' : '0u',
  });
}

export const movementKernels: GpuKernelTable = {
  reshape,
  permute,
  slice,
  slice_grad: sliceGrad,
  concat,
  pad,
  flip,
  broadcast_to: broadcastTo,
};

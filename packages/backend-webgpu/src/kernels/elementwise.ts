import type { KernelInput } from '@neurite/kernel';
import type { GpuHandle } from '../memory/handle.js';
import { type Scalar, STORAGE, zero } from '../wgsl/common.js';
import { broadcastStrides } from './layout.js';
import { type MapOperand, mapKernel } from './map.js';
import { backendOf, dt, type GpuKernel, type GpuKernelTable } from './types.js';

type Expr = (a: string) => string;
type Expr2 = (a: string, b: string) => string;

/** Unary ops in f32, written to match the cpu kernels (NaN and signed-zero cases included). */
const UNARY_F32: Record<string, Expr> = {
  neg: (a) => `-${a}`,
  exp: (a) => `exp(${a})`,
  log: (a) => `log(${a})`,
  // Clamped: some GPU tanh builtins overflow to NaN for large |x|; tanh(±15) is ±1 in f32.
  tanh: (a) => `tanh(clamp(${a}, -15.0, 15.0))`,
  sigmoid: (a) => `1.0 / (1.0 + exp(-${a}))`,
  sqrt: (a) => `sqrt(${a})`,
  sin: (a) => `sin(${a})`,
  cos: (a) => `cos(${a})`,
  reciprocal: (a) => `1.0 / ${a}`,
  relu: (a) => `select(0.0, ${a}, ${a} > 0.0)`,
  abs: (a) => `abs(${a})`,
  square: (a) => `${a} * ${a}`,
  sign: (a) => `select(select(${a}, -1.0, ${a} < 0.0), 1.0, ${a} > 0.0)`,
  floor: (a) => `floor(${a})`,
  // WGSL's round() rounds half to even, as the cpu kernel (and NumPy) do.
  round: (a) => `round(${a})`,
};

/** The unary ops that keep int32 (the others make float32). */
const UNARY_I32: Record<string, Expr> = {
  neg: (a) => `-${a}`,
  relu: (a) => `max(${a}, 0i)`,
  abs: (a) => `abs(${a})`,
  square: (a) => `${a} * ${a}`,
  sign: (a) => `sign(${a})`,
  floor: (a) => a,
  round: (a) => a,
};

const ARITH_F32: Record<string, Expr2> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  div: (a, b) => `${a} / ${b}`,
  pow: (a, b) => `pow_js(${a}, ${b})`,
  maximum: (a, b) => `max_js(${a}, ${b})`,
  minimum: (a, b) => `min_js(${a}, ${b})`,
};

const ARITH_I32: Record<string, Expr2> = {
  add: (a, b) => `${a} + ${b}`,
  sub: (a, b) => `${a} - ${b}`,
  mul: (a, b) => `${a} * ${b}`,
  maximum: (a, b) => `max(${a}, ${b})`,
  minimum: (a, b) => `min(${a}, ${b})`,
};

const COMPARE: Record<string, string> = { eq: '==', ne: '!=', lt: '<', le: '<=', gt: '>', ge: '>=' };

/** Math.pow, Math.max and Math.min semantics where WGSL's builtins leave cases undefined. */
const JS_MATH = `
// A private variable, not a constant: WGSL rejects NaN in constant expressions.
var<private> NAN_BITS: u32 = 0x7fc00000u;
fn pow_js(a: f32, b: f32) -> f32 {
  if (b == 0.0) { return 1.0; }
  let r = pow(abs(a), b);
  if (a < 0.0) {
    if (floor(b) != b) { return bitcast<f32>(NAN_BITS); }
    return select(r, -r, abs(b) % 2.0 == 1.0);
  }
  return r;
}
fn max_js(a: f32, b: f32) -> f32 { return select(select(max(a, b), b, b != b), a, a != a); }
fn min_js(a: f32, b: f32) -> f32 { return select(select(min(a, b), b, b != b), a, a != a); }`;

function computeType(dtype: string): Scalar {
  return dtype === 'int32' ? 'i32' : 'f32';
}

function unary(name: string): GpuKernel {
  return (call) => {
    const x = call.inputs[0]!;
    const o = call.outputs[0]!;
    const t = computeType(o.dtype);
    const f = t === 'i32' ? UNARY_I32[name]! : UNARY_F32[name]!;
    return [
      mapKernel(backendOf(call), {
        domain: o.shape,
        inputs: [{ handle: x.handle, dtype: dt(x), as: t }],
        out: dt(o),
        result: t,
        expr: f('v0'),
      }),
    ];
  };
}

/** An operand broadcast against the output shape. */
function operand(input: KernelInput<GpuHandle>, outShape: readonly number[], as: Scalar): MapOperand {
  return { handle: input.handle, dtype: dt(input), as, strides: broadcastStrides(input.shape, outShape) };
}

function arithmetic(name: string): GpuKernel {
  return (call) => {
    const [a, b] = call.inputs;
    const o = call.outputs[0]!;
    const t = computeType(o.dtype);
    const f = t === 'i32' ? ARITH_I32[name]! : ARITH_F32[name]!;
    return [
      mapKernel(backendOf(call), {
        domain: o.shape,
        inputs: [operand(a!, o.shape, t), operand(b!, o.shape, t)],
        out: dt(o),
        result: t,
        expr: f('v0', 'v1'),
        helpers: t === 'f32' ? JS_MATH : '',
      }),
    ];
  };
}

function comparison(name: string): GpuKernel {
  return (call) => {
    const [a, b] = call.inputs;
    const o = call.outputs[0]!;
    const t: Scalar = a!.dtype === 'int32' && b!.dtype === 'int32' ? 'i32' : 'f32';
    return [
      mapKernel(backendOf(call), {
        domain: o.shape,
        inputs: [operand(a!, o.shape, t), operand(b!, o.shape, t)],
        out: 'spike',
        result: 'u32',
        expr: `select(0u, 1u, v0 ${COMPARE[name]} v1)`,
      }),
    ];
  };
}

const clamp: GpuKernel<{ min: number; max: number }> = (call) => {
  const x = call.inputs[0]!;
  const o = call.outputs[0]!;
  return [
    mapKernel(backendOf(call), {
      domain: o.shape,
      inputs: [{ handle: x.handle, dtype: dt(x), as: 'f32' }],
      out: dt(o),
      result: 'f32',
      expr: 'select(select(v0, f1, v0 > f1), f0, v0 < f0)',
      floats: [call.attrs.min, call.attrs.max],
    }),
  ];
};

const where: GpuKernel = (call) => {
  const [c, a, b] = call.inputs;
  const o = call.outputs[0]!;
  const t = STORAGE[dt(o)];
  const ct = STORAGE[dt(c!)];
  return [
    mapKernel(backendOf(call), {
      domain: o.shape,
      inputs: [operand(c!, o.shape, ct), operand(a!, o.shape, t), operand(b!, o.shape, t)],
      out: dt(o),
      result: t,
      expr: `select(v2, v1, v0 != ${zero(ct)})`,
      spikeStore: 'byte',
    }),
  ];
};

const cast: GpuKernel = (call) => {
  const x = call.inputs[0]!;
  const o = call.outputs[0]!;
  const t = STORAGE[dt(x)];
  return [
    mapKernel(backendOf(call), {
      domain: o.shape,
      inputs: [{ handle: x.handle, dtype: dt(x), as: t }],
      out: dt(o),
      result: t,
      expr: 'v0',
      spikeStore: 'nonzero',
    }),
  ];
};

export const elementwiseKernels: GpuKernelTable = {
  ...Object.fromEntries(Object.keys(UNARY_F32).map((n) => [n, unary(n)])),
  ...Object.fromEntries(Object.keys(ARITH_F32).map((n) => [n, arithmetic(n)])),
  ...Object.fromEntries(Object.keys(COMPARE).map((n) => [n, comparison(n)])),
  clamp,
  where,
  cast,
};

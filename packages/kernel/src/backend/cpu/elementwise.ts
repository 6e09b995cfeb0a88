import type { ArithmeticOp, ComparisonOp, UnaryOp } from '../../ops/elementwise.js';
import { arrayFor, type DataArray } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import type { KernelFn } from '../contract.js';
import { broadcastIndex, forEachRun, planBroadcast } from './broadcast.js';
import { type Binary, binaryLoops, type Unary, unaryLoop } from './jit.js';

// Element functions must be self-contained arrows: jit.ts splices their source into loops.
export const UNARY_FN: Record<UnaryOp, Unary> = {
  neg: (x) => -x,
  exp: (x) => Math.exp(x),
  log: (x) => Math.log(x),
  tanh: (x) => Math.tanh(x),
  sigmoid: (x) => 1 / (1 + Math.exp(-x)),
  sqrt: (x) => Math.sqrt(x),
  sin: (x) => Math.sin(x),
  cos: (x) => Math.cos(x),
  reciprocal: (x) => 1 / x,
  relu: (x) => Math.max(x, 0),
  abs: (x) => Math.abs(x),
  square: (x) => x * x,
  sign: (x) => (x > 0 ? 1 : x < 0 ? -1 : x),
  floor: (x) => Math.floor(x),
  // Half to even, as NumPy and PyTorch round.
  round: (x) => {
    const r = Math.round(x);
    return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
};

export const BINARY_FN: Record<ArithmeticOp | ComparisonOp, Binary> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  maximum: (a, b) => Math.max(a, b),
  minimum: (a, b) => Math.min(a, b),
  eq: (a, b) => (a === b ? 1 : 0),
  ne: (a, b) => (a !== b ? 1 : 0),
  lt: (a, b) => (a < b ? 1 : 0),
  le: (a, b) => (a <= b ? 1 : 0),
  gt: (a, b) => (a > b ? 1 : 0),
  ge: (a, b) => (a >= b ? 1 : 0),
};

export function unaryKernel(f: Unary): KernelFn<DataArray, { min?: number; max?: number }> {
  const loop = unaryLoop(f);
  return ({ inputs: [x], outputs: [o], attrs }) => {
    const n = sizeOf(o!.shape);
    const out = arrayFor(o!.dtype, n);
    loop(x!.handle, 0, out, 0, n, attrs.min ?? 0, attrs.max ?? 0);
    return [out];
  };
}

export function binaryKernel(f: Binary): KernelFn<DataArray> {
  const loops = binaryLoops(f);
  return ({ inputs: [a, b], outputs: [o] }) => {
    const out = arrayFor(o!.dtype, sizeOf(o!.shape));
    const plan = planBroadcast(o!.shape, a!.shape, b!.shape);
    const loop = plan.innerA ? (plan.innerB ? loops.vv : loops.vs) : loops.sv;
    const A = a!.handle;
    const B = b!.handle;
    const n = plan.inner;
    forEachRun(plan, (ao, bo, oo) => loop(A, ao, B, bo, out, oo, n));
    return [out];
  };
}

const clampFn: Unary = (x, lo, hi) => Math.min(Math.max(x, lo), hi);

const where: KernelFn<DataArray> = ({ inputs: [c, a, b], outputs: [o] }) => {
  const n = sizeOf(o!.shape);
  const out = arrayFor(o!.dtype, n);
  const ci = broadcastIndex(o!.shape, c!.shape);
  const ai = broadcastIndex(o!.shape, a!.shape);
  const bi = broadcastIndex(o!.shape, b!.shape);
  const C = c!.handle;
  const A = a!.handle;
  const B = b!.handle;
  for (let i = 0; i < n; i++) out[i] = C[ci[i]!] ? A[ai[i]!]! : B[bi[i]!]!;
  return [out];
};

const cast: KernelFn<DataArray> = ({ inputs: [x], outputs: [o] }) => {
  const n = sizeOf(o!.shape);
  const out = arrayFor(o!.dtype, n);
  const src = x!.handle;
  if (o!.dtype === 'spike') {
    // Spikes are 0/1: any non-zero value is a spike (a plain byte conversion would wrap modulo 256).
    for (let i = 0; i < n; i++) out[i] = src[i] !== 0 ? 1 : 0;
  } else out.set(src);
  return [out];
};

export const elementwiseKernels: Record<string, KernelFn<DataArray, any>> = {
  ...Object.fromEntries(Object.entries(UNARY_FN).map(([name, f]) => [name, unaryKernel(f)])),
  ...Object.fromEntries(Object.entries(BINARY_FN).map(([name, f]) => [name, binaryKernel(f)])),
  clamp: unaryKernel(clampFn),
  where,
  cast,
};

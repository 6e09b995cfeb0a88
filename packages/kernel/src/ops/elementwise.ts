import { DTypeError, ShapeError } from '../errors.js';
import { arithmeticResult, type DType, gradDType, isFloat, promote } from '../tensor/dtype.js';
import { broadcastShapes } from '../tensor/shape.js';
import type { Tensor, TensorLike } from '../tensor/tensor.js';
import { ints, sample, spikes } from './examples.js';
import { defineOp, type OpDef } from './op.js';
import { sumTo } from './reduce.js';

// ------------------------------------------------------------------ unary

/** Unary ops whose result is always floating point (integers and spikes become float32). */
const FLOAT_UNARY = ['exp', 'log', 'tanh', 'sigmoid', 'sqrt', 'sin', 'cos', 'reciprocal'] as const;
/** Unary ops that keep integer dtypes (spikes still become float32). */
const KEEP_UNARY = ['neg', 'relu', 'abs', 'square', 'sign', 'floor', 'round'] as const;
export const UNARY_OPS = [...FLOAT_UNARY, ...KEEP_UNARY] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** Unary ops defined on positive inputs only (their examples sample there). */
const POSITIVE_ONLY: readonly UnaryOp[] = ['log', 'sqrt', 'reciprocal'];

function unaryResult(op: UnaryOp, dtype: DType): DType {
  if ((FLOAT_UNARY as readonly string[]).includes(op)) return isFloat(dtype) ? dtype : 'float32';
  return dtype === 'spike' ? 'float32' : dtype;
}

/** Vector-Jacobian products of the unary ops, from the input x, the output y and the incoming grad g. */
const UNARY_GRAD: Record<UnaryOp, ((x: Tensor, y: Tensor, g: Tensor) => Tensor) | null> = {
  neg: (_x, _y, g) => g.neg(),
  exp: (_x, y, g) => g.mul(y),
  log: (x, _y, g) => g.div(x),
  tanh: (_x, y, g) => g.mul(y.square().neg().add(1)),
  sigmoid: (_x, y, g) => g.mul(y.mul(y.neg().add(1))),
  sqrt: (_x, y, g) => g.div(y.mul(2)),
  sin: (x, _y, g) => g.mul(x.cos()),
  cos: (x, _y, g) => g.mul(x.sin()).neg(),
  reciprocal: (_x, y, g) => g.mul(y.square()).neg(),
  relu: (x, _y, g) => g.mul(x.gt(0)),
  abs: (x, _y, g) => g.mul(x.sign()),
  square: (x, _y, g) => g.mul(x).mul(2),
  // Piecewise-constant functions: zero gradient almost everywhere.
  sign: null,
  floor: null,
  round: null,
};

function unaryOp(name: UnaryOp): OpDef {
  const vjp = UNARY_GRAD[name];
  return defineOp({
    name,
    infer: ([x]) => [{ shape: x!.shape, dtype: unaryResult(name, x!.dtype) }],
    grad: ({ inputs, outputs, grads }) => {
      const x = inputs[0]!;
      return [vjp ? vjp(x, outputs[0]!, grads[0]!) : zerosLike(x)];
    },
    examples: (rt) => [
      {
        inputs: [POSITIVE_ONLY.includes(name) ? sample(rt, [2, 3], 0.5, 2) : sample(rt, [2, 3], -2, 2)],
        attrs: {},
      },
      { label: 'int32', inputs: [ints(rt, [1, 2, 3])], attrs: {} },
      { label: 'spike', inputs: [spikes(rt, [0, 1, 1])], attrs: {} },
    ],
  });
}

// ------------------------------------------------------------------ binary

export const ARITHMETIC_OPS = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const;
export const COMPARISON_OPS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;
export type ArithmeticOp = (typeof ARITHMETIC_OPS)[number];
export type ComparisonOp = (typeof COMPARISON_OPS)[number];

const BINARY_GRAD: Record<
  ArithmeticOp,
  (a: Tensor, b: Tensor, y: Tensor, g: Tensor) => [Tensor | null, Tensor | null]
> = {
  add: (_a, _b, _y, g) => [g, g],
  sub: (_a, _b, _y, g) => [g, g.neg()],
  mul: (a, b, _y, g) => [g.mul(b), g.mul(a)],
  div: (a, b, _y, g) => [g.div(b), b.requiresGrad ? g.mul(a).div(b.square()).neg() : null],
  pow: (a, b, y, g) => [g.mul(b).mul(a.pow(b.sub(1))), b.requiresGrad ? g.mul(y).mul(a.log()) : null],
  maximum: (a, b, _y, g) => [g.mul(a.ge(b)), g.mul(a.lt(b))],
  minimum: (a, b, _y, g) => [g.mul(a.le(b)), g.mul(a.gt(b))],
};

function arithmeticOp(name: ArithmeticOp): OpDef {
  return defineOp({
    name,
    infer: ([a, b]) => {
      const dtype = arithmeticResult(a!.dtype, b!.dtype);
      return [
        {
          shape: broadcastShapes(name, a!.shape, b!.shape),
          dtype: name === 'div' || name === 'pow' ? toFloat(dtype) : dtype,
        },
      ];
    },
    grad: ({ inputs, outputs, grads }) => {
      const [a, b] = inputs as [Tensor, Tensor];
      const [ga, gb] = BINARY_GRAD[name](a, b, outputs[0]!, grads[0]!);
      return [
        ga && a.requiresGrad ? sumTo(ga, a.shape) : null,
        gb && b.requiresGrad ? sumTo(gb, b.shape) : null,
      ];
    },
    examples: (rt) => [
      // Broadcasting [2, 3] with [3]; positive operands keep div and pow away from poles and logs of negatives.
      { inputs: [sample(rt, [2, 3], 0.5, 2), sample(rt, [3], 0.5, 2)], attrs: {} },
      { label: 'int32 with spike', inputs: [ints(rt, [1, 2, 3]), spikes(rt, [1, 0, 1])], attrs: {} },
    ],
  });
}

function comparisonOp(name: ComparisonOp): OpDef {
  return defineOp({
    name,
    infer: ([a, b]) => [{ shape: broadcastShapes(name, a!.shape, b!.shape), dtype: 'spike' }],
    examples: (rt) => [{ inputs: [sample(rt, [2, 3]), sample(rt, [3])], attrs: {} }],
  });
}

function toFloat(d: DType): DType {
  return isFloat(d) ? d : 'float32';
}

// ------------------------------------------------------------------ others

const clampOp = defineOp<{ min: number; max: number }>({
  name: 'clamp',
  infer: ([x], { min, max }) => {
    if (!(min <= max)) throw new ShapeError('clamp', `min ${min} exceeds max ${max}`);
    return [{ shape: x!.shape, dtype: x!.dtype === 'spike' ? 'float32' : x!.dtype }];
  },
  grad: ({ inputs: [x], attrs, grads: [g] }) => [g!.mul(x!.ge(attrs.min)).mul(x!.le(attrs.max))],
  examples: (rt) => [{ inputs: [sample(rt, [2, 3], -2, 2)], attrs: { min: -1, max: 1 } }],
});

const whereOp = defineOp({
  name: 'where',
  infer: ([c, a, b]) => {
    const shape = broadcastShapes('where', broadcastShapes('where', c!.shape, a!.shape), b!.shape);
    return [{ shape, dtype: promote(a!.dtype, b!.dtype) }];
  },
  grad: ({ inputs: [c, a, b], grads: [g] }) => {
    const zero = zerosLike(g!);
    return [
      null,
      a!.requiresGrad ? sumTo(where(c!, g!, zero), a!.shape) : null,
      b!.requiresGrad ? sumTo(where(c!, zero, g!), b!.shape) : null,
    ];
  },
  examples: (rt) => [
    { inputs: [spikes(rt, [1, 0, 0, 1, 1, 0], [2, 3]), sample(rt, [2, 3]), sample(rt, [3])], attrs: {} },
  ],
});

const castOp = defineOp<{ dtype: DType }>({
  name: 'cast',
  infer: ([x], { dtype }) => [{ shape: x!.shape, dtype }],
  grad: ({ inputs: [x], grads: [g] }) => [g!.cast(gradDType(x!.dtype))],
  examples: (rt) => [
    { inputs: [sample(rt, [2, 3])], attrs: { dtype: 'float64' } },
    { label: 'to int32', inputs: [sample(rt, [3], -3, 3)], attrs: { dtype: 'int32' } },
    { label: 'spike to float32', inputs: [spikes(rt, [0, 1, 1])], attrs: { dtype: 'float32' } },
  ],
});

export const elementwiseOps: OpDef[] = [
  ...UNARY_OPS.map(unaryOp),
  ...ARITHMETIC_OPS.map(arithmeticOp),
  ...COMPARISON_OPS.map(comparisonOp),
  clampOp,
  whereOp,
  castOp,
];

// ------------------------------------------------------------------ functional API

/** A number operand becomes a scalar tensor of the other operand's dtype, on its backend. */
export function lift(x: TensorLike, like: Tensor): Tensor {
  if (typeof x !== 'number') return x;
  const dtype =
    like.dtype === 'spike'
      ? 'float32'
      : like.dtype === 'int32' && !Number.isInteger(x)
        ? 'float32'
        : like.dtype;
  return like.runtime.full([], x, { dtype, backend: like.backend });
}

function binary(name: ArithmeticOp | ComparisonOp, a: TensorLike, b: TensorLike): Tensor {
  if (typeof a === 'number') {
    if (typeof b === 'number') throw new DTypeError(name, 'at least one operand must be a tensor');
    return b.runtime.run1(name, [lift(a, b), b]);
  }
  return a.runtime.run1(name, [a, lift(b, a)]);
}

export const add = (a: TensorLike, b: TensorLike) => binary('add', a, b);
export const sub = (a: TensorLike, b: TensorLike) => binary('sub', a, b);
export const mul = (a: TensorLike, b: TensorLike) => binary('mul', a, b);
export const div = (a: TensorLike, b: TensorLike) => binary('div', a, b);
export const pow = (a: TensorLike, b: TensorLike) => binary('pow', a, b);
export const maximum = (a: TensorLike, b: TensorLike) => binary('maximum', a, b);
export const minimum = (a: TensorLike, b: TensorLike) => binary('minimum', a, b);
export const eq = (a: TensorLike, b: TensorLike) => binary('eq', a, b);
export const ne = (a: TensorLike, b: TensorLike) => binary('ne', a, b);
export const lt = (a: TensorLike, b: TensorLike) => binary('lt', a, b);
export const le = (a: TensorLike, b: TensorLike) => binary('le', a, b);
export const gt = (a: TensorLike, b: TensorLike) => binary('gt', a, b);
export const ge = (a: TensorLike, b: TensorLike) => binary('ge', a, b);

const unary = (name: UnaryOp) => (x: Tensor) => x.runtime.run1(name, [x]);
export const neg = unary('neg');
export const exp = unary('exp');
export const log = unary('log');
export const tanh = unary('tanh');
export const sigmoid = unary('sigmoid');
export const relu = unary('relu');
export const abs = unary('abs');
export const sqrt = unary('sqrt');
export const square = unary('square');
export const sin = unary('sin');
export const cos = unary('cos');
export const sign = unary('sign');
export const floor = unary('floor');
export const round = unary('round');
export const reciprocal = unary('reciprocal');

export function clamp(x: Tensor, min: number, max: number): Tensor {
  return x.runtime.run1('clamp', [x], { min, max });
}

/** Elements of `a` where `cond` is non-zero, of `b` elsewhere (all three broadcast). */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const like = typeof a === 'number' ? (typeof b === 'number' ? cond : b) : a;
  return cond.runtime.run1('where', [cond, lift(a, like), lift(b, like)]);
}

export function cast(x: Tensor, dtype: DType): Tensor {
  if (x.dtype === dtype) return x;
  return x.runtime.run1('cast', [x], { dtype });
}

/** Zeros shaped like `x`, in the dtype of `x`'s gradient, on `x`'s backend. */
export function zerosLike(x: Tensor): Tensor {
  return x.runtime.zeros(x.shape, { dtype: gradDType(x.dtype), backend: x.backend });
}

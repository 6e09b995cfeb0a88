import type { TensorMeta } from '../../backend/contract.js';
import { ShapeError } from '../../errors.js';
import { sample, spdSample } from '../../ops/examples.js';
import { defineOp, type OpDef } from '../../ops/op.js';
import { sumTo } from '../../ops/reduce.js';
import { promote } from '../../tensor/dtype.js';
import { broadcastShapes } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { triangle } from './grad-helpers.js';
import { checkFloat, squareSize } from './shapes.js';

export interface SolveAttrs {
  /** Solve with the transpose of A: Aᵀ·X = B. */
  readonly transpose: boolean;
}

export interface TriangularSolveAttrs extends SolveAttrs {
  /** A is lower triangular (else upper); only that triangle is read. */
  readonly lower: boolean;
}

/** Shape inference shared by both solves: A [..., n, n], B [..., n, k], batch axes broadcast. */
function inferSolve(op: string, [a, b]: readonly TensorMeta[]): TensorMeta[] {
  const n = squareSize(op, a!);
  checkFloat(op, b!);
  const bs = b!.shape;
  if (bs.length < 2) throw new ShapeError(op, 'the right-hand side must be [..., n, k]', [a!.shape, bs]);
  if (bs.at(-2) !== n) {
    throw new ShapeError(op, `the right-hand side has ${bs.at(-2)} rows, the matrix is ${n}×${n}`, [
      a!.shape,
      bs,
    ]);
  }
  const batch = broadcastShapes(op, a!.shape.slice(0, -2), bs.slice(0, -2));
  return [{ shape: [...batch, n, bs.at(-1)!], dtype: promote(a!.dtype, b!.dtype) }];
}

/**
 * X = op(A)⁻¹·B with op(A) = A or Aᵀ. With M = op(A): dB = M⁻ᵀ·G (a solve with the other transpose),
 * dM = −dB·Xᵀ, and dA = dM or dMᵀ.
 */
const solveOp = defineOp<SolveAttrs>({
  name: 'solve',
  infer: (inputs) => inferSolve('solve', inputs),
  grad: ({ inputs: [a, b], outputs: [x], attrs, grads: [g] }) => {
    const gb = rawSolve(a!, g!, !attrs.transpose);
    const ga = a!.requiresGrad
      ? (attrs.transpose ? x!.matmul(gb, { transB: true }) : gb.matmul(x!, { transB: true })).neg()
      : null;
    return [ga && sumTo(ga, a!.shape), b!.requiresGrad ? sumTo(gb, b!.shape) : null];
  },
  examples: (rt) => [
    { inputs: [spdSample(rt, 3).add(sample(rt, [3, 3])), sample(rt, [3, 2])], attrs: { transpose: false } },
    {
      label: 'transposed, batched',
      inputs: [spdSample(rt, 3).add(sample(rt, [2, 3, 3])), sample(rt, [3, 1])],
      attrs: { transpose: true },
    },
  ],
});

/** As `solve` for a triangular A; A's gradient is confined to the triangle that was read. */
const solveTriangularOp = defineOp<TriangularSolveAttrs>({
  name: 'solve_triangular',
  infer: (inputs) => inferSolve('solve_triangular', inputs),
  grad: ({ inputs: [a, b], outputs: [x], attrs, grads: [g] }) => {
    const gb = rawTriangular(a!, g!, attrs.lower, !attrs.transpose);
    const ga = a!.requiresGrad
      ? triangle(
          attrs.transpose ? x!.matmul(gb, { transB: true }) : gb.matmul(x!, { transB: true }),
          attrs.lower,
        ).neg()
      : null;
    return [ga && sumTo(ga, a!.shape), b!.requiresGrad ? sumTo(gb, b!.shape) : null];
  },
  examples: (rt) => [
    { inputs: [spdSample(rt, 3), sample(rt, [3, 2])], attrs: { lower: true, transpose: false } },
    {
      label: 'upper, transposed',
      inputs: [spdSample(rt, 3), sample(rt, [3, 2])],
      attrs: { lower: false, transpose: true },
    },
  ],
});

/** Y = A⁻¹; dA = −Yᵀ·G·Yᵀ. */
const invOp = defineOp({
  name: 'inv',
  infer: ([a]) => {
    squareSize('inv', a!);
    return [{ shape: a!.shape, dtype: a!.dtype }];
  },
  grad: ({ outputs: [y], grads: [g] }) => [
    y!.matmul(g!, { transA: true }).matmul(y!, { transB: true }).neg(),
  ],
  examples: (rt) => [{ inputs: [spdSample(rt, 3).add(sample(rt, [3, 3]))], attrs: {} }],
});

export const solveOps: OpDef[] = [solveOp, solveTriangularOp, invOp];

function rawSolve(a: Tensor, b: Tensor, transpose: boolean): Tensor {
  return a.runtime.run1('solve', [a, b], { transpose } satisfies SolveAttrs);
}

function rawTriangular(a: Tensor, b: Tensor, lower: boolean, transpose: boolean): Tensor {
  return a.runtime.run1('solve_triangular', [a, b], { lower, transpose } satisfies TriangularSolveAttrs);
}

/** Runs a matrix solve with a vector right-hand side [..., n] as a one-column matrix (numpy 2 rule: only 1-D b). */
function withVector(b: Tensor, run: (b2: Tensor) => Tensor): Tensor {
  if (b.rank !== 1) return run(b);
  return run(b.reshape([b.size, 1])).squeeze(-1);
}

/**
 * Solves A·X = B for X, batched over leading axes (which broadcast). A is [..., n, n]; B is
 * [..., n, k], or a vector [n] (then X is [..., n]). `transpose` solves Aᵀ·X = B. Differentiable in
 * both A and B. Throws SingularMatrixError for a singular A.
 */
export function solve(a: Tensor, b: Tensor, options: { transpose?: boolean } = {}): Tensor {
  return withVector(b, (b2) => rawSolve(a, b2, options.transpose ?? false));
}

/**
 * Solves T·X = B (or Tᵀ·X = B) for triangular T [..., n, n] by substitution; only the triangle named
 * by `lower` (default true) is read, and T's gradient lies in that triangle.
 */
export function solveTriangular(
  t: Tensor,
  b: Tensor,
  options: { lower?: boolean; transpose?: boolean } = {},
): Tensor {
  return withVector(b, (b2) => rawTriangular(t, b2, options.lower ?? true, options.transpose ?? false));
}

/** A⁻¹ of each matrix of [..., n, n]. Prefer `solve` to multiplying by an inverse. */
export function inv(a: Tensor): Tensor {
  return a.runtime.run1('inv', [a]);
}

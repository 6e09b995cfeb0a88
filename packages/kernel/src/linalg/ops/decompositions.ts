import { sample, spdSample } from '../../ops/examples.js';
import { defineOp, type OpDef } from '../../ops/op.js';
import type { Tensor } from '../../tensor/tensor.js';
import { constantMatrix, diagEmbed, identityLike, mT, sym } from './grad-helpers.js';
import { squareSize } from './shapes.js';
import { solveTriangular } from './solve.js';

/**
 * L = chol(½(A + Aᵀ)), lower triangular with A = L·Lᵀ. Working on the symmetric part makes the op a
 * function of every entry, so its gradient is the symmetric matrix (Murray 2016, "Differentiation of
 * the Cholesky decomposition"): with Φ(X) the lower triangle of X with its diagonal halved,
 * S = L⁻ᵀ·Φ(Lᵀ·G)·L⁻¹ and dA = ½(S + Sᵀ).
 */
const choleskyOp = defineOp({
  name: 'cholesky',
  infer: ([a]) => {
    squareSize('cholesky', a!);
    return [{ shape: a!.shape, dtype: a!.dtype }];
  },
  grad: ({ outputs: [l], grads: [g] }) => {
    const n = l!.shape.at(-1)!;
    const phi = constantMatrix(l!, n, (i, j) => (i > j ? 1 : i === j ? 0.5 : 0));
    const p = l!.matmul(g!, { transA: true }).mul(phi);
    const x = solveTriangular(l!, p, { lower: true, transpose: true }); // L⁻ᵀ·P
    const sT = solveTriangular(l!, mT(x), { lower: true, transpose: true }); // L⁻ᵀ·Xᵀ = Sᵀ
    return [sym(sT)];
  },
  examples: (rt) => [{ inputs: [spdSample(rt, 3)], attrs: {} }],
});

/**
 * Eigenvalues (ascending, [..., n]) and orthonormal eigenvectors (columns of [..., n, n]) of
 * ½(A + Aᵀ). With F_ij = 1/(λ_j − λ_i) off the diagonal and 0 on it, the gradient is
 * dA = sym(V·(diag(dλ) + F ∘ (Vᵀ·dV))·Vᵀ) — valid only where the eigenvalues are distinct (F blows
 * up as two eigenvalues meet, as the eigenvectors themselves stop being differentiable).
 */
const eighOp = defineOp({
  name: 'eigh',
  infer: ([a]) => {
    squareSize('eigh', a!);
    return [
      { shape: a!.shape.slice(0, -1), dtype: a!.dtype },
      { shape: a!.shape, dtype: a!.dtype },
    ];
  },
  grad: ({ outputs: [w, v], grads: [gw, gv] }) => {
    const n = v!.shape.at(-1)!;
    let inner: Tensor | null = gw ? diagEmbed(gw) : null;
    if (gv) {
      const eye = identityLike(v!, n);
      // λ_j − λ_i, with 1 added on the diagonal so the reciprocal is finite there (then masked out).
      const gap = w!.unsqueeze(-2).sub(w!.unsqueeze(-1)).add(eye);
      const f = gap.reciprocal().mul(eye.neg().add(1));
      const rotated = f.mul(v!.matmul(gv, { transA: true }));
      inner = inner ? inner.add(rotated) : rotated;
    }
    return [sym(v!.matmul(inner!).matmul(v!, { transB: true }))];
  },
  // Eigenvalues near 1, 2 and 4: well separated, where the gradient is defined.
  examples: (rt) => [
    {
      inputs: [
        rt
          .tensor([
            [1, 0, 0],
            [0, 2, 0],
            [0, 0, 4],
          ])
          .add(sample(rt, [3, 3], -0.1, 0.1)),
      ],
      attrs: {},
    },
  ],
});

export const decompositionOps: OpDef[] = [choleskyOp, eighOp];

/**
 * The Cholesky factor L (lower, positive diagonal, A = L·Lᵀ) of each symmetric positive-definite
 * matrix of [..., n, n]. The symmetric part ½(A + Aᵀ) is factored. Throws NotPositiveDefiniteError
 * naming the batch index and the failing pivot.
 */
export function cholesky(a: Tensor): Tensor {
  return a.runtime.run1('cholesky', [a]);
}

/**
 * Eigendecomposition of each symmetric matrix of [..., n, n] (its symmetric part ½(A + Aᵀ) is used):
 * `values` [..., n] ascending, `vectors` [..., n, n] with eigenvector k in column k, signed so that
 * its largest-magnitude entry is positive. Differentiable where the eigenvalues are distinct.
 */
export function eigh(a: Tensor): { values: Tensor; vectors: Tensor } {
  const [values, vectors] = a.runtime.run('eigh', [a]);
  return { values: values!, vectors: vectors! };
}

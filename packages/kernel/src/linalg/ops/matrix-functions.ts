import { where, zerosLike } from '../../ops/elementwise.js';
import { sample, spdSample } from '../../ops/examples.js';
import { concat } from '../../ops/movement.js';
import { defineOp, type OpDef } from '../../ops/op.js';
import type { Tensor } from '../../tensor/tensor.js';
import { cholesky, eigh } from './decompositions.js';
import { diagonal, mT, sym } from './grad-helpers.js';
import { squareSize } from './shapes.js';

/**
 * e^A of each matrix of [..., n, n]. Its vector-Jacobian product is the Fréchet derivative at Aᵀ in
 * the direction G, read from the block identity exp([[Aᵀ, G], [0, Aᵀ]]) = [[e^{Aᵀ}, L(Aᵀ, G)], [0, e^{Aᵀ}]]
 * (Najfeld & Havel 1995), so it is exactly as accurate as the forward expm.
 */
const expmOp = defineOp({
  name: 'expm',
  infer: ([a]) => {
    squareSize('expm', a!);
    return [{ shape: a!.shape, dtype: a!.dtype }];
  },
  grad: ({ inputs: [a], grads: [g] }) => {
    const n = a!.shape.at(-1)!;
    const at = mT(a!);
    const block = concat([concat([at, g!], -1), concat([zerosLike(a!), at], -1)], -2);
    const e = expm(block);
    const lead = a!.shape.slice(0, -2);
    return [e.slice([...lead.map(() => 0), 0, n], [...lead, n, 2 * n])];
  },
  examples: (rt) => [{ inputs: [sample(rt, [3, 3])], attrs: {} }],
});

/** The scalar function behind an SPD matrix function, on eigenvalue tensors: f(λ) and f′(λ). */
interface SpdScalar {
  value(w: Tensor, p: number): Tensor;
  derivative(w: Tensor, fw: Tensor, p: number): Tensor;
}

export const SPD_FUNCTIONS = {
  logm_spd: { value: (w) => w.log(), derivative: (w) => w.reciprocal() },
  sqrtm_spd: { value: (w) => w.sqrt(), derivative: (_w, fw) => fw.reciprocal().mul(0.5) },
  invsqrtm_spd: { value: (w) => w.sqrt().reciprocal(), derivative: (w, fw) => fw.div(w).mul(-0.5) },
  powm_spd: { value: (w, p) => w.pow(p), derivative: (w, _fw, p) => w.pow(p - 1).mul(p) },
} satisfies Record<string, SpdScalar>;

export type SpdFunctionName = keyof typeof SPD_FUNCTIONS;

export interface SpdAttrs {
  /** The exponent, for powm_spd (ignored by the others). */
  readonly power: number;
}

/**
 * f(A) = V·diag(f(λ))·Vᵀ of the symmetric part of each SPD matrix of [..., n, n]. Gradient by the
 * Daleckii–Krein formula: dA = V·(K ∘ (Vᵀ·sym(G)·V))·Vᵀ with K_ij the divided difference
 * (f(λ_i) − f(λ_j))/(λ_i − λ_j), or f′ where the eigenvalues (nearly) coincide — so unlike eigh's
 * gradient it stays finite for repeated eigenvalues.
 */
function spdFunctionOp(name: SpdFunctionName): OpDef<SpdAttrs> {
  const scalar: SpdScalar = SPD_FUNCTIONS[name];
  return defineOp<SpdAttrs>({
    name,
    infer: ([a]) => {
      squareSize(name, a!);
      return [{ shape: a!.shape, dtype: a!.dtype }];
    },
    grad: ({ inputs: [a], attrs, grads: [g] }) => {
      const { values: w, vectors: v } = eigh(a!);
      const fw = scalar.value(w, attrs.power);
      const dfw = scalar.derivative(w, fw, attrs.power);
      const wi = w.unsqueeze(-1);
      const wj = w.unsqueeze(-2);
      const gap = wi.sub(wj);
      // Below √ε relative separation the divided difference loses more digits than f′ is off by.
      const tol = a!.dtype === 'float64' ? 1e-8 : 3e-4;
      const close = gap.abs().le(wi.abs().maximum(wj.abs()).mul(tol));
      const ratio = fw
        .unsqueeze(-1)
        .sub(fw.unsqueeze(-2))
        .div(where(close, 1, gap));
      const k = where(close, dfw.unsqueeze(-1).add(dfw.unsqueeze(-2)).mul(0.5), ratio);
      const inner = k.mul(v.matmul(sym(g!), { transA: true }).matmul(v));
      return [v.matmul(inner).matmul(v, { transB: true })];
    },
    examples: (rt) => [{ inputs: [spdSample(rt, 3)], attrs: { power: name === 'powm_spd' ? 1.5 : 1 } }],
  });
}

export const matrixFunctionOps: OpDef[] = [
  expmOp,
  ...(Object.keys(SPD_FUNCTIONS) as SpdFunctionName[]).map(spdFunctionOp),
];

/** The matrix exponential of each matrix of [..., n, n] (scaling and squaring, Padé 13). */
export function expm(a: Tensor): Tensor {
  return a.runtime.run1('expm', [a]);
}

function spd(name: SpdFunctionName, a: Tensor, power = 1): Tensor {
  return a.runtime.run1(name, [a], { power } satisfies SpdAttrs);
}

/**
 * The matrix logarithm of each SPD matrix of [..., n, n] (its symmetric part is used). Throws
 * NotPositiveDefiniteError for a non-positive eigenvalue.
 */
export function logmSpd(a: Tensor): Tensor {
  return spd('logm_spd', a);
}

/** The SPD square root of each SPD matrix of [..., n, n]. */
export function sqrtmSpd(a: Tensor): Tensor {
  return spd('sqrtm_spd', a);
}

/** A^{-1/2} of each SPD matrix of [..., n, n] (whitening, tangent-space projection). */
export function invsqrtmSpd(a: Tensor): Tensor {
  return spd('invsqrtm_spd', a);
}

/** A^p of each SPD matrix of [..., n, n], for a real exponent p. */
export function powmSpd(a: Tensor, p: number): Tensor {
  return spd('powm_spd', a, p);
}

/** log det A of each SPD matrix of [..., n, n], as 2·Σ log diag(chol(A)): [...]. */
export function logdetSpd(a: Tensor): Tensor {
  return diagonal(cholesky(a)).log().sum(-1).mul(2);
}

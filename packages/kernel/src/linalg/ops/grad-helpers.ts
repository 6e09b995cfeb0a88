import type { Tensor } from '../../tensor/tensor.js';

/** The transpose of the last two axes. */
export function mT(x: Tensor): Tensor {
  return x.transpose(-2, -1);
}

/** ½(X + Xᵀ) over the last two axes. */
export function sym(x: Tensor): Tensor {
  return x.add(mT(x)).mul(0.5);
}

/**
 * A constant n×n float tensor in `like`'s dtype and on its backend, entry (i, j) = value(i, j). Used
 * for the masks and identities the gradient formulas multiply by (they broadcast over batch axes).
 */
export function constantMatrix(like: Tensor, n: number, value: (i: number, j: number) => number): Tensor {
  const data = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) data[i * n + j] = value(i, j);
  const dtype = like.dtype === 'float64' ? 'float64' : 'float32';
  return like.runtime.fromArray(data, [n, n], { dtype, backend: like.backend });
}

export function identityLike(like: Tensor, n: number): Tensor {
  return constantMatrix(like, n, (i, j) => (i === j ? 1 : 0));
}

/** Keeps the lower (or upper) triangle, diagonal included. */
export function triangle(x: Tensor, lower: boolean): Tensor {
  const n = x.shape.at(-1)!;
  return x.mul(constantMatrix(x, n, (i, j) => ((lower ? i >= j : i <= j) ? 1 : 0)));
}

/** diag(v) for v [..., n]: [..., n, n]. */
export function diagEmbed(v: Tensor): Tensor {
  const n = v.shape.at(-1)!;
  return v.unsqueeze(-1).mul(identityLike(v, n));
}

/** The diagonal [..., n] of [..., n, n]: every (n+1)-th entry of the flattened matrix. */
export function diagonal(x: Tensor): Tensor {
  const n = x.shape.at(-1)!;
  const lead = x.shape.slice(0, -2);
  const flat = x.reshape([...lead, n * n]);
  return flat.slice(
    lead.map(() => 0).concat([0]),
    lead.map((d) => d).concat([n * n]),
    lead.map(() => 1).concat([n + 1]),
  );
}

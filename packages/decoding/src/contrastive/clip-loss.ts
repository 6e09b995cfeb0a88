import { crossEntropy, ShapeError, type Tensor } from '@neurite/kernel';

/**
 * brainmagick's contrastive scores (methods.md §8): s_ij = ⟨Z_i, Y_j⟩_F / ‖Y_j‖_F over [C, T], only the
 * candidate normalised and no temperature. Z [B, C, T] (brain → stimulus space), Y [N, C, T] candidates.
 */
export function clipScores(z: Tensor, y: Tensor): Tensor {
  if (z.rank !== 3 || y.rank !== 3 || z.shape[1] !== y.shape[1] || z.shape[2] !== y.shape[2]) {
    throw new ShapeError('clipScores', 'expects Z [B, C, T] and Y [N, C, T] with equal C and T', [
      z.shape,
      y.shape,
    ]);
  }
  const zf = z.reshape([z.shape[0]!, -1]);
  const yf = y.reshape([y.shape[0]!, -1]);
  const norms = yf.square().sum(1).sqrt().add(1e-8);
  return zf.matmul(yf, { transB: true }).div(norms.reshape([1, -1]));
}

/**
 * The CLIP loss of brainmagick: cross-entropy of each brain segment's scores against its own stimulus
 * (candidate i for Z_i), brain → stimulus only; candidates past B act only as negatives.
 */
export function clipLoss(z: Tensor, y: Tensor): Tensor {
  const b = z.shape[0]!;
  if (y.shape[0]! < b)
    throw new ShapeError('clipLoss', `needs at least as many candidates as brain segments (${b})`, [
      z.shape,
      y.shape,
    ]);
  const targets = z.runtime.arange(0, b, 1, { dtype: 'int32' });
  return crossEntropy(clipScores(z, y), targets);
}

/** Top-k retrieval accuracy: the fraction of rows whose true candidate (the diagonal) ranks in the top k. */
export function topKAccuracy(scores: ArrayLike<number>, rows: number, candidates: number, k: number): number {
  let hits = 0;
  for (let i = 0; i < rows; i++) {
    const own = scores[i * candidates + i]!;
    let better = 0;
    for (let j = 0; j < candidates; j++) if (j !== i && scores[i * candidates + j]! > own) better++;
    if (better < k) hits++;
  }
  return hits / rows;
}

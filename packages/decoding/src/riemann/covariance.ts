import { ValidationError } from '@neurite/kernel';

/**
 * Sample covariance of a trial [channels × samples] (row-major), rows centred, divided by samples − 1,
 * plus `ridge` × (trace / channels) on the diagonal so nearly singular trials stay positive definite.
 */
export function covariance(
  trial: ArrayLike<number>,
  channels: number,
  samples: number,
  ridge = 1e-8,
): Float64Array {
  if (trial.length !== channels * samples || samples < 2) {
    throw new ValidationError('covariance', [
      { path: 'trial', message: `needs ${channels} × ${samples} values (found ${trial.length})` },
    ]);
  }
  const means = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    let m = 0;
    for (let k = 0; k < samples; k++) m += trial[c * samples + k]!;
    means[c] = m / samples;
  }
  const out = new Float64Array(channels * channels);
  for (let i = 0; i < channels; i++) {
    for (let j = 0; j <= i; j++) {
      let s = 0;
      const mi = means[i]!;
      const mj = means[j]!;
      for (let k = 0; k < samples; k++) s += (trial[i * samples + k]! - mi) * (trial[j * samples + k]! - mj);
      out[i * channels + j] = out[j * channels + i] = s / (samples - 1);
    }
  }
  let trace = 0;
  for (let i = 0; i < channels; i++) trace += out[i * channels + i]!;
  for (let i = 0; i < channels; i++)
    out[i * channels + i] = out[i * channels + i]! + (ridge * trace) / channels;
  return out;
}

/**
 * Augmented (delay-embedded) trial for order m and lag τ (Carrara & Papadopoulo; MOABB's
 * AugmentedDataset): the blocks X[:, p·τ : T − (m − p)·τ] for p = 0..m−1 stacked over channels, giving
 * [m·C × (T − m·τ)].
 */
export function augment(
  trial: ArrayLike<number>,
  channels: number,
  samples: number,
  order: number,
  lag: number,
): Float64Array {
  if (!Number.isInteger(order) || order < 1 || !Number.isInteger(lag) || lag < 1 || order * lag >= samples) {
    throw new ValidationError('augment', [
      {
        path: 'order/lag',
        message: `need integers ≥ 1 with order × lag < ${samples} samples (were ${order}, ${lag})`,
      },
    ]);
  }
  const length = samples - order * lag;
  const out = new Float64Array(order * channels * length);
  for (let p = 0; p < order; p++) {
    for (let c = 0; c < channels; c++) {
      const src = c * samples + p * lag;
      const dst = (p * channels + c) * length;
      for (let k = 0; k < length; k++) out[dst + k] = trial[src + k]!;
    }
  }
  return out;
}

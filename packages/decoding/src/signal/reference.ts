import { ValidationError } from '@neurite/kernel';

/** Subtracts the mean over channels at every sample (common average reference). */
export function averageReference(
  channels: readonly Float32Array[] | readonly Float64Array[],
): Float64Array[] {
  const n = channels[0]?.length ?? 0;
  if (channels.some((c) => c.length !== n))
    throw new ValidationError('averageReference', [
      { path: 'channels', message: 'all channels need the same length' },
    ]);
  const mean = new Float64Array(n);
  for (const c of channels) for (let k = 0; k < n; k++) mean[k] = mean[k]! + c[k]! / channels.length;
  return channels.map((c) => Float64Array.from(c, (v, k) => v - mean[k]!));
}

/** Subtracts channel `reference` (or the mean of several) from every channel. */
export function channelReference(
  channels: readonly Float32Array[] | readonly Float64Array[],
  reference: number | readonly number[],
): Float64Array[] {
  const refs = typeof reference === 'number' ? [reference] : [...reference];
  if (refs.length === 0 || refs.some((r) => !Number.isInteger(r) || r < 0 || r >= channels.length)) {
    throw new ValidationError('channelReference', [
      {
        path: 'reference',
        message: `must index one of ${channels.length} channels (was ${refs.join(', ')})`,
      },
    ]);
  }
  const n = channels[0]!.length;
  const ref = new Float64Array(n);
  for (const r of refs) for (let k = 0; k < n; k++) ref[k] = ref[k]! + channels[r]![k]! / refs.length;
  return channels.map((c) => Float64Array.from(c, (v, k) => v - ref[k]!));
}

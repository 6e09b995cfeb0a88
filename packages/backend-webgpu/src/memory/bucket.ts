/** Smallest buffer the pools hand out: tiny tensors (scalars) all share one bucket. */
const MIN_BUCKET = 256;

/**
 * The pool bucket for a size: the next of 2^k and 1.5·2^k at or above it, so a reused buffer wastes at
 * most a third of itself and a handful of buckets cover every size a training loop asks for.
 */
export function bucketOf(bytes: number): number {
  if (bytes <= MIN_BUCKET) return MIN_BUCKET;
  const pow = 2 ** Math.ceil(Math.log2(bytes));
  const threeQuarters = (pow / 4) * 3;
  return bytes <= threeQuarters ? threeQuarters : pow;
}

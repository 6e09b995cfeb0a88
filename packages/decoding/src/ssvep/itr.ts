import { ValidationError } from '@neurite/kernel';

/**
 * Information transfer rate in bits per minute for M targets, accuracy p and selection time t seconds
 * (Deep-SSVEP-BCI's `itr.m`): (log2 M + p log2 p + (1 − p) log2((1 − p)/(M − 1))) · 60/t; log2(M)·60/t
 * at p = 1 and 0 below chance (p < 1/M).
 */
export function itr(p: number, m: number, t: number): number {
  if (!(p >= 0 && p <= 1) || !Number.isInteger(m) || m < 2 || !(t > 0)) {
    throw new ValidationError('itr', [
      { path: 'p/M/t', message: `need 0 ≤ p ≤ 1, integer M ≥ 2, t > 0 (were ${p}, ${m}, ${t})` },
    ]);
  }
  if (p < 1 / m) return 0;
  if (p === 1) return (Math.log2(m) * 60) / t;
  return ((Math.log2(m) + p * Math.log2(p) + (1 - p) * Math.log2((1 - p) / (m - 1))) * 60) / t;
}

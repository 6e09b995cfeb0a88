/**
 * Counter-based random numbers: element i of a random tensor is a pure function of (key, i). Every
 * backend (TypeScript, WebAssembly, WGSL) computes the same bits in any order and in parallel, so
 * results do not depend on the backend or the thread count. The mixer is a 32-bit avalanche hash
 * applied twice with the two key words (the structure of Philox-like "hash the counter" generators).
 */
export function hash32(k0: number, k1: number, counter: number): number {
  let h = (counter ^ k0) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  h = (h ^ (h >>> 16) ^ k1) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

const TWO_TO_MINUS_24 = 2 ** -24;
const TWO_PI = 2 * Math.PI;

/** Uniform in [0, 1) from 24 bits, exactly representable in float32. */
export function uniformAt(k0: number, k1: number, i: number): number {
  return (hash32(k0, k1, i) >>> 8) * TWO_TO_MINUS_24;
}

/** Standard normal at index i (Box–Muller over the counters 2i and 2i+1; the cosine branch). */
export function normalAt(k0: number, k1: number, i: number): number {
  const u = ((hash32(k0, k1, 2 * i) >>> 8) + 1) * TWO_TO_MINUS_24;
  const v = (hash32(k0, k1, 2 * i + 1) >>> 8) * TWO_TO_MINUS_24;
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(TWO_PI * v);
}

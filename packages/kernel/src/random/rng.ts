/**
 * Seeded, splittable pseudo-random streams (xoshiro128**, seeded through SplitMix32). `split()` derives an
 * independent child stream, so a layer or a data loader owns its randomness and the results for a given
 * seed do not depend on the order in which other parts of the program draw numbers.
 */
export class Rng {
  #s0: number;
  #s1: number;
  #s2: number;
  #s3: number;
  #spare: number | null = null;

  constructor(seed: number) {
    let x = seed >>> 0 || 0x9e3779b9;
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    // Mix the high bits of large seeds in too (seeds up to 2^53 are distinct).
    const high = Math.floor(seed / 0x100000000) >>> 0;
    this.#s0 = next() ^ high;
    this.#s1 = next();
    this.#s2 = next();
    this.#s3 = next() | 1;
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextUint32(): number {
    const s0 = this.#s0;
    const s1 = this.#s1;
    const s2 = this.#s2;
    const s3 = this.#s3;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    this.#s2 = s2 ^ s0;
    this.#s3 = s3 ^ s1;
    this.#s1 = s1 ^ this.#s2;
    this.#s0 = s0 ^ this.#s3;
    this.#s2 ^= t;
    this.#s3 = rotl(this.#s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 53 bits of resolution. */
  uniform(): number {
    return (this.nextUint32() * 2 ** 21 + (this.nextUint32() >>> 11)) / 2 ** 53;
  }

  /** Standard normal (Box–Muller, the second value cached). */
  normal(): number {
    if (this.#spare !== null) {
      const s = this.#spare;
      this.#spare = null;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.#spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A fresh independent stream derived from this one. */
  split(): Rng {
    return new Rng(this.nextUint32() * 0x100000 + (this.nextUint32() >>> 12));
  }

  /** A key for the counter-based generator kernels use (see counter.ts). */
  nextKey(): [number, number] {
    return [this.nextUint32(), this.nextUint32()];
  }

  /** The full generator state, for checkpoints: resuming from it continues the identical sequence. */
  getState(): (number | null)[] {
    return [this.#s0 >>> 0, this.#s1 >>> 0, this.#s2 >>> 0, this.#s3 >>> 0, this.#spare];
  }

  setState(state: readonly (number | null)[]): void {
    const words = state.slice(0, 4);
    if (state.length !== 5 || words.some((v) => !Number.isInteger(v))) {
      throw new RangeError('Rng.setState: expected [s0, s1, s2, s3, spare]');
    }
    [this.#s0, this.#s1, this.#s2, this.#s3] = words.map((v) => (v as number) | 0) as [
      number,
      number,
      number,
      number,
    ];
    this.#spare = state[4] ?? null;
  }

  /** Fisher–Yates permutation of 0..n-1. */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

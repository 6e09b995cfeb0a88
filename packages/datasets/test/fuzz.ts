import { FormatError, Rng } from '@neurite/kernel';
import { expect } from 'vitest';
import type { EventStream } from '../src/index.js';

const EXTREMES = [0, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 1, 0x10000, 0x3fffffff];

/** One random structural change to a file: bit flips, byte writes, extreme integers, cuts, deletions, copies. */
export function mutate(input: Uint8Array, rng: Rng): Uint8Array {
  let bytes = input.slice();
  const steps = 1 + rng.int(3);
  for (let s = 0; s < steps; s++) {
    const n = bytes.length;
    const at = n ? rng.int(n) : 0;
    switch (rng.int(7)) {
      case 0:
        for (let k = 1 + rng.int(8); k > 0 && n; k--) bytes[rng.int(n)]! ^= 1 << rng.int(8);
        break;
      case 1:
        for (let k = 1 + rng.int(4); k > 0 && n; k--) bytes[rng.int(n)] = rng.int(256);
        break;
      case 2: {
        const v = EXTREMES[rng.int(EXTREMES.length)]!;
        for (let k = 0; k < 4 && at + k < n; k++)
          bytes[at + k] = (v >>> (8 * (rng.int(2) ? k : 3 - k))) & 0xff;
        break;
      }
      case 3:
        bytes = bytes.slice(0, rng.int(n + 1));
        break;
      case 4: {
        const len = rng.int(Math.min(64, n - at) + 1);
        bytes = Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + len)]);
        break;
      }
      case 5: {
        const len = rng.int(Math.min(64, n - at) + 1);
        const copy = bytes.slice(at, at + len);
        const to = rng.int(n + 1);
        bytes = Uint8Array.from([...bytes.subarray(0, to), ...copy, ...bytes.subarray(to)]);
        break;
      }
      default:
        bytes = Uint8Array.from([...bytes, ...Array.from({ length: 1 + rng.int(16) }, () => rng.int(256))]);
    }
  }
  return bytes;
}

/** Checks that a decoded event stream is well formed: equal lengths, sorted times, coordinates in range. */
export function checkEvents(e: EventStream): void {
  const n = e.t.length;
  expect(e.p.length).toBe(n);
  for (let i = 0; i < n; i++) {
    if (!(e.t[i]! >= (i ? e.t[i - 1]! : Number.NEGATIVE_INFINITY)) || !Number.isFinite(e.t[i]!))
      throw new Error(`time ${i} out of order`);
    if (e.p[i]! > 1) throw new Error(`polarity ${e.p[i]}`);
  }
  if (e.kind === 'camera') {
    expect(e.x.length).toBe(n);
    expect(e.y.length).toBe(n);
    for (let i = 0; i < n; i++)
      if (e.x[i]! >= e.sensor[0] || e.y[i]! >= e.sensor[1]) throw new Error(`event ${i} outside the sensor`);
  } else {
    expect(e.channel.length).toBe(n);
    for (let i = 0; i < n; i++)
      if (e.channel[i]! >= e.channels) throw new Error(`channel ${e.channel[i]} of ${e.channels}`);
  }
}

export interface FuzzReport {
  readonly cases: number;
  readonly valid: number;
  readonly formatErrors: number;
  readonly slowestMs: number;
}

/**
 * Mutates `seed` `cases` times (seeded) and runs `read` on each: every case must return output that
 * `check` accepts or throw a `FormatError`; anything else fails, naming the case. Each case's time is
 * measured, so a hang shows as a case over the bound instead of a stuck test.
 */
export async function fuzz<T>(
  seed: Uint8Array,
  read: (bytes: Uint8Array) => T | Promise<T>,
  check: (output: T) => void,
  options: { cases: number; seed: number },
): Promise<FuzzReport> {
  const rng = new Rng(options.seed);
  let valid = 0;
  let formatErrors = 0;
  let slowestMs = 0;
  for (let c = 0; c < options.cases; c++) {
    const bytes = mutate(seed, rng);
    const start = performance.now();
    try {
      const out = await read(bytes);
      check(out);
      valid++;
    } catch (error) {
      if (!(error instanceof FormatError)) {
        throw new Error(`case ${c} (seed ${options.seed}): ${(error as Error)?.stack ?? String(error)}`);
      }
      formatErrors++;
    }
    slowestMs = Math.max(slowestMs, performance.now() - start);
  }
  return { cases: options.cases, valid, formatErrors, slowestMs };
}

/** The hang guard: no single case may take this long (real cases take well under a millisecond or a few). */
export const CASE_TIME_BOUND_MS = 2000;

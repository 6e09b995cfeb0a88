import { readFileSync } from 'node:fs';
import {
  createRuntime,
  decodeSafetensors,
  encodeSafetensorsArrays,
  FormatError,
  type SafetensorsContents,
  sizeOf,
} from '@neurite/kernel';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

// Seeded mutations of valid files: every mutant must either load as a consistent set of tensors or be
// refused with a FormatError, never another exception, a hang or an allocation sized by a bad header.

const rt = createRuntime();
const SEED = 20_240_611;
const RUNS = 2000;
/**
 * A guard against pathological slowness (a loop or an allocation driven by a corrupted number), not a
 * speed measurement: a case takes well under a millisecond, the bound is thousands of times that.
 */
const CASE_BOUND_MS = 2000;

const ours = encodeSafetensorsArrays(
  [
    {
      name: 'w',
      dtype: 'float32',
      shape: [3, 4],
      data: Float32Array.from({ length: 12 }, (_, i) => i / 7 - 1),
    },
    { name: 'd', dtype: 'float64', shape: [2], data: new Float64Array([Math.PI, -0]) },
    { name: 'i', dtype: 'int32', shape: [3], data: new Int32Array([5, -6, 7]) },
    { name: 's', dtype: 'spike', shape: [5], data: new Uint8Array([1, 0, 0, 1, 1]) },
    { name: 'e', dtype: 'float32', shape: [0, 2], data: new Float32Array(0) },
  ],
  { epoch: '12' },
);
const peer = new Uint8Array(readFileSync(new URL('./fixtures/peer-dtypes.safetensors', import.meta.url)));
const bases = [ours, peer];

function headerEnd(bytes: Uint8Array): number {
  return 8 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(0, true);
}

/** How many mutants of the running property loaded and how many were refused. */
const outcomes = { loaded: 0, refused: 0 };

/** Decodes a mutant; fails the property on anything but a FormatError or a consistent result. */
function check(bytes: Uint8Array): void {
  const started = performance.now();
  let result: SafetensorsContents | null = null;
  try {
    result = decodeSafetensors(bytes, rt, { file: 'mutant.safetensors' });
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    outcomes.refused++;
    expect(e.file).toBe('mutant.safetensors');
    expect(e.offset === undefined || (e.offset >= 0 && e.offset <= bytes.length)).toBe(true);
  }
  expect(performance.now() - started).toBeLessThan(CASE_BOUND_MS);
  if (!result) return;
  outcomes.loaded++;
  // A file that loads holds tensors whose data fits their shapes and no more than the file's bytes.
  let elements = 0;
  for (const t of result.tensors.values()) {
    const data = t.dataSync();
    expect(data.length).toBe(sizeOf(t.shape));
    if (t.dtype === 'spike') expect(data.every((v) => v === 0 || v === 1)).toBe(true);
    elements += data.length;
  }
  expect(elements).toBeLessThanOrEqual(bytes.length);
  for (const v of Object.values(result.metadata)) expect(typeof v).toBe('string');
}

const base = fc.constantFrom(...bases);

/** Runs a property over RUNS mutants and returns how many loaded and how many were refused. */
function fuzz(mutant: fc.Arbitrary<Uint8Array>, seed: number): { loaded: number; refused: number } {
  outcomes.loaded = 0;
  outcomes.refused = 0;
  fc.assert(fc.property(mutant, check), { seed, numRuns: RUNS });
  return { ...outcomes };
}

describe('safetensors fuzz (seeded mutations, each a FormatError or a valid result)', () => {
  it('survives byte overwrites anywhere, concentrated in the header', () => {
    const mutant = base.chain((bytes) =>
      fc
        .array(
          fc.record({
            // Half in the header (structure), half in the data (values: spikes, 64-bit integers).
            at: fc.oneof(
              fc.nat({ max: headerEnd(bytes) - 1 }),
              fc.integer({ min: headerEnd(bytes), max: bytes.length - 1 }),
            ),
            value: fc.oneof(
              fc.integer({ min: 0, max: 255 }),
              fc.constantFrom(...'{}[]",:0123456789 \\'.split('').map((c) => c.charCodeAt(0))),
            ),
          }),
          { minLength: 1, maxLength: 6 },
        )
        .map((edits) => {
          const out = bytes.slice();
          for (const { at, value } of edits) out[at] = value;
          return out;
        }),
    );
    const { loaded, refused } = fuzz(mutant, SEED);
    // Both outcomes occur often, so the property is exercised on both sides.
    expect(loaded).toBeGreaterThan(RUNS / 10);
    expect(refused).toBeGreaterThan(RUNS / 10);
  });

  it('survives truncation, insertion and deletion', () => {
    const mutant = base.chain((bytes) =>
      fc.oneof(
        fc.nat({ max: bytes.length }).map((n) => bytes.slice(0, n)),
        fc
          .tuple(fc.nat({ max: bytes.length }), fc.uint8Array({ minLength: 1, maxLength: 16 }))
          .map(([at, extra]) => Uint8Array.from([...bytes.subarray(0, at), ...extra, ...bytes.subarray(at)])),
        fc
          .tuple(fc.nat({ max: bytes.length - 1 }), fc.integer({ min: 1, max: 16 }))
          .map(([at, n]) => Uint8Array.from([...bytes.subarray(0, at), ...bytes.subarray(at + n)])),
      ),
    );
    const { refused } = fuzz(mutant, SEED + 1);
    expect(refused).toBeGreaterThan(RUNS / 2);
  });

  it('survives hostile header lengths and numbers in the header', () => {
    const mutant = base.chain((bytes) => {
      const text = new TextDecoder().decode(bytes.subarray(8, headerEnd(bytes)));
      const numbers = [...text.matchAll(/\d+/g)].map((m) => ({ at: 8 + m.index, length: m[0].length }));
      return fc.oneof(
        // The length field: huge, just off, or zero.
        fc
          .oneof(
            fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
            fc.integer({ min: -16, max: 16 }).map((d) => BigInt(Math.max(0, headerEnd(bytes) - 8 + d))),
          )
          .map((n) => {
            const out = bytes.slice();
            new DataView(out.buffer).setBigUint64(0, n, true);
            return out;
          }),
        // A number in the header (a dimension or an offset) replaced by another, often enormous.
        fc
          .tuple(
            fc.constantFrom(...numbers),
            fc.oneof(
              fc.nat({ max: 64 }).map(String),
              fc.constantFrom('2147483648', '4294967296', '9007199254740993', '1e300', '-1', '1.5'),
            ),
          )
          .map(([{ at, length }, value]) => {
            const replaced = `${text.slice(0, at - 8)}${value}${text.slice(at - 8 + length)}`;
            const header = new TextEncoder().encode(replaced);
            const out = new Uint8Array(8 + header.length + (bytes.length - headerEnd(bytes)));
            new DataView(out.buffer).setUint32(0, header.length, true);
            out.set(header, 8);
            out.set(bytes.subarray(headerEnd(bytes)), 8 + header.length);
            return out;
          }),
      );
    });
    const { loaded, refused } = fuzz(mutant, SEED + 2);
    expect(loaded).toBeGreaterThan(0);
    expect(refused).toBeGreaterThan(RUNS / 2);
  });

  it('survives arbitrary bytes', () => {
    const { refused } = fuzz(fc.uint8Array({ maxLength: 256 }), SEED + 3);
    expect(refused).toBe(RUNS);
  });
});

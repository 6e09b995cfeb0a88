import { describe, expect, it, vi } from 'vitest';
import { readShd, type SpikeTrainSet, writeShd } from '../src/index.js';
import { CASE_TIME_BOUND_MS, fuzz } from './fuzz.js';

const CASES = 1500;

describe(`fuzzing the SHD reader (h5wasm): ${CASES} seeded mutations of a written file`, () => {
  it('gives a FormatError or a well-formed set', async () => {
    // The HDF5 library prints its error stack for every corrupted file (and the readers turn those
    // errors into FormatErrors). h5wasm binds console.error when it loads, which happens on the first
    // read below, so silencing it here keeps the log readable.
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const seed = writeShd({
      times: [Float32Array.of(0.001, 0.5), Float32Array.of(), Float32Array.of(0.25, 0.75, 1)],
      units: [Uint16Array.of(1, 699), Uint16Array.of(), Uint16Array.of(3, 4, 5)],
      labels: Uint16Array.of(0, 1, 2),
      speakers: Uint16Array.of(0, 0, 1),
      keys: ['zero', 'one', 'two'],
    });
    const check = (set: SpikeTrainSet) => {
      expect(set.units.length).toBe(set.times.length);
      expect(set.labels.length).toBe(set.times.length);
      set.times.forEach((t, i) => {
        expect(set.units[i]!.length).toBe(t.length);
      });
    };
    check(await readShd(seed));
    const report = await fuzz(seed, (b) => readShd(b), check, { cases: CASES, seed: 7 });
    expect(report.valid + report.formatErrors).toBe(CASES);
    expect(report.formatErrors).toBeGreaterThan(0);
    expect(report.slowestMs).toBeLessThan(CASE_TIME_BOUND_MS);
  });
});

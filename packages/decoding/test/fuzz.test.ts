import { NeuriteError, Rng } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { readBrainVision } from '../src/formats/brainvision.js';
import { readEdf } from '../src/formats/edf.js';
import { readGdf } from '../src/formats/gdf.js';
import { readMat } from '../src/formats/mat.js';
import { recordingFromMat, spikeTrainsFromMat } from '../src/formats/mat-content.js';
import { loadH5wasm, readNwbUnits } from '../src/formats/nwb.js';
import { readTextColumns } from '../src/formats/text-series.js';
import { readTracker } from '../src/formats/tracker.js';
import { readXdf } from '../src/formats/xdf.js';
import type { Recording } from '../src/recording.js';
import { dataBytes } from './fixtures.js';
import { writeBrainVisionFloat32, writeEdfPlus, writeGdf2, writeMat, writeXdf } from './writers.js';

/** A hang guard, not a speed check: any case this slow means a reader loops on garbage. */
const CASE_LIMIT_MS = 5000;

/** One random corruption of `seed`: byte flips, truncation, insertion, or a huge 32-bit field. */
function mutate(seed: Uint8Array, rng: Rng): Uint8Array {
  const kind = rng.int(5);
  if (kind === 0) return seed.subarray(0, rng.int(seed.length + 1));
  const out = Uint8Array.from(seed);
  if (kind === 1) {
    for (let i = 0, n = 1 + rng.int(8); i < n; i++) out[rng.int(out.length)] = rng.int(256);
    return out;
  }
  if (kind === 2) {
    const at = rng.int(out.length);
    const extra = Uint8Array.from({ length: 1 + rng.int(16) }, () => rng.int(256));
    return Uint8Array.from([...out.subarray(0, at), ...extra, ...out.subarray(at)]);
  }
  if (kind === 3) {
    // A field set to an extreme: 0xFFFFFFFF, 0x7FFFFFFF or 0.
    const at = rng.int(Math.max(1, out.length - 4));
    const value = [0xffffffff, 0x7fffffff, 0, 0x80000000][rng.int(4)]!;
    new DataView(out.buffer).setUint32(at, value, true);
    return out;
  }
  // Digits in ASCII headers replaced by other digits or a minus sign.
  for (let i = 0, n = 1 + rng.int(4); i < n; i++) {
    const at = rng.int(Math.min(out.length, 2048));
    if (out[at]! >= 0x30 && out[at]! <= 0x39) out[at] = '0123456789-9'.charCodeAt(rng.int(12));
  }
  return out;
}

function checkRecording(rec: Recording): void {
  expect(rec.data.length).toBe(rec.channels.length);
  for (const a of rec.annotations) expect(typeof a.onset).toBe('number');
}

async function fuzz(
  name: string,
  seeds: Uint8Array[],
  cases: number,
  read: (bytes: Uint8Array) => unknown | Promise<unknown>,
): Promise<{ ok: number; rejected: number }> {
  const rng = new Rng(0x5eed ^ name.length);
  let ok = 0;
  let rejected = 0;
  for (let c = 0; c < cases; c++) {
    const bytes = mutate(seeds[c % seeds.length]!, rng);
    const start = performance.now();
    try {
      await read(bytes);
      ok++;
    } catch (error) {
      if (!(error instanceof NeuriteError)) {
        throw new Error(
          `${name} case ${c}: ${(error as Error)?.constructor?.name}: ${(error as Error)?.message}`,
          { cause: error },
        );
      }
      rejected++;
    }
    const elapsed = performance.now() - start;
    if (elapsed > CASE_LIMIT_MS) throw new Error(`${name} case ${c} took ${elapsed.toFixed(0)} ms`);
  }
  return { ok, rejected };
}

describe('seeded mutation fuzzing: every corrupted input gives a typed error or a valid recording', () => {
  it('EDF+ and BDF', async () => {
    const edf = writeEdfPlus({
      signals: [
        {
          label: 'Fz',
          unit: 'uV',
          physMin: -100,
          physMax: 100,
          digMin: -2048,
          digMax: 2047,
          samplesPerRecord: 8,
        },
      ],
      records: 4,
      recordSeconds: 0.5,
      digital: (_, r) => Array.from({ length: 8 }, (_, k) => k * r),
      tals: [
        '+0\x14\x14\x00+0.1\x14a\x14\x00',
        '+0.5\x14\x14\x00',
        '+1\x14\x14\x00+1.2\x150.1\x14b\x14\x00',
        '+1.5\x14\x14\x00',
      ],
    });
    const bdf = dataBytes('eeg/mne_test_bdf_stim_channel.bdf').subarray(0, 1280 + 3 * 2000 * 2);
    const r = await fuzz('edf', [edf, bdf], 3000, (b) => checkRecording(readEdf(b)));
    expect(r.rejected).toBeGreaterThan(100);
    expect(r.ok).toBeGreaterThan(100);
  });

  it('GDF 1.x and 2.x', async () => {
    const gdf2 = writeGdf2({
      labels: ['a', 'b'],
      rate: 100,
      samples: [
        [1, 2, 3, 4],
        [5, 6, 7, 8],
      ],
      physMin: -1,
      physMax: 1,
      events: [{ pos: 2, typ: 1, chn: 1, dur: 1 }],
    });
    const real = dataBytes('eeg/biosig_sample.gdf');
    // The real header with its first records and the event table spliced after them.
    const records = 200;
    const head = real.subarray(0, 1280 + records * 8);
    const patched = Uint8Array.from([...head, ...real.subarray(real.length - 2408)]);
    new DataView(patched.buffer).setBigInt64(236, BigInt(records), true);
    const r = await fuzz('gdf', [gdf2, patched], 2000, (b) => checkRecording(readGdf(b)));
    expect(r.rejected).toBeGreaterThan(100);
    expect(r.ok).toBeGreaterThan(100);
  });

  it('BrainVision (header, data and markers each corrupted)', async () => {
    const files = writeBrainVisionFloat32(
      [
        { name: 'a', values: [1, 2, 3, 4] },
        { name: 'b', values: [5, 6, 7, 8] },
      ],
      1000,
      ['Stimulus,S  1,2,1,0'],
    );
    const rng = new Rng(9);
    const r = await fuzz('brainvision', [files.header, files.markers, files.data], 3000, (b) => {
      const which = rng.int(3);
      checkRecording(
        readBrainVision({
          header: which === 0 ? b : files.header,
          markers: which === 1 ? b : files.markers,
          data: which === 2 ? b : files.data,
        }),
      );
    });
    expect(r.rejected).toBeGreaterThan(50);
  });

  it('XDF', async () => {
    const r = await fuzz(
      'xdf',
      [writeXdf(20, 50), dataBytes('eeg/eeglab_test.xdf').subarray(0, 4000)],
      3000,
      (b) => checkRecording(readXdf(b)),
    );
    expect(r.rejected).toBeGreaterThan(100);
  });

  it('MAT v5 (plain and compressed elements)', async () => {
    const r = await fuzz(
      'mat',
      [writeMat(), dataBytes('spikes/nelpy_lineartrack_spikes.mat').subarray(0, 6000)],
      3000,
      (b) => {
        const mat = readMat(b);
        recordingFromMat(mat);
        spikeTrainsFromMat(mat);
      },
    );
    expect(r.rejected).toBeGreaterThan(100);
  });

  it('tracker files and text series', async () => {
    const tracker = new TextEncoder().encode(
      '<Start settings>\nclockrate: 30000\nFields: <time uint32><xloc uint16><yloc uint16>\n<End settings>\n',
    );
    const records = new Uint8Array(80);
    const seed = Uint8Array.from([...tracker, ...records]);
    await fuzz('tracker', [seed], 2000, (b) => readTracker(b));
    const text = new TextEncoder().encode('# comment\n0 0.5\n50 0.25\n100 0.125\n');
    await fuzz('text', [text], 2000, (b) => readTextColumns(new TextDecoder().decode(b)));
  });

  it('NWB through h5wasm', async () => {
    const h5 = await loadH5wasm();
    const { FS } = await h5.ready;
    const f = new h5.File('/fuzz-seed.nwb', 'w');
    f.create_attribute('nwb_version', '2.7.0');
    const units = f.create_group('units');
    units.create_dataset({ name: 'spike_times', data: new Float64Array([0.1, 0.2, 0.3]) });
    units.create_dataset({ name: 'spike_times_index', data: new Int32Array([1, 3]) });
    f.close();
    const seed = FS.readFile('/fuzz-seed.nwb');
    FS.unlink('/fuzz-seed.nwb');
    const r = await fuzz('nwb', [seed], 400, (b) => readNwbUnits(b));
    expect(r.rejected).toBeGreaterThan(10);
  });
});

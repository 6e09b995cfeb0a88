import { FormatError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { readBrainVision } from '../src/formats/brainvision.js';
import { readEdf } from '../src/formats/edf.js';
import { readGdf } from '../src/formats/gdf.js';
import { readMat } from '../src/formats/mat.js';
import { recordingFromMat, spikeTrainsFromMat } from '../src/formats/mat-content.js';
import { loadH5wasm, readNwbUnits } from '../src/formats/nwb.js';
import { readXdf } from '../src/formats/xdf.js';
import { summarizeRecording } from '../src/recording.js';
import { writeBrainVisionFloat32, writeEdfPlus, writeGdf2, writeMat, writeXdf } from './writers.js';

describe('formats without a fixture, written from their specifications and read back', () => {
  it('EDF+ with annotations: signals scaled to physical units; TALs become annotations', () => {
    const bytes = writeEdfPlus({
      signals: [
        {
          label: 'Fz',
          unit: 'uV',
          physMin: -100,
          physMax: 100,
          digMin: -2048,
          digMax: 2047,
          samplesPerRecord: 4,
        },
        { label: 'Cz', unit: 'uV', physMin: 0, physMax: 10, digMin: 0, digMax: 100, samplesPerRecord: 2 },
      ],
      records: 3,
      recordSeconds: 1,
      digital: (s, r) => (s === 0 ? [-2048, 0, 2047, r] : [0, 100]),
      tals: [
        '+0\x14\x14\x00+0.5\x150.25\x14blink\x14\x00',
        '+1\x14\x14\x00',
        '+2\x14\x14\x00+2.75\x14cue, left\x14second\x14\x00',
      ],
    });
    const rec = readEdf(bytes, 'written.edf');
    expect(rec.version).toBe('EDF+C');
    expect(rec.channels.map((c) => [c.name, c.sampleRate])).toEqual([
      ['Fz', 4],
      ['Cz', 2],
    ]);
    expect(rec.data[0]![0]).toBeCloseTo(-100, 6);
    expect(rec.data[0]![2]).toBeCloseTo(100, 6);
    expect(rec.data[1]![1]).toBeCloseTo(10, 6);
    expect(rec.annotations).toEqual([
      { onset: 0.5, duration: 0.25, label: 'blink' },
      { onset: 2.75, duration: 0, label: 'cue, left' },
      { onset: 2.75, duration: 0, label: 'second' },
    ]);
    const s = summarizeRecording(rec);
    expect(s.channels).toBe(2);
    expect(s.annotations).toBe(3);
    expect(s.durationSeconds).toBe(3);
  });

  it('GDF 2.20 with a mode-3 event table', () => {
    const samples = [
      Array.from({ length: 500 }, (_, k) => k - 250),
      Array.from({ length: 500 }, () => 32767),
    ];
    const bytes = writeGdf2({
      labels: ['C3', 'C4'],
      rate: 250,
      samples,
      physMin: -327.68,
      physMax: 327.67,
      events: [
        { pos: 1, typ: 0x300, chn: 0, dur: 0 },
        { pos: 251, typ: 0x301, chn: 2, dur: 125 },
      ],
    });
    const rec = readGdf(bytes, 'written.gdf');
    expect(rec.version).toBe('2.20');
    expect(rec.channels.map((c) => c.name)).toEqual(['C3', 'C4']);
    expect(rec.channels[0]!.sampleRate).toBe(250);
    expect(rec.data[0]!.length).toBe(500);
    expect(rec.data[0]![0]).toBeCloseTo(-2.5, 4);
    expect(rec.data[1]![7]).toBeCloseTo(327.67, 3);
    expect(rec.annotations).toEqual([
      { onset: 0, duration: 0, label: '0x300', code: 0x300 },
      { onset: 1, duration: 0.5, label: '0x301', code: 0x301, channel: 1 },
    ]);
  });

  it('BrainVision float32, vectorised, with escaped commas', () => {
    const files = writeBrainVisionFloat32(
      [
        { name: 'Fp1', values: [0.5, -1.25, 3] },
        { name: 'A,B', values: [10, 20, 30] },
      ],
      2000,
      ['New Segment,,1,1,0', 'Stimulus,S  1,2,1,0', 'Comment,a\\1b,3,1,2'],
    );
    const rec = readBrainVision(files);
    expect(rec.channels.map((c) => c.name)).toEqual(['Fp1', 'A,B']);
    expect(rec.channels[0]!.sampleRate).toBe(500);
    expect([...rec.data[0]!]).toEqual([0.5, -1.25, 3]);
    expect([...rec.data[1]!]).toEqual([10, 20, 30]);
    expect(rec.annotations.map((a) => [a.label, a.onset, a.code, a.channel])).toEqual([
      ['New Segment', 0, undefined, undefined],
      ['Stimulus/S  1', 0.002, 1, undefined],
      ['Comment/a,b', 0.004, undefined, 1],
    ]);
  });

  it('XDF with two streams, missing timestamps filled from the rate, and clock offsets', () => {
    const rec = readXdf(writeXdf(50, 100));
    expect(rec.channels.map((c) => [c.name, c.unit, c.sampleRate])).toEqual([
      ['C3', 'uV', 100],
      ['C4', 'uV', 100],
    ]);
    expect(rec.data[1]![49]).toBe(49);
    // Markers at 100.5 and 101.25 on the marker stream; the EEG stream starts at 100 + 0.25 offset.
    expect(rec.annotations.map((a) => [a.label, a.onset])).toEqual([
      ['left', 0.25],
      ['right', 1],
    ]);
    expect((rec.details!.streams as { samples: number }[]).map((s) => s.samples)).toEqual([50, 2]);
  });

  it('MAT v5: numeric arrays, a zlib-compressed cell of structs', () => {
    const mat = readMat(writeMat());
    expect([...mat.variables.keys()]).toEqual(['fs', 'sig', 'spikes']);
    const rec = recordingFromMat(mat)!;
    expect(rec.channels).toEqual([{ name: 'sig', unit: '', sampleRate: 100, kind: 'signal' }]);
    expect(rec.data[0]![3]).toBeCloseTo(Math.sin(1), 6);
    const trains = spikeTrainsFromMat(mat)!;
    expect(trains.units.map((u) => [u.id, [...u.times]])).toEqual([
      ['1', [1.5, 2.5, 3.5]],
      ['2', [4, 5]],
    ]);
    expect(trains.timeRange).toEqual([0, 10]);
  });

  it('NWB units table written with h5wasm', async () => {
    const h5 = await loadH5wasm();
    const { FS } = await h5.ready;
    const f = new h5.File('/nwb-written.nwb', 'w');
    f.create_attribute('nwb_version', '2.7.0');
    f.create_attribute('neurodata_type', 'NWBFile');
    f.create_attribute('namespace', 'core');
    const units = f.create_group('units');
    units.create_attribute('neurodata_type', 'Units');
    units.create_dataset({ name: 'spike_times', data: new Float64Array([0.1, 0.4, 0.9, 1.5, 2.25, 3]) });
    units.create_dataset({ name: 'spike_times_index', data: new Int32Array([2, 2, 6]) });
    units.create_dataset({ name: 'id', data: new Int32Array([10, 11, 12]) });
    f.close();
    const bytes = FS.readFile('/nwb-written.nwb');
    FS.unlink('/nwb-written.nwb');
    const trains = await readNwbUnits(bytes, 'written.nwb');
    expect(trains.units.map((u) => [u.id, [...u.times]])).toEqual([
      ['10', [0.1, 0.4]],
      ['11', []],
      ['12', [0.9, 1.5, 2.25, 3]],
    ]);
    // An HDF5 file without NWB's root attributes is refused.
    const g = new h5.File('/plain.h5', 'w');
    g.create_dataset({ name: 'x', data: new Float64Array([1]) });
    g.close();
    const plain = FS.readFile('/plain.h5');
    FS.unlink('/plain.h5');
    await expect(readNwbUnits(plain, 'plain.h5')).rejects.toBeInstanceOf(FormatError);
  });
});

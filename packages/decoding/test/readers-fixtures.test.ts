import { describe, expect, it } from 'vitest';
import { readBrainVision } from '../src/formats/brainvision.js';
import { readEdf } from '../src/formats/edf.js';
import { readGdf } from '../src/formats/gdf.js';
import { loadBrainVision, loadRecording } from '../src/formats/load.js';
import { readMat } from '../src/formats/mat.js';
import { recordingFromMat, spikeTrainsFromMat } from '../src/formats/mat-content.js';
import { readSpikeTimesMicroseconds, readTextColumns } from '../src/formats/text-series.js';
import { readTracker } from '../src/formats/tracker.js';
import { parseXdf, readXdf } from '../src/formats/xdf.js';
import { summarizeRecording } from '../src/recording.js';
import { dataBytes, dataSource } from './fixtures.js';

describe('EEG fixtures read with their known facts', () => {
  it('GDF 1.25 motor imagery: 4 channels, 256 Hz, 380 s, 200 events, 20 left and 20 right cues', () => {
    const rec = readGdf(dataBytes('eeg/biosig_sample.gdf'), 'biosig_sample.gdf');
    const s = summarizeRecording(rec);
    expect(s.version).toBe('1.25');
    expect(s.channels).toBe(4);
    expect(s.sampleRate).toBe(256);
    expect(s.durationSeconds).toBeCloseTo(380.5, 1);
    expect(s.annotations).toBe(200);
    expect(rec.annotations.filter((a) => a.code === 0x301)).toHaveLength(20);
    expect(rec.annotations.filter((a) => a.code === 0x302)).toHaveLength(20);
    expect(rec.annotations.filter((a) => a.code === 0x300)).toHaveLength(40);
    expect(rec.channels[0]!.unit).toBe('µV');
    // Physical range ±100 µV over int16.
    for (const ch of rec.data)
      for (const v of ch.subarray(0, 5000)) expect(Math.abs(v)).toBeLessThanOrEqual(100.01);
  });

  it('BDF: C3, C4, Cz + Status at 500 Hz for 10 s; Status triggers are annotations', () => {
    const rec = readEdf(dataBytes('eeg/mne_test_bdf_stim_channel.bdf'), 'x.bdf');
    const s = summarizeRecording(rec);
    expect(rec.format).toBe('bdf');
    expect(s.channelNames).toEqual(['C3', 'C4', 'Cz']);
    expect(s.channels).toBe(3);
    expect(s.sampleRate).toBe(500);
    expect(s.durationSeconds).toBe(10);
    expect(rec.channels[3]).toMatchObject({ name: 'Status', kind: 'status' });
    expect(rec.annotations.map((a) => a.code)).toEqual([4, 2, 1, 1, 1, 1, 1, 1, 1]);
    expect(rec.annotations[0]!.onset).toBeCloseTo(242 / 500, 9);
  });

  it('BrainVision int16: 32 channels, 1 kHz, 7.9 s, stimulus and response markers', async () => {
    const rec = await loadBrainVision(await dataSource('eeg/brainvision/test.vhdr'));
    const s = summarizeRecording(rec);
    expect(s.channels).toBe(32);
    expect(s.sampleRate).toBe(1000);
    expect(s.durationSeconds).toBeCloseTo(7.9, 1);
    expect(rec.channels[0]).toMatchObject({ name: 'FP1', unit: 'µV' });
    expect(rec.annotations).toHaveLength(14);
    expect(rec.annotations.filter((a) => a.label.startsWith('Stimulus/'))).toHaveLength(7);
    expect(rec.annotations.filter((a) => a.label.startsWith('Response/'))).toHaveLength(1);
    const response = rec.annotations.find((a) => a.label === 'Response/R255')!;
    expect(response.onset).toBeCloseTo(5.999, 6);
    // Resolution 0.5 µV: every value is a multiple of 0.5.
    for (const v of rec.data[0]!.subarray(0, 1000)) expect(Math.abs(v * 2 - Math.round(v * 2))).toBe(0);
    // The same through the pure byte-level entry.
    const direct = readBrainVision({
      header: dataBytes('eeg/brainvision/test.vhdr'),
      data: dataBytes('eeg/brainvision/test.eeg'),
      markers: dataBytes('eeg/brainvision/test.vmrk'),
    });
    expect(direct.data[5]).toEqual(rec.data[5]);
  });

  it('XDF: one OpenBCI stream, 8 float32 channels at 1 kHz nominal, clock offsets applied', () => {
    const bytes = dataBytes('eeg/eeglab_test.xdf');
    const xdf = parseXdf(bytes);
    expect(xdf.streams).toHaveLength(1);
    const st = xdf.streams[0]!;
    expect(st).toMatchObject({
      name: 'obci_neeg1',
      type: 'EEG',
      channelCount: 8,
      nominalRate: 1000,
      format: 'float32',
    });
    // 21 sample chunks hold 9,520 samples (the footer's sample_count says 9,519).
    expect(st.timestamps.length).toBe(9520);
    expect(st.clockOffsets).toHaveLength(2);
    // The footer's first timestamp is on the stream's clock; the corrected one moves by the ~ -6 µs offset.
    expect(st.timestamps[0]!).toBeCloseTo(88677.98514523299 - 6.2e-6, 6);
    const s = summarizeRecording(readXdf(bytes));
    expect(s.channels).toBe(8);
    expect(s.sampleRate).toBe(1000);
    expect(s.samples).toBe(9520);
  });

  it('MAT v5 (zlib-compressed): POz at 1200 Hz for 80 s', async () => {
    const mat = readMat(dataBytes('eeg/aspmi_ssvep_POz.mat'));
    // fs is a double scalar stored as uint16 (MATLAB's storage compaction); POz is 96,000 × 1 doubles.
    expect(mat.variables.get('fs')).toMatchObject({ kind: 'numeric', class: 'double', dims: [1, 1] });
    expect(mat.variables.get('POz')).toMatchObject({ kind: 'numeric', class: 'double', dims: [96000, 1] });
    const rec = recordingFromMat(mat)!;
    const s = summarizeRecording(rec);
    expect(s.channelNames).toEqual(['POz']);
    expect(s.sampleRate).toBe(1200);
    expect(s.durationSeconds).toBe(80);
    const loaded = await loadRecording(await dataSource('eeg/aspmi_ssvep_POz.mat'));
    expect(loaded.data[0]).toEqual(rec.data[0]);
  });

  it('every EEG fixture loads through content detection', async () => {
    for (const f of [
      'eeg/biosig_sample.gdf',
      'eeg/mne_test_bdf_stim_channel.bdf',
      'eeg/brainvision/test.vhdr',
      'eeg/eeglab_test.xdf',
      'eeg/aspmi_ssvep_POz.mat',
    ]) {
      const rec = await loadRecording(await dataSource(f));
      expect(rec.data.length).toBeGreaterThan(0);
    }
  });
});

describe('spike fixtures', () => {
  it('nelpy linear track: 31 units with 28,829 spikes (nested cells of structs)', () => {
    const trains = spikeTrainsFromMat(readMat(dataBytes('spikes/nelpy_lineartrack_spikes.mat')))!;
    expect(trains.units).toHaveLength(31);
    expect(trains.units.reduce((n, u) => n + u.times.length, 0)).toBe(28829);
    expect(trains.details?.emptyUnits).toBe(6);
    expect(trains.timeRange![0]).toBeCloseTo(4396.9975, 4);
  });

  it('nelpy trajectory: 118,965 position samples over 33 minutes on a 30 kHz clock', () => {
    const t = readTracker(dataBytes('spikes/nelpy_lineartrack_trajectory.bin'));
    expect(t.times.length).toBe(118965);
    expect(t.clockRate).toBe(30000);
    expect((t.times[t.times.length - 1]! - t.times[0]!) / 60).toBeCloseTo(33.04, 2);
    expect(Object.keys(t.fields)).toEqual(['xloc', 'yloc', 'xloc2', 'yloc2']);
  });

  it('grasshopper: 929 spikes in 10 s; 200,000 stimulus samples at 50 µs', () => {
    const spikes = readSpikeTimesMicroseconds(
      new TextDecoder().decode(dataBytes('spikes/grasshopper_spike_times1.txt')),
    );
    expect(spikes.length).toBe(929);
    expect(spikes[spikes.length - 1]!).toBeLessThan(10);
    const [time, amplitude] = readTextColumns(
      new TextDecoder().decode(dataBytes('spikes/grasshopper_stimulus1.txt')),
    );
    expect(time!.length).toBe(200000);
    expect(amplitude!.length).toBe(200000);
    expect(time![1]! - time![0]!).toBe(50);
  });
});

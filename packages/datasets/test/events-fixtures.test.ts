import { createRuntime, FormatError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import datasets, {
  isSorted,
  readAedat4,
  readAtisBin,
  readCochleaAer,
  readEvt3,
  readNpy,
} from '../src/index.js';
import { readEventFile } from '../src/node.js';
import { dataPath, fileSource, readData } from './helpers.js';

describe('N-MNIST ATIS .bin (tonic sample)', () => {
  const events = readAtisBin(readData('events/tonic_sample_nmnist.bin'));
  it('has 4,325 events on a 34×34 sensor, 0.65 ms to 311 ms, sorted', () => {
    expect(events.t.length).toBe(4325);
    expect(events.sensor).toEqual([34, 34]);
    expect(events.t[0]).toBe(654);
    expect(events.t[events.t.length - 1]).toBe(311175);
    expect(isSorted(events.t)).toBe(true);
    expect(Math.max(...events.x)).toBeLessThan(34);
    expect(Math.max(...events.y)).toBeLessThan(34);
  });
  it('decodes the first record by the published bit layout', () => {
    const b = readData('events/tonic_sample_nmnist.bin');
    expect(events.x[0]).toBe(b[0]);
    expect(events.y[0]).toBe(b[1]);
    expect(events.p[0]).toBe(b[2]! >> 7);
    expect(events.t[0]).toBe(((b[2]! & 0x7f) << 16) | (b[3]! << 8) | b[4]!);
  });
});

describe('AEDAT 4 (tonic sample, DVXplorer)', () => {
  const bytes = readData('events/tonic_sample.aedat4');
  const events = readAedat4(bytes);
  it('reads 320×240 events from 59 event packets beside 59 IMU packets', () => {
    expect(events.sensor).toEqual([320, 240]);
    expect(events.info.compression).toBe('lz4');
    expect(events.info.streams.map((s) => `${s.id}:${s.type}`)).toEqual(['0:EVTS', '2:IMUS', '3:TRIG']);
    expect(events.info.packets).toEqual({ 0: 59, 2: 59 });
    expect(isSorted(events.t)).toBe(true);
  });
  it("holds 111,954 events, as the file's own packet table (FTAB) lists", () => {
    expect(events.t.length).toBe(111954);
    expect(events.info.tableElements).toEqual({ 0: 111954, 2: 475 });
  });
  it("shows where the data README's 118,651 comes from: reading this AEDAT 4 file as AEDAT 3 packets", () => {
    // tonic's get_aer_events_from_file treats any version above 3 as AEDAT 3: 28-byte packet headers
    // whose bytes 16–20 give a count of 8-byte records. Over AEDAT 4 bytes that walk yields 118,651
    // "records" (the last read cut short by the end of the file) — not events.
    let pos = 14; // after the version line, as tonic's header scan leaves it
    let records = 0;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    while (pos < bytes.length) {
      if (pos + 28 > bytes.length) break;
      const capacity = view.getUint32(pos + 16, true);
      pos += 28;
      const available = Math.floor((bytes.length - pos) / 8);
      const read = Math.min(capacity, available);
      records += read;
      pos += read * 8;
    }
    expect(records).toBe(118651);
    expect(events.t.length).not.toBe(records);
  });
});

describe('Prophesee EVT 3.0 (expelliarmus sample)', () => {
  const raw = readData('events/expelliarmus_evt3_sample.raw');
  const key = readNpy(readData('events/expelliarmus_evt3_sample.npy'));
  const fields = key.fields!;
  it('the answer key is a structured .npy of (t <i8, x <i2, y <i2, p |u1) and 3 padding bytes', () => {
    expect(key.shape).toEqual([219596]);
    expect((key.dtype as { name: string; dtype: string }[]).map((f) => `${f.name}:${f.dtype}`)).toEqual([
      't:<i8',
      'x:<i2',
      'y:<i2',
      'p:|u1',
      ':|V3',
    ]);
  });
  it('decoded with expelliarmus time-low handling, equals the .npy answer key element for element', () => {
    const events = readEvt3(raw, { timeLow: 'expelliarmus' });
    expect(events.t.length).toBe(219596);
    const t = fields.t as BigInt64Array;
    let mismatches = 0;
    for (let i = 0; i < t.length; i++) {
      if (
        events.t[i] !== Number(t[i]) ||
        events.x[i] !== fields.x![i] ||
        events.y[i] !== fields.y![i] ||
        events.p[i] !== fields.p![i]
      ) {
        mismatches++;
      }
    }
    expect(mismatches).toBe(0);
  });
  it('decoded by the EVT 3.0 specification, differs from the key only in time, by whole 4,096 µs steps', () => {
    // TIME_LOW steps back within one TIME_HIGH when event sources interleave (the file has such steps);
    // expelliarmus counts each as a wrap. The specification does not, so the recording spans 8.8 ms —
    // 551 TIME_HIGH words repeated every 16 µs — not the 53.9 ms of the key.
    const events = readEvt3(raw);
    const t = fields.t as BigInt64Array;
    let differing = 0;
    let otherDifferences = 0;
    for (let i = 0; i < t.length; i++) {
      if (events.x[i] !== fields.x![i] || events.y[i] !== fields.y![i] || events.p[i] !== fields.p![i])
        otherDifferences++;
      const d = Number(t[i]) - events.t[i]!;
      if (d !== 0) differing++;
      if (d % 4096 !== 0 || d < 0) otherDifferences++;
    }
    expect(otherDifferences).toBe(0);
    expect(differing).toBe(219596 - 20121);
    expect(events.t[0]).toBe(11718656);
    expect(events.t[events.t.length - 1]).toBe(11727457);
    expect(Number(t[t.length - 1])).toBe(11772513);
    expect(isSorted(events.t)).toBe(true);
    expect(events.sensor).toEqual([1280, 720]);
  });
});

describe('neuromorphic cochlea AER (pyNAVIS sample)', () => {
  const events = readCochleaAer(readData('spikes/navis_sound_mono_32ch.aedat'));
  it('has 49,864 spikes on 64 addresses over 1.14 s', () => {
    expect(events.t.length).toBe(49864);
    expect(events.channels).toBe(64);
    expect(new Set(events.channel).size).toBe(64);
    expect((events.t[events.t.length - 1]! - events.t[0]!) / 1e6).toBeCloseTo(1.1447, 3);
  });
  it('splits ON/OFF addresses into 32 channels on request', () => {
    const split = readCochleaAer(readData('spikes/navis_sound_mono_32ch.aedat'), { onOff: true });
    expect(split.channels).toBe(32);
    expect(split.t.length).toBe(49864);
  });
  it('rejects addresses beyond a stated channel count', () => {
    expect(() => readCochleaAer(readData('spikes/navis_sound_mono_32ch.aedat'), { channels: 32 })).toThrow(
      FormatError,
    );
  });
});

describe('formats for neurite inspect', () => {
  const rt = createRuntime().use(datasets());
  const formats = rt.registry('format');
  const detect = async (relative: string) => {
    const file = fileSource(dataPath(relative));
    const head = await file.head(4096);
    return formats
      .values()
      .filter((f) => f.detect(head, file.name))
      .map((f) => f.name);
  };
  it('recognises each fixture by its content, as exactly one format', async () => {
    expect(await detect('events/tonic_sample_nmnist.bin')).toEqual(['atis-bin']);
    expect(await detect('events/tonic_sample.aedat4')).toEqual(['aedat4']);
    expect(await detect('events/expelliarmus_evt3_sample.raw')).toEqual(['evt3']);
    expect(await detect('spikes/navis_sound_mono_32ch.aedat')).toEqual(['cochlea-aer']);
    expect(await detect('audio/fsdd/0_george_0.wav')).toEqual(['wav']);
    expect(await detect('events/expelliarmus_evt3_sample.npy')).toEqual(['npy']);
    expect(await detect('nir/lif_norse.nir')).toEqual([]);
    expect(await detect('eeg/biosig_sample.gdf')).toEqual([]);
  });
  it('summarises the fixtures with the known facts', async () => {
    const inspect = (name: string, relative: string) =>
      formats.require(name).inspect(fileSource(dataPath(relative)), rt);
    const nmnist = await inspect('atis-bin', 'events/tonic_sample_nmnist.bin');
    expect(nmnist).toMatchObject({ events: 4325, sensor: [34, 34] });
    expect(nmnist.durationSeconds).toBeCloseTo(0.310521, 6);
    expect(await inspect('aedat4', 'events/tonic_sample.aedat4')).toMatchObject({
      events: 111954,
      sensor: [320, 240],
    });
    expect(await inspect('evt3', 'events/expelliarmus_evt3_sample.raw')).toMatchObject({
      events: 219596,
      sensor: [1280, 720],
    });
    const aer = await inspect('cochlea-aer', 'spikes/navis_sound_mono_32ch.aedat');
    expect(aer).toMatchObject({ spikes: 49864, units: 64 });
    expect(aer.durationSeconds).toBeCloseTo(1.14, 2);
    expect(await inspect('wav', 'audio/tflm_yes_1000ms.wav')).toMatchObject({
      sampleRate: 16000,
      samples: 16000,
      channels: 1,
      durationSeconds: 1,
    });
  });
});

describe('readEventFile (Node)', () => {
  it('reads any event file by path, recognising the format by content', async () => {
    const aedat = await readEventFile(dataPath('events/tonic_sample.aedat4'));
    expect([aedat.format, aedat.t.length]).toEqual(['aedat4', 111954]);
    const aer = await readEventFile(dataPath('spikes/navis_sound_mono_32ch.aedat'));
    expect([aer.format, aer.t.length]).toEqual(['cochlea-aer', 49864]);
    await expect(readEventFile(dataPath('eeg/biosig_sample.gdf'))).rejects.toThrow(FormatError);
  });
});

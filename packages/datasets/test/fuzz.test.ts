import { Builder } from 'flatbuffers';
import { describe, expect, it } from 'vitest';
import {
  readAedat2,
  readAedat4,
  readAedat31,
  readAtisBin,
  readCochleaAer,
  readEvt2,
  readEvt3,
  readNpy,
  readPropheseeDat,
  readWav,
} from '../src/index.js';
import { CASE_TIME_BOUND_MS, checkEvents, fuzz } from './fuzz.js';
import { Bytes, readData } from './helpers.js';

const CASES = 3000;

/** A small but complete AEDAT 4 file: the header and the first three packets of the fixture. */
function aedat4Seed(): Uint8Array {
  const full = readData('events/tonic_sample.aedat4');
  const view = new DataView(full.buffer, full.byteOffset, full.byteLength);
  let end = 18 + view.getInt32(14, true);
  for (let k = 0; k < 3; k++) end += 8 + view.getInt32(end + 4, true);
  return full.slice(0, end);
}

/**
 * The same three packets uncompressed: an IOHeader built with flatbuffers' Builder (compression NONE),
 * then the decoded, size-prefixed EventPacket buffers — mutations then reach the FlatBuffer checks.
 */
export function aedat4Uncompressed(): Uint8Array {
  const compressed = aedat4Seed();
  const { info } = readAedat4(compressed);
  const xml = `<dv version="2.0"><node name="outInfo" path="/mainloop/Recorder/outInfo/"><node name="0" path="/mainloop/Recorder/outInfo/0/"><attr key="typeIdentifier" type="string">EVTS</attr><node name="info" path="/mainloop/Recorder/outInfo/0/info/"><attr key="sizeX" type="int">320</attr><attr key="sizeY" type="int">240</attr></node></node></node></dv>`;
  expect(info.streams[0]!.sensor).toEqual([320, 240]);
  const builder = new Builder(1024);
  const node = builder.createString(xml);
  builder.startObject(3);
  builder.addFieldOffset(2, node, 0);
  builder.finish(builder.endObject(), 'IOHE');
  const header = builder.asUint8Array();
  // Tiny EventPacket buffers of four events each, built the same way.
  const packets = [0, 1].map((k) => {
    const b = new Builder(256);
    b.startVector(16, 4, 8);
    for (let i = 3; i >= 0; i--) {
      b.prep(8, 16);
      b.pad(3);
      // Builders write back to front: padding, polarity, y, x, timestamp.
      b.writeInt8(i & 1);
      b.writeInt16(20 + i + k);
      b.writeInt16(10 + i);
      b.writeInt64(BigInt(1000 * k + i));
    }
    const elements = b.endVector();
    b.startObject(1);
    b.addFieldOffset(0, elements, 0);
    b.finish(b.endObject(), 'EVTS', true);
    return b.asUint8Array();
  });
  const out = new Bytes().ascii('#!AER-DAT4.0\r\n').u32(header.length).bytes(header);
  for (const p of packets) out.u32(0).u32(p.length).bytes(p);
  return out.done();
}

const aedat2Seed = () => {
  const b = new Bytes().ascii('#!AER-DAT2.0\r\n# AEChip: eu.seebetter.ini.chips.davis.Davis240C\r\n');
  for (let i = 0; i < 40; i++)
    b.u32(((i % 180) << 22) | (((i * 7) % 240) << 12) | ((i & 1) << 11), false).u32(1000 + i * 3, false);
  return b.done();
};

const aedat31Seed = () => {
  const b = new Bytes().ascii('#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: DVS128\r\n#!END-HEADER\r\n');
  for (let k = 0; k < 3; k++) {
    b.u16(1).u16(1).u32(8).u32(4).u32(k).u32(10).u32(10).u32(10);
    for (let i = 0; i < 10; i++)
      b.u32((((i * 13) % 128) << 17) | (((i * 5) % 128) << 2) | ((i & 1) << 1) | 1).u32(i * 100);
  }
  return b.done();
};

const datSeed = () => {
  const b = new Bytes()
    .ascii('% Data file containing CD events.\n% Version 2\n% Height 240\n% Width 304\n')
    .u8(0x0c, 8);
  for (let i = 0; i < 60; i++) b.u32(i * 10).u32(((i * 5) % 304) | (((i * 3) % 240) << 14) | ((i & 1) << 28));
  return b.done();
};

const evt2Seed = () => {
  const b = new Bytes().ascii('% evt 2.0\n% format EVT2;height=480;width=640\n% end\n');
  for (let i = 0; i < 60; i++) {
    if (i % 10 === 0) b.u32((0x8 << 28) | (i / 10));
    b.u32((((i & 1) << 28) | ((i % 64) << 22) | (((i * 7) % 640) << 11) | ((i * 3) % 480)) >>> 0);
  }
  return b.done();
};

const npySeed = () => {
  const header =
    "{'descr': [('t', '<i8'), ('x', '<i2'), ('p', '|u1'), ('', '|V5')], 'fortran_order': False, 'shape': (4,), }";
  const padded = header + ' '.repeat((64 - ((10 + header.length + 1) % 64)) % 64) + '\n';
  const b = new Bytes().ascii('\x93NUMPY').u8(1, 0).u16(padded.length).ascii(padded);
  for (let i = 0; i < 4; i++)
    b.i64(i * 1000)
      .u16(i)
      .u8(i & 1)
      .u8(0, 0, 0, 0, 0);
  return b.done();
};

const readers: [string, () => Uint8Array, (b: Uint8Array) => unknown, (o: never) => void][] = [
  [
    'atis-bin (N-MNIST)',
    () => readData('events/tonic_sample_nmnist.bin').slice(0, 1000),
    (b) => readAtisBin(b),
    checkEvents,
  ],
  ['aedat2', aedat2Seed, (b) => readAedat2(b), checkEvents],
  ['aedat3.1', aedat31Seed, (b) => readAedat31(b), checkEvents],
  ['aedat4 (LZ4)', aedat4Seed, (b) => readAedat4(b), checkEvents],
  ['aedat4 (uncompressed)', aedat4Uncompressed, (b) => readAedat4(b), checkEvents],
  ['prophesee-dat', datSeed, (b) => readPropheseeDat(b), checkEvents],
  ['evt2', evt2Seed, (b) => readEvt2(b), checkEvents],
  [
    'evt3',
    () => readData('events/expelliarmus_evt3_sample.raw').slice(0, 4096),
    (b) => readEvt3(b),
    checkEvents,
  ],
  [
    'cochlea-aer',
    () => readData('spikes/navis_sound_mono_32ch.aedat').slice(0, 3000),
    (b) => readCochleaAer(b),
    checkEvents,
  ],
  [
    'wav',
    () => readData('audio/fsdd/1_nicolas_0.wav'),
    (b) => readWav(b),
    (o: ReturnType<typeof readWav>) => {
      for (const ch of o.channels) expect(ch.length).toBe(o.samples);
    },
  ],
  [
    'npy',
    npySeed,
    (b) => readNpy(b),
    (o: ReturnType<typeof readNpy>) => {
      const count = o.shape.reduce((a, b) => a * b, 1);
      for (const f of Object.values(o.fields ?? { data: o.data! })) expect(f.length).toBe(count);
    },
  ],
];

describe('AEDAT 4 written with flatbuffers’ Builder', () => {
  it('reads uncompressed packets of dv::Event structs', () => {
    const e = readAedat4(aedat4Uncompressed());
    expect(e.info.compression).toBe('none');
    expect(e.sensor).toEqual([320, 240]);
    expect(Array.from(e.t)).toEqual([0, 1, 2, 3, 1000, 1001, 1002, 1003]);
    expect(Array.from(e.x)).toEqual([10, 11, 12, 13, 10, 11, 12, 13]);
    expect(Array.from(e.y)).toEqual([20, 21, 22, 23, 21, 22, 23, 24]);
    expect(Array.from(e.p)).toEqual([0, 1, 0, 1, 0, 1, 0, 1]);
  });
});

describe(`fuzzing: ${CASES} seeded mutations per reader give a FormatError or well-formed output`, () => {
  for (const [name, seed, read, check] of readers) {
    it(name, async () => {
      const input = seed();
      check(read(input) as never); // the seed itself is valid
      const report = await fuzz(input, read, check as (o: unknown) => void, { cases: CASES, seed: 20241128 });
      expect(report.valid + report.formatErrors).toBe(CASES);
      expect(report.formatErrors).toBeGreaterThan(0);
      expect(report.slowestMs).toBeLessThan(CASE_TIME_BOUND_MS);
    });
  }
});

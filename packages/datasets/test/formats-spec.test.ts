// Formats without a shared fixture: files written here byte by byte from the format specifications
// (iniVation's AEDAT 2.0/3.1 pages, Prophesee's DAT/EVT 2.0/EVT 3.0 pages, RIFF/WAVE, NumPy's NEP 1)
// and decoded.
import { FormatError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import {
  readAedat2,
  readAedat31,
  readCochleaAer,
  readEvt2,
  readEvt3,
  readNpy,
  readPropheseeDat,
  readWav,
} from '../src/index.js';
import { Bytes } from './helpers.js';

const events = (e: { x: Uint16Array; y: Uint16Array; t: Float64Array; p: Uint8Array }) =>
  Array.from(e.t, (t, i) => [e.x[i], e.y[i], t, e.p[i]]);

describe('AEDAT 2.0', () => {
  it('DVS128: y in bits 14–8, x in 7–1, polarity bit 0; external events skipped', () => {
    const b = new Bytes()
      .ascii(
        '#!AER-DAT2.0\r\n# This is a raw AE data file - do not edit\r\n# AEChip: ch.unizh.ini.jaer.chip.retina.DVS128\r\n',
      )
      .u32((7 << 8) | (5 << 1) | 1, false)
      .u32(100, false)
      .u32(0x8000, false)
      .u32(150, false)
      .u32((0 << 8) | (127 << 1), false)
      .u32(200, false);
    const e = readAedat2(b.done());
    expect(events(e)).toEqual([
      [5, 7, 100, 1],
      [127, 0, 200, 0],
    ]);
    expect(e.sensor).toEqual([128, 128]);
  });
  it('DAVIS346: y bits 30–22, x 21–12, polarity bit 11; APS samples (bit 31) skipped', () => {
    const b = new Bytes()
      .ascii('#!AER-DAT2.0\r\n# AEChip: eu.seebetter.ini.chips.davis.Davis346B\r\n')
      .u32((259 << 22) | (345 << 12) | (1 << 11), false)
      .u32(10, false)
      .u32(0x80000000 | 123, false)
      .u32(11, false)
      .u32((3 << 22) | (4 << 12), false)
      .u32(12, false);
    const e = readAedat2(b.done());
    expect(events(e)).toEqual([
      [345, 259, 10, 1],
      [4, 3, 12, 0],
    ]);
    expect(e.sensor).toEqual([346, 260]);
  });
  it('unwraps a 32-bit timestamp wrap and rejects a cut record', () => {
    const b = new Bytes()
      .ascii('#!AER-DAT2.0\r\n')
      .u32(2, false)
      .u32(0xfffffff0, false)
      .u32(2, false)
      .u32(5, false);
    expect(Array.from(readAedat2(b.done()).t)).toEqual([0xfffffff0, 2 ** 32 + 5]);
    expect(() => readAedat2(b.done().subarray(0, b.length - 3))).toThrow(/whole number of 8-byte events/);
  });
});

describe('AEDAT 3.1', () => {
  const header =
    '#!AER-DAT3.1\r\n#Format: RAW\r\n#Source 1: DVS128\r\n#Start-Time: 2017-01-01 10:00:00 (TZ+0100)\r\n#!END-HEADER\r\n';
  const packet = (b: Bytes, type: number, size: number, overflow: number, items: number[][]) => {
    b.u16(type).u16(1).u32(size).u32(4).u32(overflow).u32(items.length).u32(items.length).u32(items.length);
    for (const item of items) for (const v of item) b.u32(v);
    return b;
  };
  const polarity = (x: number, y: number, p: number, valid = 1) =>
    ((x << 17) | (y << 2) | (p << 1) | valid) >>> 0;
  it('reads valid polarity events of polarity packets, skips other packet types and invalid events', () => {
    const b = new Bytes().ascii(header);
    packet(b, 1, 8, 0, [
      [polarity(3, 4, 1), 1000],
      [polarity(9, 9, 0, 0), 1001],
      [polarity(127, 5, 0), 1002],
    ]);
    packet(b, 5, 4, 0, [[0xdeadbeef], [1]]); // another event type: skipped
    packet(b, 1, 8, 1, [[polarity(1, 2, 1), 7]]); // after a timestamp overflow
    const e = readAedat31(b.done());
    expect(events(e)).toEqual([
      [3, 4, 1000, 1],
      [127, 5, 1002, 0],
      [1, 2, 2 ** 31 + 7, 1],
    ]);
    expect(e.sensor).toEqual([128, 128]);
  });
  it('names the field and offset of a packet whose events run past the end', () => {
    const b = new Bytes().ascii(header);
    packet(b, 1, 8, 0, [[polarity(1, 1, 1), 5]]);
    const bytes = b.done().subarray(0, b.length - 2);
    try {
      readAedat31(bytes, { file: 'gesture.aedat' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(FormatError);
      const f = e as FormatError;
      expect([f.file, f.field, f.offset]).toEqual(['gesture.aedat', 'packet events', header.length + 28]);
    }
  });
  it('needs the end-of-header line', () => {
    expect(() => readAedat31(new Bytes().ascii('#!AER-DAT3.1\r\n#Format: RAW\r\n').done())).toThrow(
      /END-HEADER/,
    );
  });
});

describe('Prophesee DAT', () => {
  const header =
    '% Data file containing CD events.\n% Version 2\n% Date 2019-03-14 10:00:00\n% Height 240\n% Width 304\n';
  it('reads [uint32 t, uint32 x | y << 14 | p << 28] after the type and size bytes', () => {
    const b = new Bytes()
      .ascii(header)
      .u8(0x0c, 8)
      .u32(5)
      .u32(10 | (20 << 14) | (1 << 28))
      .u32(9)
      .u32(303 | (239 << 14));
    const e = readPropheseeDat(b.done());
    expect(events(e)).toEqual([
      [10, 20, 5, 1],
      [303, 239, 9, 0],
    ]);
    expect(e.sensor).toEqual([304, 240]);
  });
  it('rejects coordinates outside the stated sensor and unknown event types', () => {
    expect(() => readPropheseeDat(new Bytes().ascii(header).u8(0x0c, 8).u32(5).u32(304).done())).toThrow(
      /x address/,
    );
    expect(() => readPropheseeDat(new Bytes().ascii(header).u8(0x42, 8).done())).toThrow(/event type/);
  });
});

describe('Prophesee EVT 2.0', () => {
  const header = '% evt 2.0\n% format EVT2;height=720;width=1280\n% end\n';
  it('combines TIME_HIGH (bits 33–6) with each CD event’s 6 low bits', () => {
    const cd = (on: number, low: number, x: number, y: number) =>
      ((on << 28) | (low << 22) | (x << 11) | y) >>> 0;
    const b = new Bytes()
      .ascii(header)
      .u32((0x8 << 28) | 5)
      .u32(cd(1, 3, 1279, 719))
      .u32((0xa << 28) | 1) // external trigger: skipped
      .u32(cd(0, 63, 0, 1));
    const e = readEvt2(b.done());
    expect(events(e)).toEqual([
      [1279, 719, 5 * 64 + 3, 1],
      [0, 1, 5 * 64 + 63, 0],
    ]);
    expect(e.sensor).toEqual([1280, 720]);
  });
  it('rejects reserved word types', () => {
    expect(() =>
      readEvt2(
        new Bytes()
          .ascii(header)
          .u32(0x3 << 28)
          .done(),
      ),
    ).toThrow(/event type/);
  });
});

describe('Prophesee EVT 3.0', () => {
  const header = '% evt 3.0\n% format EVT3;height=480;width=640\n% end\n';
  it('decodes single and vector events with their running y, polarity and time', () => {
    const w = (type: number, value: number) => (type << 12) | value;
    const b = new Bytes()
      .ascii(header)
      .u16(w(0x8, 1)) // TIME_HIGH 1
      .u16(w(0x6, 10)) // TIME_LOW 10
      .u16(w(0x0, 100)) // y = 100
      .u16(w(0x2, (1 << 11) | 5)) // ON at x = 5
      .u16(w(0x3, 16)) // base x 16, OFF
      .u16(w(0x4, 0b101)) // x 16, 18
      .u16(w(0x5, 0x80)) // base now 28: x 35
      .u16(w(0x6, 20))
      .u16(w(0xe, 1)) // OTHERS: skipped
      .u16(w(0x2, 7));
    const e = readEvt3(b.done());
    const t1 = 4096 + 10;
    expect(events(e)).toEqual([
      [5, 100, t1, 1],
      [16, 100, t1, 0],
      [18, 100, t1, 0],
      [35, 100, t1, 0],
      [7, 100, 4096 + 20, 0],
    ]);
    expect(e.sensor).toEqual([640, 480]);
  });
  it('counts a decreasing TIME_HIGH as a wrap of 2^24 µs', () => {
    const b = new Bytes()
      .ascii(header)
      .u16((0x8 << 12) | 4095)
      .u16(0x2 << 12)
      .u16(0x8 << 12)
      .u16((0x2 << 12) | 1);
    expect(Array.from(readEvt3(b.done()).t)).toEqual([4095 * 4096, 2 ** 24]);
  });
  it('rejects reserved word types and an odd trailing byte', () => {
    expect(() =>
      readEvt3(
        new Bytes()
          .ascii(header)
          .u16(0x9 << 12)
          .done(),
      ),
    ).toThrow(/event type/);
    expect(() => readEvt3(new Bytes().ascii(header).u16(0).u8(1).done())).toThrow(/16-bit words/);
  });
});

describe('cochlea AER', () => {
  it('reads 4-byte addresses with a 1 µs tick after optional # lines, unwrapping the 32-bit clock', () => {
    const b = new Bytes()
      .ascii('# recorded by a test\r\n')
      .u32(3, false)
      .u32(0xfffffffe, false)
      .u32(1, false)
      .u32(4, false);
    const e = readCochleaAer(b.done(), { addressBytes: 4 });
    expect(Array.from(e.channel)).toEqual([3, 1]);
    expect(Array.from(e.t)).toEqual([0xfffffffe, 2 ** 32 + 4]);
    expect(e.channels).toBe(4);
  });
  it('scales 2-byte-address ticks by 0.2 µs', () => {
    const e = readCochleaAer(new Bytes().u16(7, false).u32(10, false).done());
    expect(e.t[0]).toBeCloseTo(2, 12);
  });
});

describe('WAV', () => {
  const wav = (
    format: number,
    channels: number,
    rate: number,
    bits: number,
    data: Bytes,
    extensible = false,
  ) => {
    const block = (channels * bits) / 8;
    const fmt = new Bytes()
      .u16(extensible ? 0xfffe : format)
      .u16(channels)
      .u32(rate)
      .u32(rate * block)
      .u16(block)
      .u16(bits);
    if (extensible)
      fmt
        .u16(22)
        .u16(bits)
        .u32(0)
        .u16(format)
        .bytes([0, 0, 0, 0, 0x10, 0, 0x80, 0, 0, 0xaa, 0, 0x38, 0x9b, 0x71]);
    const b = new Bytes()
      .ascii('RIFF')
      .u32(4 + 8 + fmt.length + 8 + data.length)
      .ascii('WAVE');
    b.ascii('LIST').u32(4).ascii('INFO'); // a chunk to skip
    b.ascii('fmt ').u32(fmt.length).bytes(fmt.parts).ascii('data').u32(data.length).bytes(data.parts);
    return b.done();
  };
  it('reads 16-bit stereo PCM into one array per channel', () => {
    const a = readWav(wav(1, 2, 44100, 16, new Bytes().u16(0x4000).u16(0x8000).u16(0xffff).u16(0x7fff)));
    expect(a.sampleRate).toBe(44100);
    expect(a.samples).toBe(2);
    expect(Array.from(a.channels[0]!)).toEqual([0.5, -1 / 32768]);
    expect(Array.from(a.channels[1]!)).toEqual([-1, 32767 / 32768]);
  });
  it('reads 8-bit unsigned, 24-bit and 32-bit PCM and 32/64-bit float, plain or extensible', () => {
    expect(Array.from(readWav(wav(1, 1, 8000, 8, new Bytes().u8(0, 128, 192))).channels[0]!)).toEqual([
      -1, 0, 0.5,
    ]);
    expect(
      Array.from(readWav(wav(1, 1, 8000, 24, new Bytes().u8(0, 0, 0xc0, 0xff, 0xff, 0x7f))).channels[0]!),
    ).toEqual([-0.5, 8388607 / 8388608].map(Math.fround));
    expect(Array.from(readWav(wav(1, 1, 96000, 32, new Bytes().u32(0x40000000), true)).channels[0]!)).toEqual(
      [0.5],
    );
    expect(Array.from(readWav(wav(3, 1, 48000, 32, new Bytes().f32(-0.25))).channels[0]!)).toEqual([-0.25]);
    expect(Array.from(readWav(wav(3, 1, 48000, 64, new Bytes().f64(0.125), true)).channels[0]!)).toEqual([
      0.125,
    ]);
  });
  it('rejects a data chunk longer than the file and unsupported encodings', () => {
    const good = wav(1, 1, 8000, 16, new Bytes().u16(1).u16(2));
    expect(() => readWav(good.subarray(0, good.length - 1))).toThrow(/data chunk/);
    expect(() => readWav(wav(2, 1, 8000, 16, new Bytes().u16(1)))).toThrow(/audio format/);
    expect(() => readWav(wav(1, 1, 8000, 12, new Bytes().u16(1)))).toThrow(/bits per sample/);
  });
});

describe('NumPy .npy', () => {
  const npy = (header: string, data: Bytes, major = 1) => {
    const prefix = major === 1 ? 10 : 12;
    const padded = header + ' '.repeat((64 - ((prefix + header.length + 1) % 64)) % 64) + '\n';
    const b = new Bytes().ascii('\x93NUMPY').u8(major, 0);
    if (major === 1) b.u16(padded.length);
    else b.u32(padded.length);
    return b.ascii(padded).bytes(data.parts).done();
  };
  it('reads plain arrays in either byte order', () => {
    const f = readNpy(
      npy(
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
        new Bytes().f32(1).f32(2).f32(3).f32(4).f32(5).f32(6),
      ),
    );
    expect(f.shape).toEqual([2, 3]);
    expect(Array.from(f.data as Float32Array)).toEqual([1, 2, 3, 4, 5, 6]);
    const g = readNpy(
      npy(
        "{'descr': '>i2', 'fortran_order': False, 'shape': (2,), }",
        new Bytes().u16(258, false).u16(65535, false),
        2,
      ),
    );
    expect(Array.from(g.data as Int16Array)).toEqual([258, -1]);
  });
  it('rejects data that does not fill the shape, and malformed headers', () => {
    expect(() =>
      readNpy(
        npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1000000000000,), }", new Bytes().f64(1)),
      ),
    ).toThrow(FormatError);
    expect(() => readNpy(npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2,", new Bytes()))).toThrow(
      /Python dict/,
    );
  });
});

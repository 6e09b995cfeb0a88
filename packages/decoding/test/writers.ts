import { zlibSync } from 'fflate';

/** Byte writers for the formats without a fixture, built from each specification, field by field. */
class Bytes {
  readonly parts: number[] = [];
  ascii(text: string, width: number): this {
    for (let i = 0; i < width; i++) this.parts.push(i < text.length ? text.charCodeAt(i) & 0xff : 0x20);
    return this;
  }
  zeros(n: number): this {
    for (let i = 0; i < n; i++) this.parts.push(0);
    return this;
  }
  raw(bytes: ArrayLike<number>): this {
    for (let i = 0; i < bytes.length; i++) this.parts.push(bytes[i]!);
    return this;
  }
  view(size: number, fill: (v: DataView) => void): this {
    const b = new Uint8Array(size);
    fill(new DataView(b.buffer));
    return this.raw(b);
  }
  u8(v: number): this {
    return this.view(1, (d) => d.setUint8(0, v));
  }
  u16(v: number): this {
    return this.view(2, (d) => d.setUint16(0, v, true));
  }
  i16(v: number): this {
    return this.view(2, (d) => d.setInt16(0, v, true));
  }
  u32(v: number): this {
    return this.view(4, (d) => d.setUint32(0, v, true));
  }
  i64(v: number): this {
    return this.view(8, (d) => d.setBigInt64(0, BigInt(v), true));
  }
  f32(v: number): this {
    return this.view(4, (d) => d.setFloat32(0, v, true));
  }
  f64(v: number): this {
    return this.view(8, (d) => d.setFloat64(0, v, true));
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

export interface EdfSignal {
  label: string;
  unit: string;
  physMin: number;
  physMax: number;
  digMin: number;
  digMax: number;
  samplesPerRecord: number;
}

/**
 * An EDF+ file: header (version, ids, date, header bytes, reserved "EDF+C", records, duration, ns),
 * the signal header field by field, then records. `digital(s, r)` gives signal s's samples in record r;
 * an "EDF Annotations" signal carries `tals[r]` (padded with NULs).
 */
export function writeEdfPlus(options: {
  signals: EdfSignal[];
  records: number;
  recordSeconds: number;
  digital: (s: number, r: number) => number[];
  tals: string[];
}): Uint8Array {
  const annBytes = Math.max(...options.tals.map((t) => new TextEncoder().encode(t).length)) + 2;
  const ann: EdfSignal = {
    label: 'EDF Annotations',
    unit: '',
    physMin: -1,
    physMax: 1,
    digMin: -32768,
    digMax: 32767,
    samplesPerRecord: Math.ceil(annBytes / 2),
  };
  const signals = [...options.signals, ann];
  const ns = signals.length;
  const b = new Bytes()
    .ascii('0', 8)
    .ascii('X X X X', 80)
    .ascii('Startdate 01-JAN-2024 X X X', 80)
    .ascii('01.01.24', 8)
    .ascii('12.00.00', 8)
    .ascii(String(256 * (ns + 1)), 8)
    .ascii('EDF+C', 44)
    .ascii(String(options.records), 8)
    .ascii(String(options.recordSeconds), 8)
    .ascii(String(ns), 4);
  const field = (width: number, f: (s: EdfSignal) => string) => {
    for (const s of signals) b.ascii(f(s), width);
  };
  field(16, (s) => s.label);
  field(80, () => '');
  field(8, (s) => s.unit);
  field(8, (s) => String(s.physMin));
  field(8, (s) => String(s.physMax));
  field(8, (s) => String(s.digMin));
  field(8, (s) => String(s.digMax));
  field(80, () => '');
  field(8, (s) => String(s.samplesPerRecord));
  field(32, () => '');
  for (let r = 0; r < options.records; r++) {
    options.signals.forEach((_, s) => {
      for (const v of options.digital(s, r)) b.i16(v);
    });
    const text = new TextEncoder().encode(options.tals[r] ?? '');
    const out = new Uint8Array(ann.samplesPerRecord * 2);
    out.set(text);
    b.raw(out);
  }
  return b.bytes();
}

/** A GDF 2.20 file with int16 signals and a mode-3 event table (positions 1-based). */
export function writeGdf2(options: {
  labels: string[];
  rate: number;
  samples: number[][];
  physMin: number;
  physMax: number;
  events: { pos: number; typ: number; chn: number; dur: number }[];
}): Uint8Array {
  const ns = options.labels.length;
  const n = options.samples[0]!.length;
  const b = new Bytes()
    .ascii('GDF 2.20', 8)
    .ascii('patient', 66)
    .zeros(10)
    .zeros(4)
    .ascii('recording', 64)
    .zeros(16)
    .zeros(8)
    .zeros(8);
  b.u16(ns + 1)
    .zeros(6)
    .zeros(8)
    .zeros(6)
    .zeros(6)
    .zeros(24);
  b.i64(n).u32(1).u32(options.rate).u16(ns).zeros(2);
  const each = (f: (i: number) => void) => {
    for (let i = 0; i < options.labels.length; i++) f(i);
  };
  each((i) => b.ascii(options.labels[i]!, 16));
  each(() => b.ascii('', 80));
  each(() => b.ascii('uV', 6));
  each(() => b.u16(4275));
  each(() => b.f64(options.physMin));
  each(() => b.f64(options.physMax));
  each(() => b.f64(-32768));
  each(() => b.f64(32767));
  each(() => b.ascii('', 68));
  each(() => b.f32(0));
  each(() => b.f32(0));
  each(() => b.f32(0));
  each(() => b.u32(1));
  each(() => b.u32(3));
  each(() => b.zeros(12));
  each(() => b.zeros(20));
  for (let k = 0; k < n; k++) for (let s = 0; s < ns; s++) b.i16(options.samples[s]![k]!);
  const m = options.events.length;
  b.u8(3)
    .u8(m & 0xff)
    .u8((m >> 8) & 0xff)
    .u8((m >> 16) & 0xff)
    .f32(options.rate);
  for (const e of options.events) b.u32(e.pos);
  for (const e of options.events) b.u16(e.typ);
  for (const e of options.events) b.u16(e.chn);
  for (const e of options.events) b.u32(e.dur);
  return b.bytes();
}

/** BrainVision header, vectorised IEEE float32 data and a marker file. */
export function writeBrainVisionFloat32(
  channels: { name: string; values: number[] }[],
  intervalMicros: number,
  markers: string[],
): { header: Uint8Array; data: Uint8Array; markers: Uint8Array } {
  const header = [
    'Brain Vision Data Exchange Header File Version 1.0',
    '[Common Infos]',
    'DataFile=rec.eeg',
    'MarkerFile=rec.vmrk',
    'DataFormat=BINARY',
    'DataOrientation=VECTORIZED',
    `NumberOfChannels=${channels.length}`,
    `SamplingInterval=${intervalMicros}`,
    '[Binary Infos]',
    'BinaryFormat=IEEE_FLOAT_32',
    '[Channel Infos]',
    ...channels.map((c, i) => `Ch${i + 1}=${c.name.replace(/,/g, '\\1')},,1,µV`),
  ].join('\r\n');
  const data = new Bytes();
  for (const c of channels) for (const v of c.values) data.f32(v);
  const vmrk = [
    'Brain Vision Data Exchange Marker File, Version 1.0',
    '[Marker Infos]',
    ...markers.map((m, i) => `Mk${i + 1}=${m}`),
  ].join('\r\n');
  return {
    header: new TextEncoder().encode(header),
    data: data.bytes(),
    markers: new TextEncoder().encode(vmrk),
  };
}

/** An XDF file with one float32 stream (8 channels), a marker stream, clock offsets and footers. */
export function writeXdf(samples: number, rate: number): Uint8Array {
  const b = new Bytes().ascii('XDF:', 4);
  const chunk = (tag: number, body: Uint8Array) => {
    b.u8(4)
      .u32(body.length + 2)
      .u16(tag)
      .raw(body);
  };
  const text = (s: string) => new TextEncoder().encode(s);
  const withId = (id: number, body: Uint8Array) => new Bytes().u32(id).raw(body).bytes();
  chunk(1, text('<?xml version="1.0"?><info><version>1.0</version></info>'));
  chunk(
    2,
    withId(
      1,
      text(
        `<?xml version="1.0"?><info><name>eeg</name><type>EEG</type><channel_count>2</channel_count><nominal_srate>${rate}</nominal_srate><channel_format>float32</channel_format><desc><channels><channel><label>C3</label><unit>uV</unit></channel><channel><label>C4</label><unit>uV</unit></channel></channels></desc></info>`,
      ),
    ),
  );
  chunk(
    2,
    withId(
      2,
      text(
        '<?xml version="1.0"?><info><name>markers</name><type>Markers</type><channel_count>1</channel_count><nominal_srate>0</nominal_srate><channel_format>string</channel_format></info>',
      ),
    ),
  );
  const s = new Bytes().u32(1).u8(4).u32(samples);
  for (let k = 0; k < samples; k++) {
    if (k === 0) s.u8(8).f64(100);
    else s.u8(0);
    s.f32(Math.sin(k / 5)).f32(k);
  }
  chunk(3, s.bytes());
  const m = new Bytes().u32(2).u8(1).u8(2);
  for (const [t, label] of [
    [100.5, 'left'],
    [101.25, 'right'],
  ] as const)
    m.u8(8).f64(t).u8(1).u8(label.length).raw(text(label));
  chunk(3, m.bytes());
  chunk(4, new Bytes().u32(1).f64(100).f64(0.25).bytes());
  chunk(4, new Bytes().u32(1).f64(110).f64(0.25).bytes());
  chunk(6, withId(1, text('<info><sample_count>' + samples + '</sample_count></info>')));
  return b.bytes();
}

/** A little-endian level-5 MAT-file: fs (double), a signal vector, and a compressed cell of unit structs. */
export function writeMat(): Uint8Array {
  const element = (type: number, payload: Uint8Array) => {
    const pad = (8 - (payload.length % 8)) % 8;
    return new Bytes().u32(type).u32(payload.length).raw(payload).zeros(pad).bytes();
  };
  const int32s = (v: number[]) =>
    element(
      5,
      new Bytes()
        .view(4 * v.length, (d) => {
          v.forEach((x, i) => {
            d.setInt32(4 * i, x, true);
          });
        })
        .bytes(),
    );
  const doubles = (v: number[]) =>
    element(
      9,
      new Bytes()
        .view(8 * v.length, (d) => {
          v.forEach((x, i) => {
            d.setFloat64(8 * i, x, true);
          });
        })
        .bytes(),
    );
  const matrix = (cls: number, dims: number[], name: string, body: Uint8Array[]) =>
    element(
      14,
      new Bytes()
        .raw(element(6, new Bytes().u32(cls).u32(0).bytes()))
        .raw(int32s(dims))
        .raw(element(1, new TextEncoder().encode(name)))
        .raw(body.flatMap((x) => [...x]))
        .bytes(),
    );
  const numeric = (name: string, dims: number[], values: number[]) =>
    matrix(6, dims, name, [doubles(values)]);
  const struct = (fields: Record<string, Uint8Array>) => {
    const names = Object.keys(fields);
    const width = 16;
    const nameBytes = new Uint8Array(width * names.length);
    names.forEach((n, i) => {
      nameBytes.set(new TextEncoder().encode(n), i * width);
    });
    return matrix(2, [1, 1], '', [
      new Bytes().u32(0x00040005).u32(width).bytes(),
      element(1, nameBytes),
      ...Object.values(fields),
    ]);
  };
  const units = matrix(1, [1, 2], 'spikes', [
    struct({ time: numeric('', [3, 1], [1.5, 2.5, 3.5]), timerange: numeric('', [1, 2], [0, 10]) }),
    struct({ time: numeric('', [2, 1], [4, 5]), timerange: numeric('', [1, 2], [0, 10]) }),
  ]);
  const header = new Bytes()
    .ascii('MATLAB 5.0 MAT-file, written by the neurite tests', 116)
    .zeros(8)
    .u16(0x0100)
    .ascii('IM', 2)
    .bytes();
  const compressed = zlibSync(units);
  return new Bytes()
    .raw(header)
    .raw(numeric('fs', [1, 1], [100]))
    .raw(
      numeric(
        'sig',
        [1, 200],
        Array.from({ length: 200 }, (_, i) => Math.sin(i / 3)),
      ),
    )
    .u32(15)
    .u32(compressed.length)
    .raw(compressed)
    .bytes();
}

import { ByteReader, startsWith } from '../io/bytes.js';
import type { Annotation, Channel, Recording } from '../recording.js';

/**
 * GDF 1.x and 2.x (Schlögl's General Data Format for biosignals). A 256-byte fixed header, 256 bytes per
 * signal stored field by field, data records of binary samples typed per channel, then an event table:
 * mode (1: position + type; 3: also channel + duration), the count and rate, and the columns.
 *
 * Event positions are 1-based sample indices (as biosig's `EVENT.POS` is used from MATLAB); onsets are
 * `(pos − 1) / rate`. Channels: all signals are signal channels (GDF keeps events in the table, not in a
 * status channel); a signal labelled "Status"/"Trigger" is kept as kind `status` all the same.
 */
export function isGdf(head: Uint8Array): boolean {
  return (
    startsWith(head, 'GDF ') &&
    head.length >= 8 &&
    /^[12]\.\d\d$/.test(String.fromCharCode(...head.subarray(4, 8)))
  );
}

/** Bytes per sample and a reader for each GDF data type code. */
const GDF_TYPES: Record<number, { bytes: number; read: (v: DataView, o: number) => number }> = {
  1: { bytes: 1, read: (v, o) => v.getInt8(o) },
  2: { bytes: 1, read: (v, o) => v.getUint8(o) },
  3: { bytes: 2, read: (v, o) => v.getInt16(o, true) },
  4: { bytes: 2, read: (v, o) => v.getUint16(o, true) },
  5: { bytes: 4, read: (v, o) => v.getInt32(o, true) },
  6: { bytes: 4, read: (v, o) => v.getUint32(o, true) },
  7: { bytes: 8, read: (v, o) => Number(v.getBigInt64(o, true)) },
  8: { bytes: 8, read: (v, o) => Number(v.getBigUint64(o, true)) },
  16: { bytes: 4, read: (v, o) => v.getFloat32(o, true) },
  17: { bytes: 8, read: (v, o) => v.getFloat64(o, true) },
  279: {
    bytes: 3,
    read: (v, o) => {
      const u = v.getUint8(o) | (v.getUint8(o + 1) << 8) | (v.getUint8(o + 2) << 16);
      return u & 0x800000 ? u - 0x1000000 : u;
    },
  },
  535: { bytes: 3, read: (v, o) => v.getUint8(o) | (v.getUint8(o + 1) << 8) | (v.getUint8(o + 2) << 16) },
};

export function readGdf(bytes: Uint8Array, file = 'input'): Recording {
  const r = new ByteReader(bytes, 'GDF', file);
  if (!isGdf(bytes))
    throw r.error(
      'version',
      '"GDF 1.xx" or "GDF 2.xx"',
      JSON.stringify(r.text(0, Math.min(8, r.size), 'version')),
      0,
    );
  r.need(0, 256, 'fixed header');
  const version = Number(r.text(4, 4, 'version'));
  const v2 = version >= 2;
  const headerBytes = v2 ? 256 * r.u16(184, 'header length') : r.i64(184, 'header length');
  const records = r.i64(236, 'number of data records');
  let recordSeconds: number;
  if (v2 && version >= 2.21) recordSeconds = r.f64(244, 'data record duration');
  else {
    const num = r.u32(244, 'data record duration numerator');
    const den = r.u32(248, 'data record duration denominator');
    if (den === 0) throw r.error('data record duration denominator', 'a positive integer', '0', 248);
    recordSeconds = num / den;
  }
  const ns = v2 ? r.u16(252, 'number of signals') : r.u32(252, 'number of signals');
  if (ns < 1) throw r.error('number of signals', 'at least 1', String(ns), 252);
  if (headerBytes < 256 * (ns + 1)) {
    throw r.error(
      'header length',
      `at least 256 × (1 + ${ns}) = ${256 * (ns + 1)} bytes`,
      String(headerBytes),
      184,
    );
  }
  r.need(0, 256 * (ns + 1), 'signal headers');
  if (!(recordSeconds > 0) || !Number.isFinite(recordSeconds)) {
    throw r.error('data record duration', 'a positive number of seconds', String(recordSeconds), 244);
  }

  let o = 256;
  const texts = (width: number, name: string) => {
    const out: string[] = [];
    for (let i = 0; i < ns; i++) out.push(r.text(o + i * width, width, `${name} of signal ${i + 1}`).trim());
    o += width * ns;
    return out;
  };
  const nums = (width: 4 | 8, name: string, read: (at: number, f: string) => number) => {
    const out: number[] = [];
    for (let i = 0; i < ns; i++) out.push(read(o + i * width, `${name} of signal ${i + 1}`));
    o += width * ns;
    return out;
  };
  const f64 = (at: number, f: string) => r.f64(at, f);
  const labels = texts(16, 'label');
  texts(80, 'transducer');
  const units = texts(v2 ? 6 : 8, 'physical dimension');
  if (v2) o += 2 * ns; // physical dimension code
  const physMin = nums(8, 'physical minimum', f64);
  const physMax = nums(8, 'physical maximum', f64);
  const digMin = nums(8, 'digital minimum', v2 ? f64 : (at, f) => r.i64(at, f));
  const digMax = nums(8, 'digital maximum', v2 ? f64 : (at, f) => r.i64(at, f));
  o += (v2 ? 68 + 12 : 80) * ns; // prefiltering text (and in 2.x lowpass, highpass, notch)
  const sprStart = o;
  const spr = nums(4, 'samples per record', (at, f) => r.u32(at, f));
  const typeStart = o;
  const types = nums(4, 'data type', (at, f) => r.u32(at, f));

  const offsets: number[] = [];
  let recordBytes = 0;
  types.forEach((t, i) => {
    const type = GDF_TYPES[t];
    if (!type)
      throw r.error(
        `data type of signal ${i + 1}`,
        'a supported GDF type (1–8, 16, 17, 279, 535)',
        String(t),
        typeStart + 4 * i,
      );
    offsets.push(recordBytes);
    recordBytes += spr[i]! * type.bytes;
  });
  if (recordBytes === 0) throw r.error('samples per record', 'at least one sample per record', '0', sprStart);
  const available = Math.floor(Math.max(0, r.size - headerBytes) / recordBytes);
  const nRecords = records === -1 ? available : records;
  if (nRecords < 0 || nRecords > available) {
    throw r.error(
      'number of data records',
      `at most ${available} records of ${recordBytes} bytes`,
      String(records),
      236,
    );
  }

  const channels: Channel[] = [];
  const data: Float32Array[] = [];
  for (let s = 0; s < ns; s++) {
    const type = GDF_TYPES[types[s]!]!;
    const n = spr[s]!;
    const span = digMax[s]! - digMin[s]!;
    const gain = span !== 0 ? (physMax[s]! - physMin[s]!) / span : 1;
    const offset = span !== 0 ? physMin[s]! - digMin[s]! * gain : 0;
    const out = new Float32Array(nRecords * n);
    for (let rec = 0; rec < nRecords; rec++) {
      const base = headerBytes + rec * recordBytes + offsets[s]!;
      for (let k = 0; k < n; k++) out[rec * n + k] = type.read(r.view, base + k * type.bytes) * gain + offset;
    }
    const status = /^(status|trigger)$/i.test(labels[s]!);
    channels.push({
      name: labels[s]!,
      unit: units[s]!,
      sampleRate: n / recordSeconds,
      kind: status ? 'status' : 'signal',
    });
    data.push(out);
  }

  const eventsAt = headerBytes + nRecords * recordBytes;
  const rate = channels[0]!.sampleRate;
  const annotations = eventsAt < r.size ? readEventTable(r, eventsAt, v2, rate, ns) : [];
  return {
    format: 'gdf',
    version: r.text(4, 4, 'version'),
    channels,
    data,
    annotations,
    details: { records: nRecords, recordSeconds },
  };
}

function readEventTable(
  r: ByteReader,
  at: number,
  v2: boolean,
  signalRate: number,
  ns: number,
): Annotation[] {
  const mode = r.u8(at, 'event table mode');
  if (mode !== 1 && mode !== 3) throw r.error('event table mode', '1 or 3', String(mode), at);
  let n: number;
  let rate: number;
  if (v2) {
    n = r.u24(at + 1, 'number of events');
    rate = r.f32(at + 4, 'event sample rate');
  } else {
    rate = r.u24(at + 1, 'event sample rate');
    n = r.u32(at + 4, 'number of events');
  }
  if (!(rate > 0) || !Number.isFinite(rate)) rate = signalRate;
  const width = mode === 3 ? 12 : 6;
  r.need(at + 8, n * width, `event table of ${n} events`);
  const pos = at + 8;
  const typ = pos + 4 * n;
  const chn = typ + 2 * n;
  const dur = chn + 2 * n;
  const out: Annotation[] = [];
  for (let k = 0; k < n; k++) {
    const position = r.view.getUint32(pos + 4 * k, true);
    const code = r.view.getUint16(typ + 2 * k, true);
    const event: { onset: number; duration: number; label: string; code: number; channel?: number } = {
      onset: (position - 1) / rate,
      duration: mode === 3 ? r.view.getUint32(dur + 4 * k, true) / rate : 0,
      label: `0x${code.toString(16)}`,
      code,
    };
    if (mode === 3) {
      const channel = r.view.getUint16(chn + 2 * k, true);
      if (channel > 0 && channel <= ns) event.channel = channel - 1;
    }
    out.push(event);
  }
  return out;
}

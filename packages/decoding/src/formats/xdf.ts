import { ByteReader, startsWith, utf8 } from '../io/bytes.js';
import type { Annotation, Channel, Recording } from '../recording.js';

/**
 * XDF 1.0 (Lab Streaming Layer recordings): "XDF:" then chunks of [length-of-length byte (1, 4 or 8),
 * length, uint16 tag, content]. Tags: 1 file header, 2 stream header, 3 samples, 4 clock offset,
 * 5 boundary, 6 stream footer. Each sample chunk holds [count, then per sample an optional float64
 * timestamp and the values]; a sample without a timestamp follows the previous one by 1/nominal rate.
 *
 * Clock offsets (collection time, offset) are fitted per stream by least squares to a line and added to
 * that stream's timestamps, as pyxdf does by default, so streams share the recording computer's clock.
 */
export function isXdf(head: Uint8Array): boolean {
  return startsWith(head, 'XDF:');
}

export type XdfChannelFormat = 'float32' | 'double64' | 'int8' | 'int16' | 'int32' | 'int64' | 'string';
const FORMAT_BYTES: Record<XdfChannelFormat, number> = {
  float32: 4,
  double64: 8,
  int8: 1,
  int16: 2,
  int32: 4,
  int64: 8,
  string: 0,
};

export interface XdfStream {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  readonly channelCount: number;
  readonly nominalRate: number;
  readonly format: XdfChannelFormat;
  readonly channelLabels: string[];
  readonly channelUnits: string[];
  /** Sample times after clock-offset correction, in seconds on the recorder's clock. */
  readonly timestamps: Float64Array;
  /** Numeric streams: one array per channel. */
  readonly series: Float32Array[];
  /** String streams (markers): the values of each sample. */
  readonly strings: string[][];
  readonly clockOffsets: { time: number; value: number }[];
  readonly headerXml: string;
  readonly footerXml: string;
}

export interface XdfFile {
  readonly streams: XdfStream[];
  readonly fileHeaderXml: string;
}

/** Text of the first `<tag>…</tag>` in `xml` (no attributes, no nesting of the same tag). */
export function xmlText(xml: string, tag: string): string | undefined {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(xml);
  return m ? decodeEntities(m[1]!.trim()) : undefined;
}

function decodeEntities(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&amp;/g, '&');
}

interface Building {
  id: number;
  headerXml: string;
  footerXml: string;
  name: string;
  type: string;
  channelCount: number;
  nominalRate: number;
  format: XdfChannelFormat;
  labels: string[];
  units: string[];
  times: Float64Array[];
  values: Float32Array[][];
  strings: string[][];
  offsets: { time: number; value: number }[];
  last: number;
}

export function parseXdf(bytes: Uint8Array, file = 'input.xdf'): XdfFile {
  const r = new ByteReader(bytes, 'XDF', file);
  if (!isXdf(bytes)) throw r.error('magic', '"XDF:"', JSON.stringify(utf8(bytes.subarray(0, 4))), 0);
  const streams = new Map<number, Building>();
  let fileHeaderXml = '';
  let o = 4;
  const varlen = (at: number, field: string): [number, number] => {
    const n = r.u8(at, `${field} length width`);
    if (n === 1) return [r.u8(at + 1, field), at + 2];
    if (n === 4) return [r.u32(at + 1, field), at + 5];
    if (n === 8) return [r.u64(at + 1, field), at + 9];
    throw r.error(`${field} length width`, '1, 4 or 8', String(n), at);
  };
  const stream = (id: number, at: number) => {
    const s = streams.get(id);
    if (!s) throw r.error('stream id', 'a stream declared by an earlier stream header', String(id), at);
    return s;
  };
  while (o < r.size) {
    const chunkStart = o;
    const [length, contentAt] = varlen(o, 'chunk');
    if (length < 2) throw r.error('chunk length', 'at least 2 (the tag)', String(length), chunkStart);
    r.need(contentAt, length, 'chunk');
    const tag = r.u16(contentAt, 'chunk tag');
    const body = contentAt + 2;
    const end = contentAt + length;
    switch (tag) {
      case 1:
        fileHeaderXml = utf8(r.slice(body, end - body, 'file header'));
        break;
      case 2: {
        const id = r.u32(body, 'stream id');
        const xml = utf8(r.slice(body + 4, end - body - 4, 'stream header'));
        streams.set(id, newStream(r, id, xml, body));
        break;
      }
      case 3:
        readSamples(r, stream(r.u32(body, 'stream id'), body), body + 4, end, varlen);
        break;
      case 4: {
        const s = stream(r.u32(body, 'stream id'), body);
        s.offsets.push({
          time: r.f64(body + 4, 'clock offset time'),
          value: r.f64(body + 12, 'clock offset value'),
        });
        break;
      }
      case 5:
        break;
      case 6: {
        const s = stream(r.u32(body, 'stream id'), body);
        s.footerXml = utf8(r.slice(body + 4, end - body - 4, 'stream footer'));
        break;
      }
      default:
        throw r.error('chunk tag', '1 to 6', String(tag), contentAt);
    }
    o = end;
  }
  return { fileHeaderXml, streams: [...streams.values()].map(finish) };
}

function newStream(r: ByteReader, id: number, xml: string, at: number): Building {
  const channelCount = Number(xmlText(xml, 'channel_count'));
  if (!Number.isInteger(channelCount) || channelCount < 1 || channelCount > 65536) {
    throw r.error('channel_count', 'an integer from 1 to 65536', String(xmlText(xml, 'channel_count')), at);
  }
  const format = (xmlText(xml, 'channel_format') ?? '') as XdfChannelFormat;
  if (!(format in FORMAT_BYTES))
    throw r.error('channel_format', Object.keys(FORMAT_BYTES).join(', '), JSON.stringify(format), at);
  const nominalRate = Number(xmlText(xml, 'nominal_srate') ?? 0);
  const labels: string[] = [];
  const units: string[] = [];
  const channels = /<channels>([\s\S]*?)<\/channels>/.exec(xml)?.[1] ?? '';
  for (const m of channels.matchAll(/<channel>([\s\S]*?)<\/channel>/g)) {
    labels.push(xmlText(m[1]!, 'label') ?? '');
    units.push(xmlText(m[1]!, 'unit') ?? '');
  }
  return {
    id,
    headerXml: xml,
    footerXml: '',
    name: xmlText(xml, 'name') ?? '',
    type: xmlText(xml, 'type') ?? '',
    channelCount,
    nominalRate: Number.isFinite(nominalRate) && nominalRate > 0 ? nominalRate : 0,
    format,
    labels,
    units,
    times: [],
    values: Array.from({ length: format === 'string' ? 0 : channelCount }, () => []),
    strings: [],
    offsets: [],
    last: 0,
  };
}

function readSamples(
  r: ByteReader,
  s: Building,
  at: number,
  end: number,
  varlen: (at: number, field: string) => [number, number],
): void {
  const [count, first] = varlen(at, 'sample count');
  const width = FORMAT_BYTES[s.format];
  // Each sample needs at least its timestamp flag and its values: refuse counts the chunk cannot hold.
  const least = 1 + (s.format === 'string' ? 2 : width) * s.channelCount;
  if (count * least > end - first) {
    throw r.error(
      'sample count',
      `at most ${Math.floor((end - first) / least)} samples in this chunk`,
      String(count),
      at,
    );
  }
  const times = new Float64Array(count);
  const cols =
    s.format === 'string' ? [] : Array.from({ length: s.channelCount }, () => new Float32Array(count));
  const step = s.nominalRate > 0 ? 1 / s.nominalRate : 0;
  let o = first;
  for (let k = 0; k < count; k++) {
    const flag = r.u8(o, 'timestamp width');
    o += 1;
    if (flag === 8) {
      s.last = r.f64(o, 'timestamp');
      o += 8;
    } else if (flag === 0) s.last += step;
    else throw r.error('timestamp width', '0 or 8', String(flag), o - 1);
    times[k] = s.last;
    if (s.format === 'string') {
      const row: string[] = [];
      for (let c = 0; c < s.channelCount; c++) {
        const [n, textAt] = varlen(o, 'string value');
        if (textAt + n > end) throw r.error('string value', 'text inside its chunk', `${n} bytes`, o);
        row.push(utf8(r.slice(textAt, n, 'string value')));
        o = textAt + n;
      }
      s.strings.push(row);
      continue;
    }
    if (o + width * s.channelCount > end)
      throw r.error('sample values', 'values inside their chunk', 'the chunk ended', o);
    for (let c = 0; c < s.channelCount; c++, o += width) cols[c]![k] = readValue(r.view, o, s.format);
  }
  s.times.push(times);
  cols.forEach((col, c) => {
    s.values[c]!.push(col);
  });
}

function readValue(v: DataView, o: number, format: XdfChannelFormat): number {
  switch (format) {
    case 'float32':
      return v.getFloat32(o, true);
    case 'double64':
      return v.getFloat64(o, true);
    case 'int8':
      return v.getInt8(o);
    case 'int16':
      return v.getInt16(o, true);
    case 'int32':
      return v.getInt32(o, true);
    default:
      return Number(v.getBigInt64(o, true));
  }
}

function concat<T extends Float32Array | Float64Array>(parts: T[], make: (n: number) => T): T {
  const out = make(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Least-squares line through the clock offsets: offset(t) = a + b·t. */
function offsetLine(offsets: { time: number; value: number }[]): (t: number) => number {
  if (offsets.length === 0) return () => 0;
  const n = offsets.length;
  const mt = offsets.reduce((s, p) => s + p.time, 0) / n;
  const mv = offsets.reduce((s, p) => s + p.value, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of offsets) {
    sxx += (p.time - mt) ** 2;
    sxy += (p.time - mt) * (p.value - mv);
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  return (t) => mv + b * (t - mt);
}

function finish(s: Building): XdfStream {
  const timestamps = concat(s.times, (n) => new Float64Array(n));
  const offset = offsetLine(s.offsets);
  for (let i = 0; i < timestamps.length; i++) timestamps[i] = timestamps[i]! + offset(timestamps[i]!);
  return {
    id: s.id,
    name: s.name,
    type: s.type,
    channelCount: s.channelCount,
    nominalRate: s.nominalRate,
    format: s.format,
    channelLabels: s.labels,
    channelUnits: s.units,
    timestamps,
    series: s.values.map((parts) => concat(parts, (n) => new Float32Array(n))),
    strings: s.strings,
    clockOffsets: s.offsets,
    headerXml: s.headerXml,
    footerXml: s.footerXml,
  };
}

/**
 * The common recording of an XDF file: the regularly sampled numeric stream with the most channels ×
 * rate (EEG-typed streams first) gives the channels; string streams give annotations, timed from that
 * stream's first sample.
 */
export function readXdf(bytes: Uint8Array, file = 'input.xdf'): Recording {
  const xdf = parseXdf(bytes, file);
  const numeric = xdf.streams.filter((s) => s.format !== 'string' && s.nominalRate > 0);
  numeric.sort(
    (a, b) =>
      Number(b.type.toUpperCase() === 'EEG') - Number(a.type.toUpperCase() === 'EEG') ||
      b.channelCount * b.nominalRate - a.channelCount * a.nominalRate,
  );
  const main = numeric[0];
  const t0 = main?.timestamps[0] ?? 0;
  const channels: Channel[] = main
    ? main.series.map((_, c) => ({
        name: main.channelLabels[c] || `${main.name || 'ch'}${c + 1}`,
        unit: main.channelUnits[c] ?? '',
        sampleRate: main.nominalRate,
        kind: 'signal',
      }))
    : [];
  const annotations: Annotation[] = [];
  for (const s of xdf.streams) {
    if (s.format !== 'string') continue;
    s.strings.forEach((row, k) => {
      annotations.push({ onset: s.timestamps[k]! - t0, duration: 0, label: row.join(',') });
    });
  }
  annotations.sort((a, b) => a.onset - b.onset);
  return {
    format: 'xdf',
    version: xmlText(xdf.fileHeaderXml, 'version') ?? '1.0',
    channels,
    data: main ? main.series : [],
    annotations,
    details: {
      streams: xdf.streams.map((s) => ({
        id: s.id,
        name: s.name,
        type: s.type,
        channels: s.channelCount,
        format: s.format,
        nominalRate: s.nominalRate,
        samples: s.timestamps.length,
        clockOffsets: s.clockOffsets.length,
        ...(s.timestamps.length > 1
          ? {
              effectiveRate:
                (s.timestamps.length - 1) / (s.timestamps[s.timestamps.length - 1]! - s.timestamps[0]!),
            }
          : {}),
      })),
    },
  };
}

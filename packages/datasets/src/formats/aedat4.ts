import { CameraEventArrays } from '../events/builder.js';
import { finishCamera, type SensorHint } from '../events/sensor.js';
import type { CameraEvents } from '../events/types.js';
import { ByteReader, startsWith } from '../io/bytes.js';
import { FlatTable } from '../io/flatbuffer.js';
import { decodeLz4Frame } from '../io/lz4.js';
import { fileLabel, type ReadOptions } from './options.js';

export const AEDAT4 = 'aedat4';

const VERSION_LINE = '#!AER-DAT4.0\r\n';
/** IOHeader.compression values (dv-processing's IOHeader.fbs). */
const COMPRESSION = ['none', 'lz4', 'lz4-high', 'zstd', 'zstd-high'] as const;
/** dv::Event: int64 timestamp, int16 x, int16 y, bool polarity, padded to 16 bytes. */
const EVENT_STRUCT_BYTES = 16;

export interface Aedat4Stream {
  readonly id: number;
  /** The stream's FlatBuffer type identifier: EVTS (events), IMUS, FRME (frames), TRIG, … */
  readonly type: string;
  readonly name: string;
  readonly sensor?: [number, number];
}

export interface Aedat4Info {
  readonly compression: (typeof COMPRESSION)[number];
  readonly streams: readonly Aedat4Stream[];
  /** Packets per stream id. */
  readonly packets: Readonly<Record<number, number>>;
  /** Elements per stream id according to the file's own data table (FTAB), when it has one. */
  readonly tableElements?: Readonly<Record<number, number>>;
}

export interface Aedat4Options extends ReadOptions {
  /** The event stream to read; the lowest-numbered EVTS stream by default. */
  readonly stream?: number;
  readonly sensor?: readonly [number, number];
}

/**
 * AEDAT 4.0 (iniVation DV): `#!AER-DAT4.0\r\n`, an int32 header length, an IOHeader FlatBuffer
 * (identifier IOHE: compression, data-table position, an XML description of the streams), then packets
 * of [int32 stream id, int32 size, payload]. Each payload is a FlatBuffer, LZ4-frame compressed when the
 * header says so; event packets (EVTS) hold a vector of 16-byte dv::Event structs. Other streams (IMU,
 * frames, triggers) are counted and skipped.
 */
export function readAedat4(
  bytes: Uint8Array,
  options: Aedat4Options = {},
): CameraEvents & { info: Aedat4Info } {
  const r: ByteReader = new ByteReader(bytes, AEDAT4, fileLabel(options));
  const header = readHeader(r);
  const eventStreams = header.streams.filter((s) => s.type === 'EVTS');
  const target =
    options.stream !== undefined
      ? header.streams.find((s) => s.id === options.stream)
      : eventStreams.sort((a, b) => a.id - b.id)[0];
  if (target?.type !== 'EVTS') {
    r.fail(
      'stream',
      options.stream !== undefined ? `an EVTS stream with id ${options.stream}` : 'an EVTS (events) stream',
      header.streams.map((s) => `${s.id}:${s.type}`).join(', ') || 'no streams',
      header.infoOffset,
    );
  }
  const packets: Record<number, number> = {};
  const decoded: { payload: Uint8Array; at: number; index: number }[] = [];
  let events = 0;
  let index = 0;
  for (const packet of packetsOf(r, header)) {
    packets[packet.stream] = (packets[packet.stream] ?? 0) + 1;
    if (packet.stream === target.id) {
      const payload =
        header.compression === 'none'
          ? r.slice(packet.at, packet.size, 'packet payload')
          : decodeLz4Frame(r, packet.at, packet.size, `packet ${index}`);
      const buffer = unprefixed(r, payload, packet.at, index);
      const table = FlatTable.root(buffer, innerFail(r, packet.at, index), 'EVTS');
      const elements = table.vector(0, EVENT_STRUCT_BYTES);
      events += elements?.length ?? 0;
      decoded.push({ payload: buffer, at: packet.at, index });
    }
    index++;
  }
  const out = new CameraEventArrays(events);
  for (const { payload, at, index: k } of decoded) {
    const table = FlatTable.root(payload, innerFail(r, at, k), 'EVTS');
    const elements = table.vector(0, EVENT_STRUCT_BYTES);
    if (!elements) continue;
    const view = new DataView(payload.buffer, payload.byteOffset, payload.byteLength);
    for (let i = 0; i < elements.length; i++) {
      const o = elements.start + i * EVENT_STRUCT_BYTES;
      const low = view.getUint32(o, true);
      const high = view.getInt32(o + 4, true);
      if (high < -0x200000 || high >= 0x200000)
        r.fail(`packet ${k} event timestamp`, 'a timestamp within ±2^53 µs', `high word ${high}`, at);
      const x = view.getInt16(o + 8, true);
      const y = view.getInt16(o + 10, true);
      if (x < 0 || y < 0) r.fail(`packet ${k} event address`, 'non-negative x and y', `(${x}, ${y})`, at);
      out.push(x, y, high * 2 ** 32 + low, payload[o + 12] ? 1 : 0);
    }
  }
  const tableElements = readDataTable(r, header);
  const listed = tableElements?.[target.id];
  if (listed !== undefined && listed !== events) {
    r.fail(
      'data table',
      `${events} elements in stream ${target.id} (as its packets hold)`,
      `${listed} listed`,
      header.dataTablePosition,
    );
  }
  let hint: SensorHint | undefined;
  if (options.sensor) hint = { size: options.sensor, stated: true };
  else if (target.sensor) hint = { size: target.sensor, stated: true };
  const stream = finishCamera(r, out, hint);
  const info: Aedat4Info = {
    compression: header.compression,
    streams: header.streams,
    packets,
    ...(tableElements ? { tableElements } : {}),
  };
  return { ...stream, info };
}

/**
 * The file data table (identifier FTAB) at `dataTablePosition`: one FileDataDefinition per packet
 * (int64 byte offset, struct PacketHeader {int32 stream, int32 size}, int64 element count, first and
 * last timestamps), compressed like the packets and size-prefixed.
 */
function readDataTable(r: ByteReader, header: Header): Record<number, number> | undefined {
  const at = header.dataTablePosition;
  if (at < 0 || at >= r.length) return undefined;
  const size = r.length - at;
  const payload =
    header.compression === 'none'
      ? r.slice(at, size, 'data table')
      : decodeLz4Frame(r, at, size, 'data table');
  const fail = (field: string, expected: string, found: string, inner?: number): never =>
    r.fail(
      `data table ${field}${inner === undefined ? '' : ` (byte ${inner} of the decoded table)`}`,
      expected,
      found,
      at,
    );
  const table = FlatTable.root(unprefixed(r, payload, at, -1), fail, 'FTAB');
  const elements: Record<number, number> = {};
  for (const entry of table.tables(0)) {
    const packet = entry.struct(1, 8);
    if (!packet) fail('PacketInfo', 'a packet header in every entry', 'none');
    const stream = entry.bb.readInt32(packet);
    const count = entry.int64(2, 0);
    if (count < 0) fail('NumElements', 'a non-negative count', String(count));
    elements[stream] = (elements[stream] ?? 0) + count;
  }
  return elements;
}

interface Header {
  readonly compression: Aedat4Info['compression'];
  readonly dataTablePosition: number;
  readonly streams: Aedat4Stream[];
  readonly packetsStart: number;
  readonly infoOffset: number;
}

function readHeader(r: ByteReader): Header {
  if (!startsWith(r.bytes, VERSION_LINE)) {
    r.fail(
      'version line',
      JSON.stringify(VERSION_LINE),
      JSON.stringify(r.ascii(0, Math.min(14, r.length), 'version line')),
      0,
    );
  }
  const length = r.i32(14, 'header length');
  if (length < 8) r.fail('header length', 'at least 8 bytes', String(length), 14);
  const headerBytes = r.slice(18, length, 'IOHeader');
  const table = FlatTable.root(
    headerBytes,
    (field, expected, found) => r.fail(`IOHeader ${field}`, expected, found, 18),
    'IOHE',
  );
  const code = table.int32(0, 0);
  const compression = COMPRESSION[code];
  if (compression === undefined) r.fail('IOHeader compression', '0–4', String(code), 18);
  if (compression === 'zstd' || compression === 'zstd-high')
    r.fail('IOHeader compression', 'none or LZ4 (Zstandard is not supported)', compression, 18);
  const dataTablePosition = table.int64(1, -1);
  const xml = table.string(2) ?? '';
  return {
    compression,
    dataTablePosition,
    streams: parseStreams(xml),
    packetsStart: 18 + length,
    infoOffset: 18,
  };
}

function* packetsOf(r: ByteReader, header: Header): Generator<{ stream: number; at: number; size: number }> {
  // The file data table (an index of packets) starts at dataTablePosition when one was written.
  const end =
    header.dataTablePosition > 0 && header.dataTablePosition <= r.length
      ? header.dataTablePosition
      : r.length;
  let pos = header.packetsStart;
  while (pos < end) {
    const stream = r.i32(pos, 'packet stream id');
    const size = r.i32(pos + 4, 'packet size');
    if (size <= 0) r.fail('packet size', 'a positive byte count', String(size), pos + 4);
    r.need(pos + 8, size, 'packet payload');
    if (pos + 8 + size > end)
      r.fail(
        'packet payload',
        `${size} bytes before the data table at byte ${end}`,
        'a packet overlapping it',
        pos,
      );
    yield { stream, at: pos + 8, size };
    pos += 8 + size;
  }
}

/** Packets hold size-prefixed FlatBuffers: a uint32 length, then the buffer. */
function unprefixed(r: ByteReader, payload: Uint8Array, at: number, index: number): Uint8Array {
  const what = index < 0 ? 'data table' : `packet ${index}`;
  if (payload.length < 4)
    r.fail(`${what} size prefix`, 'a 4-byte FlatBuffer size prefix', `${payload.length} bytes`, at);
  const size = new DataView(payload.buffer, payload.byteOffset, 4).getUint32(0, true);
  if (size !== payload.length - 4)
    r.fail(`${what} size prefix`, `${payload.length - 4} (the decoded size − 4)`, String(size), at);
  return payload.subarray(4);
}

function innerFail(r: ByteReader, at: number, index: number) {
  return (field: string, expected: string, found: string, inner?: number): never =>
    r.fail(
      `packet ${index} ${field}${inner === undefined ? '' : ` (byte ${inner} of the decoded packet)`}`,
      expected,
      found,
      at,
    );
}

interface XmlNode {
  readonly name: string;
  readonly attrs: Map<string, string>;
  readonly children: XmlNode[];
}

/** A tree of the `<node name>` / `<attr key>` elements of DV's XML configuration format. */
function parseDvXml(xml: string): XmlNode {
  const root: XmlNode = { name: '', attrs: new Map(), children: [] };
  const stack = [root];
  const token = /<node\s+name="([^"]*)"[^>]*?(\/?)>|<\/node>|<attr\s+key="([^"]*)"[^>]*>([^<]*)<\/attr>/g;
  for (const m of xml.matchAll(token)) {
    const top = stack[stack.length - 1]!;
    if (m[1] !== undefined) {
      const node: XmlNode = { name: m[1], attrs: new Map(), children: [] };
      top.children.push(node);
      // Deeper nesting than DV ever writes is flattened, so a hostile header cannot exhaust the stack.
      if (m[2] !== '/' && stack.length < 64) stack.push(node);
    } else if (m[3] !== undefined) {
      top.attrs.set(m[3], m[4] ?? '');
    } else if (stack.length > 1) {
      stack.pop();
    }
  }
  return root;
}

function findNode(node: XmlNode, name: string): XmlNode | undefined {
  if (node.name === name) return node;
  for (const child of node.children) {
    const found = findNode(child, name);
    if (found) return found;
  }
  return undefined;
}

/** The streams described by the header's XML: the numbered children of `outInfo`, with their attributes. */
export function parseStreams(xml: string): Aedat4Stream[] {
  const outInfo = findNode(parseDvXml(xml), 'outInfo');
  const streams: Aedat4Stream[] = [];
  for (const node of outInfo?.children ?? []) {
    if (!/^\d+$/.test(node.name)) continue;
    const info = node.children.find((c) => c.name === 'info');
    const sizeX = Number(info?.attrs.get('sizeX'));
    const sizeY = Number(info?.attrs.get('sizeY'));
    streams.push({
      id: Number(node.name),
      type: node.attrs.get('typeIdentifier') ?? '',
      name: node.attrs.get('originalOutputName') ?? '',
      ...(sizeX > 0 && sizeY > 0 && sizeX <= 65536 && sizeY <= 65536
        ? { sensor: [sizeX, sizeY] as [number, number] }
        : {}),
    });
  }
  return streams;
}

export function detectAedat4(head: Uint8Array): boolean {
  return startsWith(head, VERSION_LINE);
}

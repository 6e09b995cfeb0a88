import { CameraEventArrays } from '../events/builder.js';
import { finishCamera, type SensorHint, sensorFromName } from '../events/sensor.js';
import type { CameraEvents } from '../events/types.js';
import { ByteReader, startsWith } from '../io/bytes.js';
import { readHeaderLines } from '../io/header.js';
import { fileLabel, type ReadOptions } from './options.js';

export const AEDAT31 = 'aedat3';

const PACKET_HEADER_BYTES = 28;
const POLARITY_EVENT = 1;

export interface Aedat31Options extends ReadOptions {
  /** [width, height]; by default from the `#Source` header line (e.g. DVS128), else the largest coordinates. */
  readonly sensor?: readonly [number, number];
}

/**
 * AEDAT 3.1 (cAER, DV; the DVS Gesture recordings): `#` header lines from `#!AER-DAT3.1` to
 * `#!END-HEADER`, then little-endian packets. A packet header is 28 bytes: int16 type, int16 source,
 * int32 event size, int32 timestamp offset, int32 timestamp overflow, int32 capacity, int32 number,
 * int32 valid; `capacity × size` bytes of events follow. Polarity events (type 1) are uint32 data (bit 0
 * valid, bit 1 polarity, bits 2–16 y, bits 17–31 x) and an int32 timestamp; the full time is
 * overflow·2^31 + timestamp. Only valid polarity events are read; other packet types are skipped.
 */
export function readAedat31(bytes: Uint8Array, options: Aedat31Options = {}): CameraEvents {
  const r: ByteReader = new ByteReader(bytes, AEDAT31, fileLabel(options));
  if (!startsWith(bytes, '#!AER-DAT3.1'))
    r.fail(
      'version line',
      '#!AER-DAT3.1',
      JSON.stringify(r.ascii(0, Math.min(12, bytes.length), 'version line')),
      0,
    );
  const header = readHeaderLines(r, '#', { endLine: '#!END-HEADER' });
  if (header.lines[header.lines.length - 1] !== '!END-HEADER') {
    r.fail('header', 'a #!END-HEADER line', 'the header ending without one', header.end);
  }
  const packets: { offset: number; size: number; tsOffset: number; overflow: number; number: number }[] = [];
  let events = 0;
  let pos = header.end;
  while (pos < bytes.length) {
    const type = r.i16(pos, 'packet event type');
    const size = r.i32(pos + 4, 'packet event size');
    const tsOffset = r.i32(pos + 8, 'packet timestamp offset');
    const overflow = r.i32(pos + 12, 'packet timestamp overflow');
    const capacity = r.i32(pos + 16, 'packet event capacity');
    const number = r.i32(pos + 20, 'packet event number');
    r.i32(pos + 24, 'packet valid count');
    if (size <= 0) r.fail('packet event size', 'a positive byte count', String(size), pos + 4);
    if (capacity < 0 || number < 0 || number > capacity) {
      r.fail('packet event number', `between 0 and the capacity ${capacity}`, String(number), pos + 20);
    }
    const payload = capacity * size;
    r.need(pos + PACKET_HEADER_BYTES, payload, 'packet events');
    if (type === POLARITY_EVENT) {
      if (size < 8) r.fail('polarity event size', 'at least 8 bytes', String(size), pos + 4);
      if (tsOffset < 0 || tsOffset + 4 > size)
        r.fail('packet timestamp offset', `within the ${size}-byte event`, String(tsOffset), pos + 8);
      if (overflow < 0)
        r.fail('packet timestamp overflow', 'a non-negative count', String(overflow), pos + 12);
      const start = pos + PACKET_HEADER_BYTES;
      packets.push({ offset: start, size, tsOffset, overflow, number });
      for (let i = 0; i < number; i++) if (r.view.getUint32(start + i * size, true) & 1) events++;
    }
    pos += PACKET_HEADER_BYTES + payload;
  }
  const out = new CameraEventArrays(events);
  for (const packet of packets) {
    const base = packet.overflow * 2 ** 31;
    for (let i = 0; i < packet.number; i++) {
      const o = packet.offset + i * packet.size;
      const data = r.view.getUint32(o, true);
      if ((data & 1) === 0) continue;
      const ts = r.view.getInt32(o + packet.tsOffset, true);
      if (ts < 0)
        r.fail('event timestamp', 'a non-negative 31-bit timestamp', String(ts), o + packet.tsOffset);
      out.push((data >>> 17) & 0x7fff, (data >>> 2) & 0x7fff, base + ts, (data >>> 1) & 1);
    }
  }
  let hint: SensorHint | undefined;
  if (options.sensor) hint = { size: options.sensor, stated: true };
  else {
    const source = header.lines.find((l) => /^-?Source \d+:/.test(l));
    const named = source ? sensorFromName(source) : undefined;
    if (named) hint = { size: named, stated: false };
  }
  return finishCamera(r, out, hint);
}

export function detectAedat31(head: Uint8Array): boolean {
  return startsWith(head, '#!AER-DAT3.1');
}

import { CameraEventArrays } from '../events/builder.js';
import { finishCamera } from '../events/sensor.js';
import type { CameraEvents } from '../events/types.js';
import { ByteReader, extensionOf } from '../io/bytes.js';
import { fileLabel, type ReadOptions } from './options.js';
import { headText, propheseeSensor, readPropheseeHeader } from './prophesee-header.js';
import { TimestampUnwrapper } from './unwrap.js';

export const PROPHESEE_DAT = 'prophesee-dat';

/** Event type bytes of DAT files holding change-detection events (Event2D and EventCD). */
const CD_TYPES = new Set([0x00, 0x0c]);
const EVENT_BYTES = 8;

export interface PropheseeDatOptions extends ReadOptions {
  /** [width, height]; by default from the `% Width`/`% Height` header lines. */
  readonly sensor?: readonly [number, number];
}

/**
 * Prophesee DAT: `%` header lines, one byte event type (0x00 or 0x0C for CD events), one byte event size
 * (8), then little-endian [uint32 timestamp (µs), uint32 data] with x = data bits 0–13, y = bits 14–27,
 * polarity = bits 28–31.
 */
export function readPropheseeDat(bytes: Uint8Array, options: PropheseeDatOptions = {}): CameraEvents {
  const r: ByteReader = new ByteReader(bytes, PROPHESEE_DAT, fileLabel(options));
  const header = readPropheseeHeader(r);
  const type = r.u8(header.end, 'event type');
  const size = r.u8(header.end + 1, 'event size');
  if (!CD_TYPES.has(type))
    r.fail('event type', '0x00 or 0x0C (CD events)', `0x${type.toString(16)}`, header.end);
  if (size !== EVENT_BYTES) r.fail('event size', '8 bytes', `${size} bytes`, header.end + 1);
  const start = header.end + 2;
  const remaining = bytes.length - start;
  if (remaining % EVENT_BYTES !== 0) {
    r.fail(
      'event records',
      'a whole number of 8-byte events',
      `${remaining} bytes after the header`,
      bytes.length - (remaining % EVENT_BYTES),
    );
  }
  const n = remaining / EVENT_BYTES;
  const out = new CameraEventArrays(n);
  const clock = new TimestampUnwrapper(2 ** 32);
  for (let i = 0; i < n; i++) {
    const o = start + i * EVENT_BYTES;
    const t = clock.next(r.view.getUint32(o, true));
    const data = r.view.getUint32(o + 4, true);
    const p = data >>> 28;
    if (p > 1) r.fail('polarity', '0 or 1', String(p), o + 4);
    out.push(data & 0x3fff, (data >>> 14) & 0x3fff, t, p);
  }
  return finishCamera(r, out, propheseeSensor(header.lines, options.sensor));
}

/** A `%` header without an EVT format line, and a `.dat` name. */
export function detectPropheseeDat(head: Uint8Array, fileName: string): boolean {
  if (head[0] !== 0x25 || extensionOf(fileName) !== '.dat') return false;
  const text = headText(head);
  return !/evt ?[23]/.test(text);
}

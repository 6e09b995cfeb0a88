import { CameraEventArrays } from '../events/builder.js';
import { finishCamera } from '../events/sensor.js';
import type { CameraEvents } from '../events/types.js';
import { ByteReader } from '../io/bytes.js';
import { fileLabel, type ReadOptions } from './options.js';
import { headText, propheseeSensor, readPropheseeHeader } from './prophesee-header.js';

export const EVT2 = 'evt2';

const CD_OFF = 0x0;
const CD_ON = 0x1;
const TIME_HIGH = 0x8;
const IGNORED = new Set([0xa /* EXT_TRIGGER */, 0xe /* OTHERS */, 0xf /* CONTINUED */]);
/** TIME_HIGH holds bits 33–6 of the timestamp; it wraps after 2^34 µs. */
const TIME_HIGH_PERIOD = 2 ** 28;

export interface Evt2Options extends ReadOptions {
  readonly sensor?: readonly [number, number];
}

/**
 * Prophesee EVT 2.0: `%` header lines, then little-endian 32-bit words with the type in bits 31–28.
 * CD_OFF (0) / CD_ON (1): bits 27–22 timestamp low 6 bits, 21–11 x, 10–0 y. EVT_TIME_HIGH (8): bits
 * 27–0 are timestamp bits 33–6. EXT_TRIGGER, OTHERS and CONTINUED words are skipped; other types are
 * reserved and rejected.
 */
export function readEvt2(bytes: Uint8Array, options: Evt2Options = {}): CameraEvents {
  const r: ByteReader = new ByteReader(bytes, EVT2, fileLabel(options));
  const header = readPropheseeHeader(r);
  const remaining = bytes.length - header.end;
  if (remaining % 4 !== 0)
    r.fail(
      'event words',
      'whole 32-bit words',
      `${remaining} bytes after the header`,
      bytes.length - (remaining % 4),
    );
  const words = remaining / 4;
  let events = 0;
  for (let i = 0; i < words; i++) {
    const o = header.end + i * 4;
    const type = r.view.getUint32(o, true) >>> 28;
    if (type === CD_OFF || type === CD_ON) events++;
    else if (type !== TIME_HIGH && !IGNORED.has(type))
      r.fail('event type', 'an EVT 2.0 word type (0, 1, 8, 10, 14, 15)', String(type), o);
  }
  const out = new CameraEventArrays(events);
  let high = 0;
  let loops = 0;
  for (let i = 0; i < words; i++) {
    const w = r.view.getUint32(header.end + i * 4, true);
    const type = w >>> 28;
    if (type === TIME_HIGH) {
      const next = w & 0x0fffffff;
      if (next < high) loops++;
      high = next;
    } else if (type === CD_OFF || type === CD_ON) {
      const t = (loops * TIME_HIGH_PERIOD + high) * 64 + ((w >>> 22) & 0x3f);
      out.push((w >>> 11) & 0x7ff, w & 0x7ff, t, type);
    }
  }
  return finishCamera(r, out, propheseeSensor(header.lines, options.sensor));
}

export function detectEvt2(head: Uint8Array): boolean {
  return head[0] === 0x25 && /evt ?2(\.0)?\b|format evt2/.test(headText(head));
}

import { type ChannelEvents, sortEvents } from '../events/types.js';
import { ByteReader, extensionOf, startsWith } from '../io/bytes.js';
import { readHeaderLines } from '../io/header.js';
import { fileLabel, type ReadOptions } from './options.js';
import { TimestampUnwrapper } from './unwrap.js';

export const COCHLEA_AER = 'cochlea-aer';

export interface CochleaAerOptions extends ReadOptions {
  /** Bytes per address: 2 (default) or 4. */
  readonly addressBytes?: 2 | 4;
  /** Microseconds per timestamp tick; 0.2 for 2-byte addresses and 1 for 4-byte ones by default (pyNAVIS). */
  readonly tickMicroseconds?: number;
  /** Number of addresses; by default the largest address + 1. Addresses at or above it are an error. */
  readonly channels?: number;
  /** Split each address into channel = address >> 1 and polarity = address & 1 (ON/OFF cochleas). */
  readonly onOff?: boolean;
}

/**
 * Headerless address-event data of neuromorphic auditory sensors (NAS, as written by jAER/pyNAVIS, the
 * AEDAT 1.0 layout): big-endian [address, uint32 timestamp] records, 6 bytes with 2-byte addresses or
 * 8 bytes with 4-byte ones. Optional `#` header lines are skipped. Timestamps are unwrapped at 2^32
 * ticks and scaled to µs.
 */
export function readCochleaAer(bytes: Uint8Array, options: CochleaAerOptions = {}): ChannelEvents {
  const r: ByteReader = new ByteReader(bytes, COCHLEA_AER, fileLabel(options));
  const addressBytes = options.addressBytes ?? 2;
  if (addressBytes !== 2 && addressBytes !== 4) r.fail('address size', '2 or 4 bytes', String(addressBytes));
  const tick = options.tickMicroseconds ?? (addressBytes === 2 ? 0.2 : 1);
  if (!(tick > 0) || !Number.isFinite(tick))
    r.fail('tick', 'a positive number of microseconds', String(tick));
  const start = bytes[0] === 0x23 ? readHeaderLines(r, '#').end : 0;
  const record = addressBytes + 4;
  const remaining = bytes.length - start;
  if (remaining % record !== 0) {
    r.fail(
      'event records',
      `a whole number of ${record}-byte records`,
      `${remaining} bytes`,
      bytes.length - (remaining % record),
    );
  }
  const n = remaining / record;
  const channel = new Uint32Array(n);
  const t = new Float64Array(n);
  const p = new Uint8Array(n);
  const clock = new TimestampUnwrapper(2 ** 32, tick);
  let maxChannel = -1;
  for (let i = 0; i < n; i++) {
    const o = start + i * record;
    const address = addressBytes === 2 ? r.view.getUint16(o, false) : r.view.getUint32(o, false);
    const c = options.onOff ? address >>> 1 : address;
    channel[i] = c;
    p[i] = options.onOff ? address & 1 : 0;
    t[i] = clock.next(r.view.getUint32(o + addressBytes, false));
    if (c > maxChannel) maxChannel = c;
  }
  let channels = maxChannel + 1;
  if (options.channels !== undefined) {
    if (maxChannel >= options.channels)
      r.fail('address', `below ${options.channels} channels`, String(maxChannel));
    channels = options.channels;
  }
  return sortEvents({ kind: 'channel', channel, t, p, channels });
}

/**
 * No magic number: an `.aedat` name without an `#!AER-DAT` version line, and 6-byte records whose
 * timestamps never go back in the first bytes.
 */
export function detectCochleaAer(head: Uint8Array, fileName: string): boolean {
  if (extensionOf(fileName) !== '.aedat' || startsWith(head, '#!AER-DAT') || head.length < 12) return false;
  let previous = -1;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  for (let o = 0; o + 6 <= head.length; o += 6) {
    const t = view.getUint32(o + 2, false);
    if (t < previous) return false;
    previous = t;
  }
  return true;
}

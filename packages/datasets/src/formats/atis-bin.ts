import { CameraEventArrays } from '../events/builder.js';
import { finishCamera } from '../events/sensor.js';
import type { CameraEvents } from '../events/types.js';
import { ByteReader, extensionOf } from '../io/bytes.js';
import { fileLabel, type ReadOptions } from './options.js';

export const ATIS_BIN = 'atis-bin';

/** y = 240 marks a timestamp-overflow record, not an event (Orchard's N-MNIST/N-Caltech101 readers). */
const OVERFLOW_Y = 240;
/** Time added per overflow record, as in the datasets' own MATLAB reader and tonic. */
const OVERFLOW_INCREMENT = 2 ** 13;

export interface AtisBinOptions extends ReadOptions {
  /** [width, height]; by default 34×34 when every event fits (N-MNIST), else the ATIS 304×240. */
  readonly sensor?: readonly [number, number];
}

/**
 * N-MNIST / N-Caltech101 ATIS `.bin`: 5 bytes per event, x = b0, y = b1, polarity = b2 bit 7,
 * t (µs) = (b2 & 0x7F) << 16 | b3 << 8 | b4. A record with y = 240 is a timestamp overflow and adds
 * 2^13 µs to every later event.
 */
export function readAtisBin(bytes: Uint8Array, options: AtisBinOptions = {}): CameraEvents {
  const r: ByteReader = new ByteReader(bytes, ATIS_BIN, fileLabel(options));
  if (bytes.length % 5 !== 0) {
    r.fail(
      'file size',
      'a multiple of 5 bytes (one record per event)',
      `${bytes.length} bytes`,
      bytes.length - (bytes.length % 5),
    );
  }
  const records = bytes.length / 5;
  let events = 0;
  for (let i = 0; i < records; i++) if (bytes[i * 5 + 1] !== OVERFLOW_Y) events++;
  const out = new CameraEventArrays(events);
  let offset = 0;
  for (let i = 0; i < records; i++) {
    const o = i * 5;
    const y = bytes[o + 1]!;
    const b2 = bytes[o + 2]!;
    if (y === OVERFLOW_Y) {
      offset += OVERFLOW_INCREMENT;
      continue;
    }
    const t = (b2 & 0x7f) * 65536 + bytes[o + 3]! * 256 + bytes[o + 4]!;
    out.push(bytes[o]!, y, t + offset, b2 >> 7);
  }
  const stated = options.sensor;
  const fitsNmnist = out.maxX < 34 && out.maxY < 34;
  return finishCamera(
    r,
    out,
    stated ? { size: stated, stated: true } : { size: fitsNmnist ? [34, 34] : [304, 240], stated: false },
  );
}

/**
 * The format has no magic number: a `.bin` name plus records whose y is at most 240 and whose
 * timestamps never go back (except after an overflow record) in the first bytes.
 */
export function detectAtisBin(head: Uint8Array, fileName: string): boolean {
  if (extensionOf(fileName) !== '.bin' || head.length < 5) return false;
  let previous = -1;
  for (let o = 0; o + 5 <= head.length; o += 5) {
    const y = head[o + 1]!;
    if (y > OVERFLOW_Y) return false;
    if (y === OVERFLOW_Y) {
      previous = -1;
      continue;
    }
    const t = (head[o + 2]! & 0x7f) * 65536 + head[o + 3]! * 256 + head[o + 4]!;
    if (t < previous) return false;
    previous = t;
  }
  return true;
}

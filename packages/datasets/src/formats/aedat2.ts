import { CameraEventArrays } from '../events/builder.js';
import { finishCamera, type SensorHint, sensorFromName } from '../events/sensor.js';
import type { CameraEvents } from '../events/types.js';
import { ByteReader, startsWith } from '../io/bytes.js';
import { headerValue, readHeaderLines } from '../io/header.js';
import { fileLabel, type ReadOptions } from './options.js';
import { TimestampUnwrapper } from './unwrap.js';

export const AEDAT2 = 'aedat2';

/** How the 32-bit address of an AEDAT 2.0 event is laid out (jAER's AEChip classes). */
export type Aedat2Chip = 'dvs128' | 'davis';

export interface Aedat2Options extends ReadOptions {
  /** Address layout; by default from the `# AEChip:` header line, else DVS128. */
  readonly chip?: Aedat2Chip;
  /** [width, height]; by default from the chip named in the header (DVS128 128×128). */
  readonly sensor?: readonly [number, number];
}

/**
 * AEDAT 2.0 (jAER): `#` header lines starting with `#!AER-DAT2.0`, then big-endian [int32 address,
 * int32 timestamp (µs)] pairs. DVS128 addresses: bit 15 external event, bits 14–8 y, 7–1 x, bit 0
 * polarity (1 = ON). DAVIS addresses: bit 31 set for APS/IMU samples (skipped), bits 30–22 y, 21–12 x,
 * bit 11 polarity, bit 10 external event (skipped). Coordinates are as stored (origin lower left).
 */
export function readAedat2(bytes: Uint8Array, options: Aedat2Options = {}): CameraEvents {
  const r: ByteReader = new ByteReader(bytes, AEDAT2, fileLabel(options));
  if (!startsWith(bytes, '#!AER-DAT2.'))
    r.fail(
      'version line',
      '#!AER-DAT2.x',
      JSON.stringify(r.ascii(0, Math.min(12, bytes.length), 'version line')),
      0,
    );
  const header = readHeaderLines(r, '#');
  const chipLine = headerValue(header.lines, 'AEChip') ?? '';
  const chip: Aedat2Chip = options.chip ?? (/davis/i.test(chipLine) ? 'davis' : 'dvs128');
  const remaining = bytes.length - header.end;
  if (remaining % 8 !== 0) {
    r.fail(
      'event records',
      'a whole number of 8-byte events',
      `${remaining} bytes after the header`,
      bytes.length - (remaining % 8),
    );
  }
  const records = remaining / 8;
  const keep = (address: number) =>
    chip === 'dvs128' ? (address & 0x8000) === 0 : (address & 0x80000000) === 0 && (address & 0x400) === 0;
  let events = 0;
  for (let i = 0; i < records; i++) if (keep(r.view.getUint32(header.end + i * 8, false))) events++;
  const out = new CameraEventArrays(events);
  const clock = new TimestampUnwrapper(2 ** 32);
  for (let i = 0; i < records; i++) {
    const o = header.end + i * 8;
    const address = r.view.getUint32(o, false);
    const t = clock.next(r.view.getUint32(o + 4, false));
    if (!keep(address)) continue;
    if (chip === 'dvs128') out.push((address >>> 1) & 0x7f, (address >>> 8) & 0x7f, t, address & 1);
    else out.push((address >>> 12) & 0x3ff, (address >>> 22) & 0x1ff, t, (address >>> 11) & 1);
  }
  let hint: SensorHint | undefined;
  if (options.sensor) hint = { size: options.sensor, stated: true };
  else if (chip === 'dvs128') hint = { size: [128, 128], stated: true };
  else {
    const named = sensorFromName(chipLine);
    hint = named ? { size: named, stated: true } : undefined;
  }
  return finishCamera(r, out, hint);
}

export function detectAedat2(head: Uint8Array): boolean {
  return startsWith(head, '#!AER-DAT2.');
}

import { type SensorHint, sensorFromHeader, sensorFromName } from '../events/sensor.js';
import type { ByteReader } from '../io/bytes.js';
import { type HeaderLines, headerValue, readHeaderLines } from '../io/header.js';

/** Prophesee `%` header lines (DAT, EVT 2.0, EVT 3.0); a `% end` line closes newer headers. */
export function readPropheseeHeader(r: ByteReader): HeaderLines {
  return readHeaderLines(r, '%', { endLine: '% end', maxBytes: 1 << 20 });
}

/** The sensor size a Prophesee header states (height/width, geometry) or implies (plugin, sensor name). */
export function propheseeSensor(
  lines: readonly string[],
  stated?: readonly [number, number],
): SensorHint | undefined {
  if (stated) return { size: stated, stated: true };
  const fromHeader = sensorFromHeader(lines);
  if (fromHeader) return { size: fromHeader, stated: true };
  const named = sensorFromName(
    [
      headerValue(lines, 'plugin_name'),
      headerValue(lines, 'sensor_generation'),
      headerValue(lines, 'camera_integrator_name'),
    ]
      .filter(Boolean)
      .join(' '),
  );
  return named ? { size: named, stated: false } : undefined;
}

/** The text of the first `% …` lines of a file head, for detection. */
export function headText(head: Uint8Array): string {
  let end = 0;
  while (end < head.length && head[end] === 0x25) {
    let nl = end;
    while (nl < head.length && head[nl] !== 0x0a) nl++;
    end = nl + 1;
  }
  let s = '';
  for (let i = 0; i < Math.min(end, head.length); i++) s += String.fromCharCode(head[i]!);
  return s.toLowerCase();
}

import { ByteReader, latin1, startsWith } from '../io/bytes.js';

/**
 * Position-tracker files with a text settings block between `<Start settings>` and `<End settings>\n`
 * (clock rate, a `Fields:` line such as `<time uint32><xloc uint16><yloc uint16>…`), then fixed-size
 * little-endian records laid out as the fields say — the layout of the nelpy linear-track trajectory.
 */
export function isTrackerFile(head: Uint8Array): boolean {
  return startsWith(head, '<Start settings>');
}

export interface TrackerData {
  readonly settings: Record<string, string>;
  readonly clockRate: number;
  /** Sample times in seconds (the `time` field over the clock rate). */
  readonly times: Float64Array;
  /** Every other field by name, as numbers. */
  readonly fields: Record<string, Float64Array>;
}

const FIELD_TYPES: Record<string, { bytes: number; read: (v: DataView, o: number) => number }> = {
  uint8: { bytes: 1, read: (v, o) => v.getUint8(o) },
  int8: { bytes: 1, read: (v, o) => v.getInt8(o) },
  uint16: { bytes: 2, read: (v, o) => v.getUint16(o, true) },
  int16: { bytes: 2, read: (v, o) => v.getInt16(o, true) },
  uint32: { bytes: 4, read: (v, o) => v.getUint32(o, true) },
  int32: { bytes: 4, read: (v, o) => v.getInt32(o, true) },
  float32: { bytes: 4, read: (v, o) => v.getFloat32(o, true) },
  float64: { bytes: 8, read: (v, o) => v.getFloat64(o, true) },
};

export function readTracker(bytes: Uint8Array, file = 'trajectory.bin'): TrackerData {
  const r = new ByteReader(bytes, 'tracker', file);
  if (!isTrackerFile(bytes))
    throw r.error('settings', '"<Start settings>"', JSON.stringify(latin1(bytes.subarray(0, 16))), 0);
  const head = latin1(bytes.subarray(0, Math.min(bytes.length, 65536)));
  const endMark = '<End settings>\n';
  const end = head.indexOf(endMark);
  if (end < 0) throw r.error('settings', '"<End settings>" within the first 64 KiB', 'none', 0);
  const dataAt = end + endMark.length;
  const settings: Record<string, string> = {};
  for (const line of head.slice('<Start settings>'.length, end).split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) settings[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const clockRate = Number(settings.clockrate);
  if (!(clockRate > 0))
    throw r.error('clockrate', 'a positive clock rate', JSON.stringify(settings.clockrate ?? ''));
  const layout = [...(settings.fields ?? '').matchAll(/<(\w+)\s+(\w+)>/g)].map((m) => ({
    name: m[1]!,
    type: m[2]!,
  }));
  if (!layout.some((f) => f.name === 'time'))
    throw r.error('Fields', 'a field layout with a time field', JSON.stringify(settings.fields ?? ''));
  let recordBytes = 0;
  const columns = layout.map((f) => {
    const type = FIELD_TYPES[f.type];
    if (!type) throw r.error(`field ${f.name}`, Object.keys(FIELD_TYPES).join(', '), f.type);
    const at = recordBytes;
    recordBytes += type.bytes;
    return { ...f, at, type };
  });
  const n = Math.floor((r.size - dataAt) / recordBytes);
  const values: Record<string, Float64Array> = {};
  for (const c of columns) {
    const out = new Float64Array(n);
    for (let k = 0; k < n; k++) out[k] = c.type.read(r.view, dataAt + k * recordBytes + c.at);
    values[c.name] = out;
  }
  const times = values.time!.map((t) => t / clockRate);
  delete values.time;
  return { settings, clockRate, times, fields: values };
}

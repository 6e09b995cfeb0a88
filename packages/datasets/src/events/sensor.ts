import type { ByteReader } from '../io/bytes.js';
import type { CameraEventArrays } from './builder.js';
import { type CameraEvents, sortEvents } from './types.js';

/** Sensor sizes of common event cameras, by a lower-case fragment of the names files use for them. */
const KNOWN_SENSORS: readonly (readonly [string, readonly [number, number]])[] = [
  ['dvxplorer lite', [320, 240]],
  ['dvxplorer_lite', [320, 240]],
  ['dvxplorer', [640, 480]],
  ['davis346', [346, 260]],
  ['davis240', [240, 180]],
  ['davis640', [640, 480]],
  ['dvs128', [128, 128]],
  ['genx320', [320, 320]],
  ['imx636', [1280, 720]],
  ['gen41', [1280, 720]],
  ['gen4', [1280, 720]],
  ['gen31', [640, 480]],
  ['gen3', [640, 480]],
  ['atis', [304, 240]],
];

/** The sensor size a device name implies, if it names a known camera. */
export function sensorFromName(name: string): [number, number] | undefined {
  const lower = name.toLowerCase();
  for (const [fragment, size] of KNOWN_SENSORS) if (lower.includes(fragment)) return [size[0], size[1]];
  return undefined;
}

/** Where a sensor size came from: stated by the file or the caller (binding), or guessed. */
export interface SensorHint {
  readonly size: readonly [number, number];
  /** A stated size makes out-of-range coordinates a format error; a guessed one grows to fit them. */
  readonly stated: boolean;
}

/**
 * Finishes a camera stream: checks the coordinates against a stated sensor size (or widens a guessed
 * one), and sorts by time.
 */
export function finishCamera(
  r: ByteReader,
  a: CameraEventArrays,
  hint: SensorHint | undefined,
): CameraEvents {
  let sensor: [number, number];
  if (hint?.stated) {
    const [w, h] = hint.size;
    if (a.maxX >= w) r.fail('x address', `below the sensor width ${w}`, String(a.maxX));
    if (a.maxY >= h) r.fail('y address', `below the sensor height ${h}`, String(a.maxY));
    sensor = [w, h];
  } else if (hint) {
    sensor = [Math.max(hint.size[0], a.maxX + 1), Math.max(hint.size[1], a.maxY + 1)];
  } else {
    sensor = [a.maxX + 1, a.maxY + 1];
  }
  const n = a.n;
  return sortEvents({
    kind: 'camera',
    x: a.x.subarray(0, n),
    y: a.y.subarray(0, n),
    t: a.t.subarray(0, n),
    p: a.p.subarray(0, n),
    sensor,
  });
}

/** Reads `height=…`/`width=…` or `WxH` geometry from Prophesee-style header lines. */
export function sensorFromHeader(lines: readonly string[]): [number, number] | undefined {
  let width: number | undefined;
  let height: number | undefined;
  for (const line of lines) {
    const w = /\bwidth\s*[=:\s]\s*(\d+)/i.exec(line);
    const h = /\bheight\s*[=:\s]\s*(\d+)/i.exec(line);
    if (w) width = Number(w[1]);
    if (h) height = Number(h[1]);
    const g = /\bgeometry\s+(\d+)\s*x\s*(\d+)/i.exec(line);
    if (g) {
      width = Number(g[1]);
      height = Number(g[2]);
    }
  }
  if (width && height && width <= 65536 && height <= 65536) return [width, height];
  return undefined;
}

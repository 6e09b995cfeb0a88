import { FormatError } from '@neurite/kernel';
import {
  type Dataset,
  datasetAt,
  groupAt,
  type H5File,
  type H5Lib,
  readVlenBytes,
  withHdf5Bytes,
} from './h5.js';
import { type H5Group, type H5Numeric, writeHdf5 } from './writer.js';

export const SHD = 'shd-hdf5';

/**
 * A spike-train set in the layout of the Heidelberg Spiking Data Sets (SHD, SSC): per sample, spike
 * times (seconds) and the unit (channel) of each spike, a class label, and optional extras.
 */
export interface SpikeTrainSet {
  /** `spikes/times[i]`: spike times of sample i in seconds. */
  readonly times: readonly (Float32Array | Float64Array)[];
  /** `spikes/units[i]`: the unit of each spike of sample i. */
  readonly units: readonly (Uint16Array | Uint32Array | Int32Array | Int16Array | Uint8Array)[];
  /** `labels`: the class of each sample. */
  readonly labels: Uint16Array | Int32Array | Uint32Array | Int16Array | Uint8Array | Int8Array;
  /** `extra/speaker`: the speaker of each sample. */
  readonly speakers?: Uint16Array | Int32Array | Uint32Array | Int16Array | Uint8Array | Int8Array;
  /** `extra/keys`: class id → word. */
  readonly keys?: readonly string[];
  /** `extra/meta_info/*`: per-speaker facts (SHD: gender, age, body_height), numbers or strings. */
  readonly metaInfo?: Readonly<Record<string, H5Numeric | readonly string[]>>;
}

/** The SHD layout as a tree for the HDF5 writer. */
export function shdTree(set: SpikeTrainSet): H5Group {
  const n = set.times.length;
  if (set.units.length !== n || set.labels.length !== n) {
    throw new Error(
      `SHD layout: ${n} time lists, ${set.units.length} unit lists and ${set.labels.length} labels must match`,
    );
  }
  set.times.forEach((t, i) => {
    if (set.units[i]!.length !== t.length)
      throw new Error(`SHD layout: sample ${i} has ${t.length} times and ${set.units[i]!.length} units`);
  });
  const extra: Record<string, H5Group[string]> = {};
  if (set.speakers) extra.speaker = { kind: 'array', data: set.speakers };
  if (set.keys) extra.keys = { kind: 'strings', data: set.keys };
  if (set.metaInfo) {
    const meta: Record<string, H5Group[string]> = {};
    for (const [k, v] of Object.entries(set.metaInfo)) {
      meta[k] = ArrayBuffer.isView(v)
        ? { kind: 'array', data: v as H5Numeric }
        : { kind: 'strings', data: v as readonly string[] };
    }
    extra.meta_info = meta;
  }
  const firstTimes = set.times[0] ?? new Float32Array(0);
  const firstUnits = set.units[0] ?? new Uint16Array(0);
  return {
    spikes: {
      times: { kind: 'vlen', data: set.times, type: firstTimes },
      units: { kind: 'vlen', data: set.units, type: firstUnits },
    },
    labels: { kind: 'array', data: set.labels },
    ...(Object.keys(extra).length ? { extra } : {}),
  };
}

/** The bytes of an SHD-layout HDF5 file (variable-length `spikes/times` and `spikes/units`, as SHD has them). */
export function writeShd(set: SpikeTrainSet): Uint8Array {
  return writeHdf5(shdTree(set));
}

/** Reads SHD/SSC-layout HDF5 bytes (a real SHD/SSC download, or a file `writeShd` made) through h5wasm. */
export function readShd(bytes: Uint8Array, options: { file?: string } = {}): Promise<SpikeTrainSet> {
  const label = options.file ?? '<bytes>';
  return withHdf5Bytes(bytes, label, SHD, (f, lib) => readShdFrom(lib, f, label));
}

/** Samples read from a vlen dataset per h5wasm call, so the WebAssembly heap holds one chunk at a time. */
const CHUNK = 512;

export function readShdFrom(lib: H5Lib, file: H5File, label: string): SpikeTrainSet {
  const fail = (field: string, expected: string, found: string): never => {
    throw new FormatError(SHD, label, field, expected, found);
  };
  const timesSet = datasetAt(lib, file, 'spikes/times') ?? fail('spikes/times', 'a dataset', 'none');
  const unitsSet = datasetAt(lib, file, 'spikes/units') ?? fail('spikes/units', 'a dataset', 'none');
  const labelsSet = datasetAt(lib, file, 'labels') ?? fail('labels', 'a dataset', 'none');
  const n = oneDimensional(timesSet, 'spikes/times', fail);
  if (oneDimensional(unitsSet, 'spikes/units', fail) !== n)
    fail('spikes/units', `${n} samples like spikes/times`, String(unitsSet.shape));
  if (oneDimensional(labelsSet, 'labels', fail) !== n) fail('labels', `${n} labels`, String(labelsSet.shape));
  const times = readVlen(lib, timesSet, n, 'spikes/times', 'float', fail) as unknown as (
    | Float32Array
    | Float64Array
  )[];
  const units = readVlen(lib, unitsSet, n, 'spikes/units', 'int', fail) as unknown as SpikeTrainSet['units'];
  for (let i = 0; i < n; i++) {
    if (times[i]!.length !== units[i]!.length)
      fail(`sample ${i}`, `as many units as times (${times[i]!.length})`, String(units[i]!.length));
  }
  const labels = numeric(labelsSet, 'labels', 'int', fail) as unknown as SpikeTrainSet['labels'];
  const speakerSet = datasetAt(lib, file, 'extra/speaker');
  const keysSet = datasetAt(lib, file, 'extra/keys');
  const metaGroup = groupAt(lib, file, 'extra/meta_info');
  let metaInfo: Record<string, H5Numeric | string[]> | undefined;
  if (metaGroup) {
    metaInfo = {};
    for (const key of metaGroup.keys()) {
      const d = datasetAt(lib, metaGroup, key);
      if (!d) continue;
      const v = d.value;
      metaInfo[key] = Array.isArray(v)
        ? v.map((s) => String(s))
        : (numeric(d, `extra/meta_info/${key}`, 'any', fail) as unknown as H5Numeric);
    }
  }
  return {
    times,
    units,
    labels,
    ...(speakerSet
      ? {
          speakers: numeric(speakerSet, 'extra/speaker', 'int', fail) as unknown as NonNullable<
            SpikeTrainSet['speakers']
          >,
        }
      : {}),
    ...(keysSet ? { keys: strings(keysSet, 'extra/keys', fail) } : {}),
    ...(metaInfo ? { metaInfo } : {}),
  };
}

type Fail = (field: string, expected: string, found: string) => never;

function oneDimensional(d: Dataset, name: string, fail: Fail): number {
  const shape = d.shape;
  if (shape?.length !== 1) fail(name, 'a 1-D dataset', shape ? `shape [${shape.join(', ')}]` : 'a scalar');
  return shape![0]!;
}

const FLOAT = 1;
const INTEGER = 0;
const VLEN = 9;

function readVlen(
  lib: H5Lib,
  d: Dataset,
  n: number,
  name: string,
  kind: 'float' | 'int',
  fail: Fail,
): ArrayBufferView[] {
  const meta = d.metadata;
  const base = meta.vlen_type;
  if (meta.type !== VLEN || !base)
    fail(name, 'variable-length sequences (HDF5 VLEN)', `HDF5 type class ${meta.type}`);
  checkBase(base!.type, base!.size, name, kind, fail);
  const out: ArrayBufferView[] = [];
  for (let start = 0; start < n; start += CHUNK) {
    for (const raw of readVlenBytes(lib, d, start, Math.min(n, start + CHUNK), base!.size)) {
      out.push(decodeElements(raw, base!.type, base!.size, base!.signed, base!.littleEndian));
    }
  }
  return out;
}

/** Elements of one sequence as the matching typed array (half floats widened to float32). */
function decodeElements(
  raw: Uint8Array,
  type: number,
  size: number,
  signed: boolean,
  littleEndian: boolean,
): ArrayBufferView {
  const n = raw.length / size;
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  if (type === FLOAT) {
    if (size === 2) {
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = halfToFloat(view.getUint16(2 * i, littleEndian));
      return out;
    }
    const out = size === 4 ? new Float32Array(n) : new Float64Array(n);
    for (let i = 0; i < n; i++)
      out[i] = size === 4 ? view.getFloat32(4 * i, littleEndian) : view.getFloat64(8 * i, littleEndian);
    return out;
  }
  if (size === 8) {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++)
      out[i] = Number(
        signed ? view.getBigInt64(8 * i, littleEndian) : view.getBigUint64(8 * i, littleEndian),
      );
    return out;
  }
  const Type =
    size === 1
      ? signed
        ? Int8Array
        : Uint8Array
      : size === 2
        ? signed
          ? Int16Array
          : Uint16Array
        : signed
          ? Int32Array
          : Uint32Array;
  const out = new Type(n);
  for (let i = 0; i < n; i++) {
    out[i] =
      size === 1
        ? signed
          ? view.getInt8(i)
          : view.getUint8(i)
        : size === 2
          ? signed
            ? view.getInt16(2 * i, littleEndian)
            : view.getUint16(2 * i, littleEndian)
          : signed
            ? view.getInt32(4 * i, littleEndian)
            : view.getUint32(4 * i, littleEndian);
  }
  return out;
}

function checkBase(
  type: number,
  size: number,
  name: string,
  kind: 'float' | 'int' | 'any',
  fail: Fail,
): void {
  if (kind === 'float' && !(type === FLOAT && (size === 2 || size === 4 || size === 8)))
    fail(name, 'float16/32/64 elements', `type class ${type}, ${size} bytes`);
  if (kind === 'int' && type !== INTEGER) fail(name, 'integer elements', `type class ${type}, ${size} bytes`);
}

function numeric(d: Dataset, name: string, kind: 'float' | 'int' | 'any', fail: Fail): ArrayBufferView {
  const meta = d.metadata;
  if (meta.type !== INTEGER && meta.type !== FLOAT) fail(name, 'numbers', `HDF5 type class ${meta.type}`);
  checkBase(meta.type, meta.size, name, kind, fail);
  const shape = d.shape ?? [];
  if (shape.length !== 1) fail(name, 'a 1-D dataset', `shape [${shape.join(', ')}]`);
  // Small whole datasets (labels, speakers, per-speaker facts), as native little-endian values.
  const raw = shape[0] ? (d.value as unknown) : new Uint8Array(0);
  if (!ArrayBuffer.isView(raw)) fail(name, 'numbers', typeof raw);
  const bytes = new Uint8Array(
    (raw as ArrayBufferView).buffer.slice(
      (raw as ArrayBufferView).byteOffset,
      (raw as ArrayBufferView).byteOffset + (raw as ArrayBufferView).byteLength,
    ),
  );
  return decodeElements(bytes, meta.type, meta.size, meta.signed, true);
}

function strings(d: Dataset, name: string, fail: Fail): string[] {
  const v = d.value;
  if (!Array.isArray(v)) fail(name, 'strings', typeof v);
  return (v as unknown[]).map((s) =>
    (s instanceof Uint8Array ? new TextDecoder().decode(s) : String(s)).replace(/\0+$/, ''),
  );
}

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * 2 ** -14 * (frac / 1024);
  if (exp === 31) return frac ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exp - 15) * (1 + frac / 1024);
}

import { FormatError } from '@neurite/kernel';
import type { Attribute, Dataset, Group, Metadata } from 'h5wasm';
import { describeError, type H5Lib, h5lib, scratchPath } from './h5.js';
import type { H5Dataset, H5DType, H5Group, H5NumericData, H5Value } from './tree.js';

export interface ReadOptions {
  /** Names the file in errors. */
  readonly file: string;
  /** The format name errors carry (`nir`, `nir-data`). */
  readonly format: string;
}

/** Group nesting deeper than this is refused (hard links can make an HDF5 tree cyclic). */
const MAX_DEPTH = 32;
/** At most this many objects are read from one file. */
const MAX_OBJECTS = 200_000;
/** gzip (deflate) cannot expand data by more than about 1032:1. */
const DEFLATE_RATIO = 1032;
const MAX_DATASET_BYTES = 1 << 30;

/**
 * Reads a whole HDF5 file into the plain tree form. Everything the HDF5 library reports (a wrong
 * signature, a truncated file, a corrupt object header, an unreadable dataset) becomes a FormatError that
 * names the file and the HDF5 path; a dataset is read only after its declared size has been checked
 * against what a file of this size can hold, so a hostile header never sizes an allocation.
 */
export async function readHdf5(bytes: Uint8Array, options: ReadOptions): Promise<H5Group> {
  const lib = await h5lib();
  const path = scratchPath();
  lib.module.FS.writeFile(path, bytes);
  try {
    let file: InstanceType<H5Lib['File']>;
    try {
      file = new lib.File(path, 'r');
    } catch (cause) {
      throw new FormatError(
        options.format,
        options.file,
        'HDF5 file',
        'a readable HDF5 file',
        describeError(cause),
        0,
      );
    }
    try {
      const reader = new TreeReader(lib, options, bytes.length);
      return reader.group(file, '/', 0);
    } finally {
      try {
        file.close();
      } catch {
        // A file the library could not read may also fail to close; the read error is the one to report.
      }
    }
  } finally {
    try {
      lib.module.FS.unlink(path);
    } catch {
      // already gone
    }
  }
}

class TreeReader {
  #objects = 0;
  readonly #maxBytes: number;

  constructor(
    readonly lib: H5Lib,
    readonly options: ReadOptions,
    fileSize: number,
  ) {
    this.#maxBytes = Math.min(MAX_DATASET_BYTES, DEFLATE_RATIO * fileSize + 4096);
  }

  #error(path: string, expected: string, found: string): FormatError {
    return new FormatError(this.options.format, this.options.file, path, expected, found);
  }

  /** Runs one h5wasm call, turning the library's exceptions into FormatErrors at `path`. */
  #guard<T>(path: string, what: string, fn: () => T): T {
    try {
      return fn();
    } catch (cause) {
      if (cause instanceof FormatError) throw cause;
      throw this.#error(path, what, describeError(cause));
    }
  }

  group(g: Group, path: string, depth: number): H5Group {
    if (depth > MAX_DEPTH)
      throw this.#error(path, `groups nested at most ${MAX_DEPTH} deep`, 'deeper nesting (a cyclic link?)');
    const names = this.#guard(path, 'a readable group', () => g.keys());
    const children = new Map<string, H5Group | H5Dataset>();
    for (const name of names) {
      this.#objects += 1;
      if (this.#objects > MAX_OBJECTS) throw this.#error(path, `at most ${MAX_OBJECTS} objects`, 'more');
      const childPath = path === '/' ? `/${name}` : `${path}/${name}`;
      const entity = this.#guard(childPath, 'a readable object', () => g.get(name));
      if (entity instanceof this.lib.Group) children.set(name, this.group(entity, childPath, depth + 1));
      else if (entity instanceof this.lib.Dataset) children.set(name, this.dataset(entity, childPath));
      else
        throw this.#error(
          childPath,
          'a group or a dataset',
          entity === null ? 'nothing readable' : String(entity.constructor?.name ?? typeof entity),
        );
    }
    return { kind: 'group', children, attrs: this.attrs(g, path) };
  }

  attrs(holder: Group | Dataset, path: string): Map<string, H5Value> {
    const out = new Map<string, H5Value>();
    const attrs = this.#guard(path, 'readable attributes', () => holder.attrs);
    for (const [name, attr] of Object.entries(attrs)) {
      const at = `${path}@${name}`;
      out.set(
        name,
        this.#value(
          at,
          () => attr.metadata,
          () => (attr as Attribute).value,
        ),
      );
    }
    return out;
  }

  dataset(d: Dataset, path: string): H5Dataset {
    const value = this.#value(
      path,
      () => d.metadata,
      () => d.value,
    );
    return { kind: 'dataset', value, attrs: this.attrs(d, path) };
  }

  /** Checks the type and declared size, then reads the value and converts it to the tree form. */
  #value(path: string, metadata: () => Metadata, read: () => unknown): H5Value {
    const meta = this.#guard(path, 'readable type information', metadata);
    const dtype = dtypeOf(meta);
    if (!dtype) throw this.#error(path, 'a numeric or string type', describeType(meta));
    const shape = (meta.shape ?? []).map(Number);
    if (shape.some((n) => !Number.isSafeInteger(n) || n < 0))
      throw this.#error(path, 'a valid shape', `[${shape.join(', ')}]`);
    const count = shape.reduce((a, b) => a * b, 1);
    const elementBytes = dtype === 'string' ? 16 : meta.size;
    if (count * elementBytes > this.#maxBytes) {
      throw this.#error(
        path,
        `at most ${this.#maxBytes} bytes of data for a file of this size`,
        `${count} elements of ${elementBytes} bytes`,
      );
    }
    const raw = this.#guard(path, 'readable data', read);
    return convert(raw, dtype, shape, (found) => this.#error(path, `${count} ${dtype} values`, found));
  }
}

function dtypeOf(meta: Metadata): H5DType | null {
  // 0 integer, 1 float, 3 string, 8 enum (h5py's booleans): see H5T_class_t.
  if (meta.type === 3) return 'string';
  if (meta.type === 1) return meta.size === 4 ? 'float32' : meta.size === 8 ? 'float64' : null;
  if (meta.type === 0 || (meta.type === 8 && meta.size <= 8)) {
    const bits = meta.size * 8;
    if (![8, 16, 32, 64].includes(bits)) return null;
    return `${meta.signed ? 'int' : 'uint'}${bits}` as H5DType;
  }
  return null;
}

function describeType(meta: Metadata): string {
  const names: Record<number, string> = {
    0: 'integer',
    1: 'float',
    2: 'time',
    3: 'string',
    4: 'bitfield',
    5: 'opaque',
    6: 'compound',
    7: 'reference',
    8: 'enum',
    9: 'vlen',
    10: 'array',
  };
  return `HDF5 ${names[meta.type] ?? `type class ${meta.type}`} of ${meta.size} bytes`;
}

const ARRAYS = {
  float32: Float32Array,
  float64: Float64Array,
  int8: Int8Array,
  int16: Int16Array,
  int32: Int32Array,
  uint8: Uint8Array,
  uint16: Uint16Array,
  uint32: Uint32Array,
} as const;

function convert(
  raw: unknown,
  dtype: H5DType,
  shape: number[],
  error: (found: string) => FormatError,
): H5Value {
  const count = shape.reduce((a, b) => a * b, 1);
  const list = (v: unknown): unknown[] =>
    Array.isArray(v)
      ? v.flat(Number.POSITIVE_INFINITY)
      : ArrayBuffer.isView(v)
        ? Array.from(v as unknown as ArrayLike<unknown>)
        : [v];
  if (dtype === 'string') {
    const items = list(raw);
    if (items.length !== count || items.some((s) => typeof s !== 'string'))
      throw error(`${items.length} values of other types`);
    return { dtype, shape, data: items as string[] };
  }
  if (dtype === 'int64' || dtype === 'uint64') {
    const items = list(raw);
    if (items.length !== count) throw error(`${items.length} values`);
    const data = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const v = items[i];
      const n = typeof v === 'bigint' ? Number(v) : typeof v === 'number' ? v : Number.NaN;
      if (!Number.isSafeInteger(n)) throw error(`a value that is not an exact integer (${String(v)})`);
      data[i] = n;
    }
    return { dtype, shape, data };
  }
  const Ctor = ARRAYS[dtype];
  let data: H5NumericData;
  if (raw instanceof Ctor) data = raw;
  else {
    const items = list(raw);
    if (items.some((v) => typeof v !== 'number' && typeof v !== 'boolean'))
      throw error('values that are not numbers');
    data = Ctor.from(items as number[]);
  }
  if (data.length !== count) throw error(`${data.length} values`);
  return { dtype, shape, data };
}

import { ByteReader, latin1, startsWith } from '../io/bytes.js';
import { fileLabel, type ReadOptions } from './options.js';

export const NPY = 'npy';

export type NpyArray =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Float32Array
  | Float64Array;

export interface NpyField {
  readonly name: string;
  /** NumPy type string, e.g. `<i8`. */
  readonly dtype: string;
  readonly offset: number;
}

export interface NpyFile {
  readonly shape: number[];
  readonly fortranOrder: boolean;
  /** The element dtype for plain arrays, or the fields of a structured dtype. */
  readonly dtype: string | NpyField[];
  /** Plain arrays: the values. */
  readonly data?: NpyArray;
  /** Structured arrays: one array per named field (padding fields such as `|V3` are skipped). */
  readonly fields?: Record<string, NpyArray>;
}

const KINDS: Record<string, (new (n: number) => NpyArray) & { BYTES_PER_ELEMENT: number }> = {
  i1: Int8Array,
  u1: Uint8Array,
  b1: Uint8Array,
  i2: Int16Array,
  u2: Uint16Array,
  i4: Int32Array,
  u4: Uint32Array,
  i8: BigInt64Array,
  u8: BigUint64Array,
  f4: Float32Array,
  f8: Float64Array,
};

/**
 * NumPy `.npy` files (format 1.0–3.0): magic `\x93NUMPY`, version, header length, a Python dict literal
 * `{'descr': …, 'fortran_order': …, 'shape': (…)}`, then the raw data. Plain and structured dtypes of
 * integers, floats, booleans and padding (`V`) are read, in either byte order.
 */
export function readNpy(bytes: Uint8Array, options: ReadOptions = {}): NpyFile {
  const r: ByteReader = new ByteReader(bytes, NPY, fileLabel(options));
  if (!startsWith(bytes, '\x93NUMPY'))
    r.fail('magic', '\\x93NUMPY', JSON.stringify(r.ascii(0, Math.min(6, bytes.length), 'magic')), 0);
  const major = r.u8(6, 'major version');
  if (major < 1 || major > 3) r.fail('major version', '1, 2 or 3', String(major), 6);
  const headerLength = major === 1 ? r.u16(8, 'header length') : r.u32(8, 'header length');
  const headerStart = major === 1 ? 10 : 12;
  const text =
    major === 3
      ? new TextDecoder().decode(r.slice(headerStart, headerLength, 'header'))
      : latin1(r.slice(headerStart, headerLength, 'header'));
  let dict: unknown;
  try {
    dict = new PyLiteral(text).parse();
  } catch (cause) {
    r.fail(
      'header',
      'a Python dict literal',
      `${(cause as Error).message} in ${JSON.stringify(text.slice(0, 80))}`,
      headerStart,
    );
  }
  if (!dict || typeof dict !== 'object' || Array.isArray(dict))
    r.fail('header', 'a dict', JSON.stringify(text.slice(0, 80)), headerStart);
  const { descr, fortran_order: fortranOrder, shape } = dict as Record<string, unknown>;
  if (typeof fortranOrder !== 'boolean')
    r.fail('fortran_order', 'True or False', String(fortranOrder), headerStart);
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    r.fail('shape', 'a tuple of non-negative integers', JSON.stringify(shape), headerStart);
  }
  const dims = shape as number[];
  const count = dims.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  const remaining = bytes.length - dataStart;

  if (typeof descr === 'string') {
    const kind = parseDtype(r, descr, headerStart);
    if (count * kind.size !== remaining)
      r.fail(
        'data',
        `${count} × ${kind.size} bytes for shape (${dims.join(', ')})`,
        `${remaining} bytes`,
        dataStart,
      );
    return { shape: dims, fortranOrder, dtype: descr, data: column(r, kind, dataStart, kind.size, count) };
  }
  if (!Array.isArray(descr))
    r.fail('descr', 'a dtype string or a list of (name, dtype) fields', JSON.stringify(descr), headerStart);
  const fields: NpyField[] = [];
  const kinds: ReturnType<typeof parseDtype>[] = [];
  let itemSize = 0;
  for (const entry of descr as unknown[]) {
    if (
      !Array.isArray(entry) ||
      entry.length !== 2 ||
      typeof entry[0] !== 'string' ||
      typeof entry[1] !== 'string'
    ) {
      r.fail(
        'descr',
        '(name, dtype) pairs (sub-array fields are not supported)',
        JSON.stringify(entry),
        headerStart,
      );
    }
    const kind = parseDtype(r, entry[1], headerStart);
    fields.push({ name: entry[0], dtype: entry[1], offset: itemSize });
    kinds.push(kind);
    itemSize += kind.size;
  }
  if (count * itemSize !== remaining)
    r.fail(
      'data',
      `${count} × ${itemSize} bytes for shape (${dims.join(', ')})`,
      `${remaining} bytes`,
      dataStart,
    );
  const out: Record<string, NpyArray> = {};
  fields.forEach((f, i) => {
    const kind = kinds[i]!;
    if (kind.type !== undefined && f.name !== '')
      out[f.name] = column(r, kind, dataStart + f.offset, itemSize, count);
  });
  return { shape: dims, fortranOrder, dtype: fields, fields: out };
}

interface Kind {
  readonly type: ((new (n: number) => NpyArray) & { BYTES_PER_ELEMENT: number }) | undefined;
  readonly size: number;
  readonly littleEndian: boolean;
}

function parseDtype(r: ByteReader, descr: string, at: number): Kind {
  const m = /^([<>|=]?)([iubfV])(\d+)$/.exec(descr);
  if (!m) r.fail('descr', 'a numeric or padding dtype such as <i8, |u1, <f4, |V3', JSON.stringify(descr), at);
  const size = Number(m[3]);
  if (m[2] === 'V') return { type: undefined, size, littleEndian: true };
  const type = KINDS[`${m[2]}${size}`];
  if (!type) r.fail('descr', 'a supported numeric dtype', JSON.stringify(descr), at);
  return { type, size, littleEndian: m[1] !== '>' };
}

function column(r: ByteReader, kind: Kind, start: number, stride: number, count: number): NpyArray {
  const Type = kind.type!;
  const out = new Type(count);
  const v = r.view;
  const le = kind.littleEndian;
  const read: (o: number) => number | bigint = {
    1: (o: number) => (Type === Int8Array ? v.getInt8(o) : v.getUint8(o)),
    2: (o: number) => (Type === Int16Array ? v.getInt16(o, le) : v.getUint16(o, le)),
    4: (o: number) =>
      Type === Int32Array
        ? v.getInt32(o, le)
        : Type === Uint32Array
          ? v.getUint32(o, le)
          : v.getFloat32(o, le),
    8: (o: number) =>
      Type === BigInt64Array
        ? v.getBigInt64(o, le)
        : Type === BigUint64Array
          ? v.getBigUint64(o, le)
          : v.getFloat64(o, le),
  }[kind.size as 1 | 2 | 4 | 8];
  for (let i = 0; i < count; i++) (out as unknown as (number | bigint)[])[i] = read(start + i * stride);
  return out;
}

/** A parser for the small subset of Python literals NumPy writes in headers. */
class PyLiteral {
  #i = 0;
  constructor(readonly text: string) {}

  parse(): unknown {
    const value = this.value();
    this.space();
    if (this.#i !== this.text.length) throw new Error(`unexpected ${JSON.stringify(this.text[this.#i])}`);
    return value;
  }

  private space(): void {
    while (this.#i < this.text.length && /\s/.test(this.text[this.#i]!)) this.#i++;
  }

  private value(depth = 0): unknown {
    if (depth > 16) throw new Error('nesting too deep');
    this.space();
    const c = this.text[this.#i];
    if (c === '{') return this.dict(depth);
    if (c === '(' || c === '[') return this.sequence(c === '(' ? ')' : ']', depth);
    if (c === "'" || c === '"') return this.string(c);
    const word = /^(True|False|None|-?\d+)/.exec(this.text.slice(this.#i, this.#i + 32));
    if (!word) throw new Error(`unexpected ${JSON.stringify(c ?? 'end')}`);
    this.#i += word[0].length;
    if (word[0] === 'True') return true;
    if (word[0] === 'False') return false;
    if (word[0] === 'None') return null;
    return Number(word[0]);
  }

  private dict(depth: number): Record<string, unknown> {
    this.#i++;
    const out: Record<string, unknown> = {};
    for (;;) {
      this.space();
      if (this.text[this.#i] === '}') {
        this.#i++;
        return out;
      }
      const key = this.value(depth + 1);
      if (typeof key !== 'string') throw new Error('a non-string key');
      this.space();
      if (this.text[this.#i++] !== ':') throw new Error('a missing colon');
      out[key] = this.value(depth + 1);
      this.space();
      if (this.text[this.#i] === ',') this.#i++;
      else if (this.text[this.#i] !== '}') throw new Error('a missing comma');
    }
  }

  private sequence(close: string, depth: number): unknown[] {
    this.#i++;
    const out: unknown[] = [];
    for (;;) {
      this.space();
      if (this.text[this.#i] === close) {
        this.#i++;
        return out;
      }
      out.push(this.value(depth + 1));
      this.space();
      if (this.text[this.#i] === ',') this.#i++;
      else if (this.text[this.#i] !== close) throw new Error('a missing comma');
    }
  }

  private string(quote: string): string {
    const end = this.text.indexOf(quote, this.#i + 1);
    if (end < 0) throw new Error('an unterminated string');
    const s = this.text.slice(this.#i + 1, end);
    this.#i = end + 1;
    return s;
  }
}

export function detectNpy(head: Uint8Array): boolean {
  return startsWith(head, '\x93NUMPY');
}

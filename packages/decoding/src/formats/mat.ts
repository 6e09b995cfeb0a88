import { ByteReader, latin1, startsWith, utf8 } from '../io/bytes.js';
import { inflateCapped } from '../io/inflate.js';

/**
 * MATLAB level-5 MAT-files: a 128-byte text header (ending in the version and the endian mark "IM"/"MI"),
 * then data elements [type, byte count, data padded to 8 bytes] or small elements packed into 8 bytes.
 * miCOMPRESSED elements hold a zlib stream of one element. miMATRIX elements carry array flags (class),
 * dimensions, a name and, by class, numeric data (stored in any integer or float type), characters, cells,
 * structs, objects or sparse matrices. Values are decoded into a plain tree of `MatValue`s.
 */
export function isMat(head: Uint8Array): boolean {
  return startsWith(head, 'MATLAB 5.0 MAT-file');
}

export type MatNumericClass =
  | 'double'
  | 'single'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64';

export type MatValue =
  | {
      kind: 'numeric';
      class: MatNumericClass;
      dims: number[];
      real: Float64Array;
      imag: Float64Array | null;
      logical: boolean;
    }
  | { kind: 'char'; dims: number[]; text: string }
  | { kind: 'cell'; dims: number[]; cells: MatValue[] }
  | {
      kind: 'struct';
      dims: number[];
      fields: string[];
      elements: Record<string, MatValue>[];
      className?: string;
    }
  | {
      kind: 'sparse';
      dims: number[];
      rows: Int32Array;
      colStarts: Int32Array;
      real: Float64Array;
      imag: Float64Array | null;
    }
  | { kind: 'unsupported'; dims: number[]; classCode: number };

export interface MatFile {
  readonly header: string;
  readonly variables: Map<string, MatValue>;
}

const MI = {
  INT8: 1,
  UINT8: 2,
  INT16: 3,
  UINT16: 4,
  INT32: 5,
  UINT32: 6,
  SINGLE: 7,
  DOUBLE: 9,
  INT64: 12,
  UINT64: 13,
  MATRIX: 14,
  COMPRESSED: 15,
  UTF8: 16,
  UTF16: 17,
  UTF32: 18,
} as const;
const MI_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 2,
  5: 4,
  6: 4,
  7: 4,
  9: 8,
  12: 8,
  13: 8,
  16: 1,
  17: 2,
  18: 4,
};
const NUMERIC_CLASSES: Record<number, MatNumericClass> = {
  6: 'double',
  7: 'single',
  8: 'int8',
  9: 'uint8',
  10: 'int16',
  11: 'uint16',
  12: 'int32',
  13: 'uint32',
  14: 'int64',
  15: 'uint64',
};
const MAX_DEPTH = 64;

interface Element {
  type: number;
  size: number;
  /** Offset of the data. */
  at: number;
  /** Offset of the next element. */
  next: number;
}

class MatParser {
  readonly little: boolean;
  constructor(
    readonly r: ByteReader,
    little: boolean,
    readonly maxInflated: number,
  ) {
    this.little = little;
  }

  tag(at: number, field: string, end: number): Element {
    const w0 = this.r.u32(at, `${field} tag`, this.little);
    const small = this.little ? w0 >>> 16 : w0 & 0xffff;
    if (small !== 0) {
      // Small data element: byte count in the upper half, type in the lower, data in the next 4 bytes.
      const type = this.little ? w0 & 0xffff : w0 >>> 16;
      if (small > 4)
        throw this.r.error(`${field} tag`, 'a small element of at most 4 bytes', `${small} bytes`, at);
      if (at + 8 > end) throw this.r.error(field, 'an element inside its parent', 'one running past it', at);
      return { type, size: small, at: at + 4, next: at + 8 };
    }
    const size = this.r.u32(at + 4, `${field} size`, this.little);
    const padded = w0 === MI.COMPRESSED ? size : size + ((8 - (size % 8)) % 8);
    if (at + 8 + size > end) {
      throw this.r.error(`${field} size`, `at most ${end - at - 8} bytes`, `${size} bytes`, at + 4);
    }
    return { type: w0, size, at: at + 8, next: Math.min(end, at + 8 + padded) };
  }

  numbers(e: Element, field: string): Float64Array {
    const width = MI_SIZE[e.type];
    if (!width || e.type === MI.UTF8 || e.type === MI.UTF16 || e.type === MI.UTF32) {
      throw this.r.error(`${field} type`, 'a numeric data type', String(e.type), e.at - 8);
    }
    if (e.size % width !== 0)
      throw this.r.error(`${field} size`, `a multiple of ${width}`, String(e.size), e.at - 8);
    const n = e.size / width;
    const out = new Float64Array(n);
    const v = this.r.view;
    const le = this.little;
    for (let i = 0, o = e.at; i < n; i++, o += width) {
      switch (e.type) {
        case MI.INT8:
          out[i] = v.getInt8(o);
          break;
        case MI.UINT8:
          out[i] = v.getUint8(o);
          break;
        case MI.INT16:
          out[i] = v.getInt16(o, le);
          break;
        case MI.UINT16:
          out[i] = v.getUint16(o, le);
          break;
        case MI.INT32:
          out[i] = v.getInt32(o, le);
          break;
        case MI.UINT32:
          out[i] = v.getUint32(o, le);
          break;
        case MI.SINGLE:
          out[i] = v.getFloat32(o, le);
          break;
        case MI.DOUBLE:
          out[i] = v.getFloat64(o, le);
          break;
        case MI.INT64:
          out[i] = Number(v.getBigInt64(o, le));
          break;
        default:
          out[i] = Number(v.getBigUint64(o, le));
      }
    }
    return out;
  }

  /** Parses the top-level element at `at`; returns its name, value and the next offset. */
  topLevel(at: number): { name: string; value: MatValue | null; next: number } {
    const e = this.tag(at, 'data element', this.r.size);
    if (e.type === MI.COMPRESSED) {
      const inflated = inflateCapped(
        this.r.slice(e.at, e.size, 'compressed element'),
        { format: 'MAT', file: this.r.file, field: 'compressed element', offset: at },
        this.maxInflated,
      );
      const inner = new MatParser(
        new ByteReader(inflated, 'MAT', `${this.r.file} (element at byte ${at})`),
        this.little,
        this.maxInflated,
      );
      const first = inner.tag(0, 'compressed data element', inflated.length);
      if (first.type !== MI.MATRIX) return { name: '', value: null, next: e.next };
      const { name, value } = inner.matrix(first, 0);
      return { name, value, next: e.next };
    }
    if (e.type !== MI.MATRIX) return { name: '', value: null, next: e.next };
    const { name, value } = this.matrix(e, 0);
    return { name, value, next: e.next };
  }

  matrix(e: Element, depth: number): { name: string; value: MatValue } {
    if (depth > MAX_DEPTH)
      throw this.r.error('array nesting', `at most ${MAX_DEPTH} levels`, 'deeper', e.at - 8);
    if (e.type !== MI.MATRIX)
      throw this.r.error('array element type', `miMATRIX (${MI.MATRIX})`, String(e.type), e.at - 8);
    const end = e.at + e.size;
    if (e.size === 0)
      return {
        name: '',
        value: {
          kind: 'numeric',
          class: 'double',
          dims: [0, 0],
          real: new Float64Array(0),
          imag: null,
          logical: false,
        },
      };
    const flagsEl = this.tag(e.at, 'array flags', end);
    const flags = this.numbers(flagsEl, 'array flags');
    const word = flags[0] ?? 0;
    const classCode = word & 0xff;
    const complex = (word & 0x0800) !== 0;
    const logical = (word & 0x0200) !== 0;
    const dimsEl = this.tag(flagsEl.next, 'dimensions', end);
    const dims = [...this.numbers(dimsEl, 'dimensions')];
    if (dims.length < 1 || dims.some((d) => !Number.isInteger(d) || d < 0)) {
      throw this.r.error('dimensions', 'non-negative integers', `[${dims.join(', ')}]`, dimsEl.at);
    }
    const count = dims.reduce((a, b) => a * b, 1);
    const nameEl = this.tag(dimsEl.next, 'array name', end);
    const name = latin1(this.r.slice(nameEl.at, nameEl.size, 'array name'));
    let o = nameEl.next;

    const numericClass = NUMERIC_CLASSES[classCode];
    if (numericClass) {
      const re = this.tag(o, 'real part', end);
      const real = this.numbers(re, 'real part');
      if (real.length !== count)
        throw this.r.error(
          'real part',
          `${count} values for dimensions [${dims.join(', ')}]`,
          String(real.length),
          re.at - 8,
        );
      let imag: Float64Array | null = null;
      if (complex) {
        const im = this.tag(re.next, 'imaginary part', end);
        imag = this.numbers(im, 'imaginary part');
        if (imag.length !== count)
          throw this.r.error('imaginary part', `${count} values`, String(imag.length), im.at - 8);
      }
      return { name, value: { kind: 'numeric', class: numericClass, dims, real, imag, logical } };
    }
    switch (classCode) {
      case 4: {
        const d = this.tag(o, 'characters', end);
        const text = this.chars(d, dims);
        return { name, value: { kind: 'char', dims, text } };
      }
      case 1: {
        if (count * 8 > end - o)
          throw this.r.error('cells', `room for ${count} cells`, `${end - o} bytes`, o);
        const cells: MatValue[] = [];
        for (let i = 0; i < count; i++) {
          const c = this.tag(o, `cell ${i + 1}`, end);
          cells.push(this.matrix(c, depth + 1).value);
          o = c.next;
        }
        return { name, value: { kind: 'cell', dims, cells } };
      }
      case 2:
      case 3: {
        let className: string | undefined;
        if (classCode === 3) {
          const cn = this.tag(o, 'class name', end);
          className = latin1(this.r.slice(cn.at, cn.size, 'class name'));
          o = cn.next;
        }
        const lenEl = this.tag(o, 'field name length', end);
        const width = this.numbers(lenEl, 'field name length')[0] ?? 0;
        const namesEl = this.tag(lenEl.next, 'field names', end);
        if (width < 1 || namesEl.size % width !== 0) {
          throw this.r.error(
            'field names',
            `a multiple of the name width ${width}`,
            `${namesEl.size} bytes`,
            namesEl.at,
          );
        }
        const fields: string[] = [];
        for (let i = 0; i < namesEl.size / width; i++) {
          const raw = this.r.slice(namesEl.at + i * width, width, 'field name');
          const zero = raw.indexOf(0);
          fields.push(latin1(zero >= 0 ? raw.subarray(0, zero) : raw));
        }
        o = namesEl.next;
        if (count * fields.length * 8 > end - o) {
          throw this.r.error(
            'struct fields',
            `room for ${count} × ${fields.length} field values`,
            `${end - o} bytes`,
            o,
          );
        }
        const elements: Record<string, MatValue>[] = [];
        for (let i = 0; i < count; i++) {
          const el: Record<string, MatValue> = {};
          for (const f of fields) {
            const fe = this.tag(o, `field ${f}`, end);
            el[f] = this.matrix(fe, depth + 1).value;
            o = fe.next;
          }
          elements.push(el);
        }
        const value: MatValue = { kind: 'struct', dims, fields, elements };
        if (className !== undefined) value.className = className;
        return { name, value };
      }
      case 5: {
        const irEl = this.tag(o, 'sparse row indices', end);
        const jcEl = this.tag(irEl.next, 'sparse column starts', end);
        const prEl = this.tag(jcEl.next, 'sparse values', end);
        const rows = Int32Array.from(this.numbers(irEl, 'sparse row indices'));
        const colStarts = Int32Array.from(this.numbers(jcEl, 'sparse column starts'));
        const real = this.numbers(prEl, 'sparse values');
        const imag = complex
          ? this.numbers(this.tag(prEl.next, 'sparse imaginary values', end), 'sparse imaginary values')
          : null;
        return { name, value: { kind: 'sparse', dims, rows, colStarts, real, imag } };
      }
      default:
        return { name, value: { kind: 'unsupported', dims, classCode } };
    }
  }

  chars(e: Element, dims: number[]): string {
    let codes: string;
    if (e.type === MI.UTF8) codes = utf8(this.r.slice(e.at, e.size, 'characters'));
    else if (e.type === MI.UINT8 || e.type === MI.INT8)
      codes = latin1(this.r.slice(e.at, e.size, 'characters'));
    else {
      const values = this.numbers(e, 'characters');
      codes = '';
      for (const c of values) codes += String.fromCharCode(c);
    }
    const rows = dims[0] ?? 1;
    if (rows <= 1 || dims.length !== 2) return codes;
    // Column-major: character (i, j) is codes[i + j·rows].
    const cols = dims[1]!;
    const lines: string[] = [];
    for (let i = 0; i < rows; i++) {
      let line = '';
      for (let j = 0; j < cols; j++) line += codes[i + j * rows] ?? '';
      lines.push(line);
    }
    return lines.join('\n');
  }
}

export function readMat(
  bytes: Uint8Array,
  file = 'input.mat',
  options: { maxInflatedBytes?: number } = {},
): MatFile {
  const r = new ByteReader(bytes, 'MAT', file);
  if (!isMat(bytes))
    throw r.error('header', '"MATLAB 5.0 MAT-file"', JSON.stringify(latin1(bytes.subarray(0, 19))), 0);
  r.need(0, 128, 'header');
  const mark = latin1(bytes.subarray(126, 128));
  if (mark !== 'IM' && mark !== 'MI')
    throw r.error('endian indicator', '"IM" or "MI"', JSON.stringify(mark), 126);
  const parser = new MatParser(r, mark === 'IM', options.maxInflatedBytes ?? 1 << 30);
  const variables = new Map<string, MatValue>();
  let o = 128;
  while (o + 8 <= r.size) {
    const { name, value, next } = parser.topLevel(o);
    if (value) variables.set(name, value);
    if (next <= o) break;
    o = next;
  }
  return { header: r.text(0, 116, 'header'), variables };
}

/** A numeric variable's values, or a `FormatError`-free `undefined` when `value` is not numeric. */
export function matNumbers(value: MatValue | undefined): Float64Array | undefined {
  return value?.kind === 'numeric' ? value.real : undefined;
}

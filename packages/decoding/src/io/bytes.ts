import { FormatError } from '@neurite/kernel';

/**
 * Checked little/big-endian reads over a byte buffer. Every read names the field it is reading, so a
 * truncated or corrupt file fails with a `FormatError` that says which field, at which byte, was wrong —
 * never with a RangeError from a DataView, and never after allocating something sized by garbage.
 */
export class ByteReader {
  readonly view: DataView;
  readonly size: number;

  constructor(
    readonly bytes: Uint8Array,
    readonly format: string,
    readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.size = bytes.byteLength;
  }

  error(field: string, expected: string, found: string, offset?: number): FormatError {
    return new FormatError(this.format, this.file, field, expected, found, offset);
  }

  /** Throws unless `length` bytes starting at `offset` lie inside the buffer. */
  need(offset: number, length: number, field: string): void {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0) {
      throw this.error(
        field,
        'a valid byte range',
        `offset ${offset}, length ${length}`,
        Math.max(0, offset | 0),
      );
    }
    if (offset + length > this.size) {
      throw this.error(
        field,
        `${length} bytes`,
        `${Math.max(0, this.size - offset)} bytes before the end of the file`,
        offset,
      );
    }
  }

  u8(offset: number, field: string): number {
    this.need(offset, 1, field);
    return this.bytes[offset]!;
  }
  u16(offset: number, field: string, little = true): number {
    this.need(offset, 2, field);
    return this.view.getUint16(offset, little);
  }
  i16(offset: number, field: string, little = true): number {
    this.need(offset, 2, field);
    return this.view.getInt16(offset, little);
  }
  u24(offset: number, field: string): number {
    this.need(offset, 3, field);
    const b = this.bytes;
    return b[offset]! | (b[offset + 1]! << 8) | (b[offset + 2]! << 16);
  }
  u32(offset: number, field: string, little = true): number {
    this.need(offset, 4, field);
    return this.view.getUint32(offset, little);
  }
  i32(offset: number, field: string, little = true): number {
    this.need(offset, 4, field);
    return this.view.getInt32(offset, little);
  }
  /** A 64-bit integer that must fit a JavaScript number exactly. */
  i64(offset: number, field: string, little = true): number {
    this.need(offset, 8, field);
    const v = this.view.getBigInt64(offset, little);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw this.error(field, 'an integer below 2^53', v.toString(), offset);
    }
    return Number(v);
  }
  u64(offset: number, field: string, little = true): number {
    this.need(offset, 8, field);
    const v = this.view.getBigUint64(offset, little);
    if (v > BigInt(Number.MAX_SAFE_INTEGER))
      throw this.error(field, 'an integer below 2^53', v.toString(), offset);
    return Number(v);
  }
  f32(offset: number, field: string, little = true): number {
    this.need(offset, 4, field);
    return this.view.getFloat32(offset, little);
  }
  f64(offset: number, field: string, little = true): number {
    this.need(offset, 8, field);
    return this.view.getFloat64(offset, little);
  }

  /** Fixed-width text (Latin-1, as EDF/GDF headers are), with trailing spaces and NULs removed. */
  text(offset: number, length: number, field: string): string {
    this.need(offset, length, field);
    return latin1(this.bytes.subarray(offset, offset + length)).replace(/[\s\0]+$/, '');
  }

  /** A fixed-width ASCII number (EDF header fields); throws naming the field when it is not one. */
  asciiNumber(offset: number, length: number, field: string, options: { integer?: boolean } = {}): number {
    const raw = this.text(offset, length, field).trim();
    const value = raw === '' ? Number.NaN : Number(raw);
    if (!Number.isFinite(value) || (options.integer && !Number.isInteger(value))) {
      throw this.error(field, options.integer ? 'an integer' : 'a number', JSON.stringify(raw), offset);
    }
    return value;
  }

  slice(offset: number, length: number, field: string): Uint8Array {
    this.need(offset, length, field);
    return this.bytes.subarray(offset, offset + length);
  }
}

export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 4096)));
  }
  return s;
}

const utf8Decoder = new TextDecoder('utf-8');
export function utf8(bytes: Uint8Array): string {
  return utf8Decoder.decode(bytes);
}

/** Whether `bytes` starts with `prefix` (a string of byte values 0..255). */
export function startsWith(bytes: Uint8Array, prefix: string, at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (bytes[at + i] !== prefix.charCodeAt(i)) return false;
  return true;
}

import { FormatError } from '@neurite/kernel';

/**
 * Bounds-checked little/big-endian reads over a byte buffer. Every read names the field it is for, so a
 * truncated or corrupted file fails with a `FormatError` that says which field at which byte offset,
 * instead of reading `undefined` past the end or throwing a bare `RangeError`.
 */
export class ByteReader {
  readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly format: string,
    readonly file: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get length(): number {
    return this.bytes.length;
  }

  /** Throws a `FormatError` for this file. */
  fail(field: string, expected: string, found: string, offset?: number): never {
    throw new FormatError(this.format, this.file, field, expected, found, offset);
  }

  /** Checks that `length` bytes exist at `offset`. */
  need(offset: number, length: number, field: string): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || length < 0 || offset + length > this.bytes.length) {
      this.fail(
        field,
        `${length} byte${length === 1 ? '' : 's'} at byte ${offset}`,
        `a file of ${this.bytes.length} bytes`,
        Number.isSafeInteger(offset) ? offset : undefined,
      );
    }
  }

  u8(offset: number, field: string): number {
    this.need(offset, 1, field);
    return this.bytes[offset]!;
  }

  u16(offset: number, field: string, littleEndian = true): number {
    this.need(offset, 2, field);
    return this.view.getUint16(offset, littleEndian);
  }

  i16(offset: number, field: string, littleEndian = true): number {
    this.need(offset, 2, field);
    return this.view.getInt16(offset, littleEndian);
  }

  u32(offset: number, field: string, littleEndian = true): number {
    this.need(offset, 4, field);
    return this.view.getUint32(offset, littleEndian);
  }

  i32(offset: number, field: string, littleEndian = true): number {
    this.need(offset, 4, field);
    return this.view.getInt32(offset, littleEndian);
  }

  /** A signed 64-bit integer that must be exactly representable as a number. */
  i64(offset: number, field: string, littleEndian = true): number {
    this.need(offset, 8, field);
    const value = this.view.getBigInt64(offset, littleEndian);
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      this.fail(field, 'a 64-bit integer within ±2^53', value.toString(), offset);
    }
    return Number(value);
  }

  /** An unsigned 64-bit integer that must be exactly representable as a number. */
  u64(offset: number, field: string, littleEndian = true): number {
    this.need(offset, 8, field);
    const value = this.view.getBigUint64(offset, littleEndian);
    if (value > BigInt(Number.MAX_SAFE_INTEGER))
      this.fail(field, 'a 64-bit size below 2^53', value.toString(), offset);
    return Number(value);
  }

  /** `length` bytes at `offset` as a view (not a copy). */
  slice(offset: number, length: number, field: string): Uint8Array {
    this.need(offset, length, field);
    return this.bytes.subarray(offset, offset + length);
  }

  /** Latin-1 text of `length` bytes (headers are ASCII; this never throws on odd bytes). */
  ascii(offset: number, length: number, field: string): string {
    return latin1(this.slice(offset, length, field));
  }
}

/** Decodes bytes one character per byte; used for ASCII headers and magic strings. */
export function latin1(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 4096) {
    s += String.fromCharCode(...bytes.subarray(i, Math.min(bytes.length, i + 4096)));
  }
  return s;
}

/** Whether `bytes` begins with the ASCII text `magic`. */
export function startsWith(bytes: Uint8Array, magic: string, at = 0): boolean {
  if (bytes.length < at + magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (bytes[at + i] !== magic.charCodeAt(i)) return false;
  return true;
}

/** The file name's extension in lower case, with the dot (`''` when none). */
export function extensionOf(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot <= 0 ? '' : base.slice(dot).toLowerCase();
}

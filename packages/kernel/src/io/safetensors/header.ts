import { FormatError } from '../../errors.js';
import type { DType } from '../../tensor/dtype.js';
import {
  isSafetensorsDType,
  SAFETENSORS_DTYPES,
  type SafetensorsDType,
  UNSUPPORTED_SAFETENSORS_DTYPES,
} from './dtypes.js';

/** Bytes of the little-endian u64 that opens the file and holds the header length. */
export const LENGTH_BYTES = 8;
/** The reference implementation refuses headers above 100 MB; so do we, before allocating one. */
export const MAX_HEADER_BYTES = 100_000_000;
/** The `__metadata__` key under which neurite records which U8 tensors are spike tensors. */
export const NEURITE_DTYPES_KEY = 'neurite.dtypes';

export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: SafetensorsDType;
  readonly shape: readonly number[];
  /** The neurite dtype the tensor loads as. */
  readonly loadsAs: DType;
  /** Byte range relative to the first data byte (the byte after the header). */
  readonly begin: number;
  readonly end: number;
}

/** A validated header: every entry's range lies in the data region, and the ranges tile it exactly. */
export interface SafetensorsHeader {
  /** N, the header's length in bytes (after the 8-byte length field). */
  readonly headerLength: number;
  /** File offset of the first data byte: 8 + N. */
  readonly dataOffset: number;
  readonly dataLength: number;
  /** Tensors in the order of their data. */
  readonly entries: readonly SafetensorsEntry[];
  /** `__metadata__` as stored, or null when the header has none. */
  readonly metadata: Readonly<Record<string, string>> | null;
}

const FORMAT = 'safetensors';

/**
 * Reads and checks the header length N from the file's first 8 bytes: at most 100 MB, and within a file
 * of `fileSize` bytes. Callers read N more bytes only after this.
 */
export function readHeaderLength(first: Uint8Array, fileSize: number, file: string): number {
  if (fileSize < LENGTH_BYTES || first.length < LENGTH_BYTES) {
    throw new FormatError(
      FORMAT,
      file,
      'header length',
      'an 8-byte little-endian u64',
      `a file of ${fileSize} bytes`,
      0,
    );
  }
  const view = new DataView(first.buffer, first.byteOffset, LENGTH_BYTES);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const length = high * 2 ** 32 + low;
  if (high !== 0 || length > MAX_HEADER_BYTES) {
    throw new FormatError(
      FORMAT,
      file,
      'header length',
      `at most ${MAX_HEADER_BYTES} bytes`,
      String(length),
      0,
    );
  }
  if (LENGTH_BYTES + length > fileSize) {
    throw new FormatError(
      FORMAT,
      file,
      'header length',
      `at most ${fileSize - LENGTH_BYTES} (the bytes after the length field)`,
      String(length),
      0,
    );
  }
  return length;
}

/**
 * Parses and validates the N header bytes of a file of `fileSize` bytes. Nothing is allocated from the
 * header's numbers: every range is checked against the data region, and the ranges must cover it
 * without gaps or overlaps (as the reference implementation requires, so no bytes hide in a file).
 */
export function parseHeader(bytes: Uint8Array, fileSize: number, file: string): SafetensorsHeader {
  const headerLength = bytes.length;
  const dataOffset = LENGTH_BYTES + headerLength;
  const dataLength = fileSize - dataOffset;
  const fail: Fail = (field, expected, found, offset) =>
    new FormatError(FORMAT, file, field, expected, found, typeof offset === 'number' ? offset : offset());

  if (bytes[0] !== 0x7b) {
    const found =
      headerLength === 0 ? 'an empty header' : `byte 0x${bytes[0]!.toString(16).padStart(2, '0')}`;
    throw fail('header', "'{' (0x7b) as its first byte", found, LENGTH_BYTES);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw fail('header', 'UTF-8 text', 'invalid UTF-8', LENGTH_BYTES + firstInvalidUtf8(bytes));
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    const message = (cause as Error).message;
    const at = /position (\d+)/.exec(message);
    const offset = LENGTH_BYTES + (at ? utf8Length(text.slice(0, Number(at[1]))) : 0);
    throw fail('header', 'a JSON object', `invalid JSON (${message})`, offset);
  }
  if (!isPlainObject(json)) throw fail('header', 'a JSON object', describe(json), LENGTH_BYTES);

  // Where a key sits in the header, for error messages (the start of the header if not found). Only
  // computed when an error is thrown: searching per entry would be quadratic in the header.
  const locate = (name: string) => (): number => {
    const at = text.indexOf(JSON.stringify(name));
    return LENGTH_BYTES + (at < 0 ? 0 : utf8Length(text.slice(0, at)));
  };

  let metadata: Record<string, string> | null = null;
  const entries: SafetensorsEntry[] = [];
  for (const [name, info] of Object.entries(json)) {
    if (name === '__metadata__') {
      metadata = checkMetadata(info, locate(name), fail);
      continue;
    }
    entries.push(checkEntry(name, info, dataLength, locate(name), fail));
  }

  const spikes = metadata ? spikeNames(metadata, entries, locate('__metadata__'), fail) : new Set<string>();
  const resolved = entries.map((e) => (spikes.has(e.name) ? { ...e, loadsAs: 'spike' as const } : e));
  // Zero-sized tensors share offsets with their neighbours; order them first so the tiling check holds.
  resolved.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  for (const e of resolved) {
    if (e.begin !== expectedBegin) {
      const why = e.begin < expectedBegin ? 'overlaps the previous tensor' : 'leaves a gap before it';
      throw fail(
        `${e.name}.data_offsets`,
        `a range starting at ${expectedBegin} (where the previous tensor ends)`,
        `[${e.begin}, ${e.end}], which ${why}`,
        dataOffset + Math.min(e.begin, expectedBegin),
      );
    }
    expectedBegin = e.end;
  }
  if (expectedBegin !== dataLength) {
    throw fail(
      'data',
      `${expectedBegin} bytes of tensor data (the end of the last range)`,
      `${dataLength} bytes after the header`,
      dataOffset + Math.min(expectedBegin, dataLength),
    );
  }
  return { headerLength, dataOffset, dataLength, entries: resolved, metadata };
}

/** Builds the error; the offset may be computed lazily, since finding it costs a search of the header. */
type Fail = (field: string, expected: string, found: string, offset: number | (() => number)) => FormatError;
type Offset = number | (() => number);

function checkMetadata(value: unknown, offset: Offset, fail: Fail): Record<string, string> {
  if (!isPlainObject(value)) throw fail('__metadata__', 'an object of strings', describe(value), offset);
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw fail(`__metadata__.${key}`, 'a string', describe(v), offset);
    // Defined rather than assigned, so that a key such as "__proto__" stays an ordinary entry.
    Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function checkEntry(
  name: string,
  info: unknown,
  dataLength: number,
  offset: Offset,
  fail: Fail,
): SafetensorsEntry {
  if (!isPlainObject(info)) {
    throw fail(name, 'an object with dtype, shape and data_offsets', describe(info), offset);
  }
  const { dtype, shape, data_offsets: range } = info;
  if (typeof dtype !== 'string' || !isSafetensorsDType(dtype)) {
    const known = Object.keys(SAFETENSORS_DTYPES).join(', ');
    const found =
      typeof dtype === 'string' && UNSUPPORTED_SAFETENSORS_DTYPES.includes(dtype)
        ? `${dtype}, which neurite does not read`
        : describe(dtype);
    throw fail(`${name}.dtype`, `one of ${known}`, found, offset);
  }
  if (!Array.isArray(shape) || !shape.every(isCount)) {
    throw fail(`${name}.shape`, 'an array of non-negative integers', describe(shape), offset);
  }
  if (!Array.isArray(range) || range.length !== 2 || !range.every(isCount)) {
    throw fail(`${name}.data_offsets`, 'two non-negative integers [begin, end]', describe(range), offset);
  }
  const [begin, end] = range as [number, number];
  if (begin > end || end > dataLength) {
    throw fail(
      `${name}.data_offsets`,
      `0 ≤ begin ≤ end ≤ ${dataLength} (the data length)`,
      `[${begin}, ${end}]`,
      offset,
    );
  }
  const size = SAFETENSORS_DTYPES[dtype].size;
  let elements = 1;
  for (const d of shape as number[]) {
    if (d !== 0 && elements > Number.MAX_SAFE_INTEGER / d / size) {
      throw fail(`${name}.shape`, 'a shape whose size fits in the file', `[${shape.join(', ')}]`, offset);
    }
    elements *= d;
  }
  if (elements * size !== end - begin) {
    throw fail(
      `${name}.data_offsets`,
      `${elements * size} bytes (${elements} elements of ${dtype} for shape [${shape.join(', ')}])`,
      `${end - begin} bytes [${begin}, ${end}]`,
      offset,
    );
  }
  return { name, dtype, shape: shape as number[], loadsAs: SAFETENSORS_DTYPES[dtype].loadsAs, begin, end };
}

/** The tensors the header's metadata marks as spike tensors, checked against the entries. */
function spikeNames(
  metadata: Readonly<Record<string, string>>,
  entries: readonly SafetensorsEntry[],
  offset: Offset,
  fail: Fail,
): Set<string> {
  const raw = metadata[NEURITE_DTYPES_KEY];
  const out = new Set<string>();
  if (raw === undefined) return out;
  const field = `__metadata__.${NEURITE_DTYPES_KEY}`;
  let marks: unknown;
  try {
    marks = JSON.parse(raw);
  } catch {
    throw fail(
      field,
      'a JSON object mapping tensor names to "spike"',
      JSON.stringify(raw.slice(0, 80)),
      offset,
    );
  }
  if (!isPlainObject(marks))
    throw fail(field, 'a JSON object mapping tensor names to "spike"', describe(marks), offset);
  const byName = new Map(entries.map((e) => [e.name, e]));
  for (const [name, dtype] of Object.entries(marks)) {
    const entry = byName.get(name);
    if (dtype !== 'spike') throw fail(`${field}.${name}`, '"spike"', describe(dtype), offset);
    if (!entry) throw fail(`${field}.${name}`, 'the name of a tensor in the file', 'no such tensor', offset);
    if (entry.dtype !== 'U8' && entry.dtype !== 'BOOL') {
      throw fail(`${field}.${name}`, 'a U8 or BOOL tensor', `a ${entry.dtype} tensor`, offset);
    }
    out.add(name);
  }
  return out;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** Index of the first byte that breaks UTF-8 (for the error's offset; only on the error path). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let lo = 0;
  let hi = bytes.length;
  // The longest prefix that is valid so far, by bisection. Streaming mode accepts a prefix that ends
  // inside a character, so validity is monotone in the prefix length.
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      lo = mid;
    } catch {
      hi = mid - 1;
    }
  }
  return lo;
}

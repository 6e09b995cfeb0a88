import { FormatError, NeuriteError } from '../../errors.js';
import type { Runtime } from '../../runtime.js';
import type { DataArray } from '../../tensor/dtype.js';
import type { Tensor } from '../../tensor/tensor.js';
import { readLittleEndian } from '../bytes.js';
import { halfToNumber, SAFETENSORS_DTYPES } from './dtypes.js';
import {
  LENGTH_BYTES,
  NEURITE_DTYPES_KEY,
  parseHeader,
  readHeaderLength,
  type SafetensorsEntry,
  type SafetensorsHeader,
} from './header.js';

/** What a safetensors file holds: tensors by name, and the `__metadata__` strings. */
export interface SafetensorsContents {
  readonly tensors: Map<string, Tensor>;
  /** The file's `__metadata__`, without the key neurite uses to mark spike tensors. */
  readonly metadata: Record<string, string>;
}

export interface DecodeOptions {
  /** The file name used in error messages. */
  readonly file?: string;
  /** The backend to place the tensors on; the runtime's current one by default. */
  readonly backend?: string;
}

/** Decodes a whole safetensors file held in memory. A malformed file is a FormatError. */
export function decodeSafetensors(
  bytes: Uint8Array,
  runtime: Runtime,
  options: DecodeOptions = {},
): SafetensorsContents {
  const file = options.file ?? '<bytes>';
  const headerLength = readHeaderLength(bytes.subarray(0, LENGTH_BYTES), bytes.length, file);
  const header = parseHeader(bytes.subarray(LENGTH_BYTES, LENGTH_BYTES + headerLength), bytes.length, file);
  return decodeSafetensorsData(header, bytes.subarray(header.dataOffset), runtime, options);
}

/**
 * Builds the tensors of a validated header from its data region (the bytes after the header), for
 * readers that fetch the header first and the data after it.
 */
export function decodeSafetensorsData(
  header: SafetensorsHeader,
  data: Uint8Array,
  runtime: Runtime,
  options: DecodeOptions = {},
): SafetensorsContents {
  const file = options.file ?? '<bytes>';
  if (data.length !== header.dataLength) {
    throw new NeuriteError(
      `decodeSafetensorsData: ${data.length} data bytes for a header that describes ${header.dataLength}`,
    );
  }
  const tensors = new Map<string, Tensor>();
  const placement = options.backend === undefined ? {} : { backend: options.backend };
  for (const entry of header.entries) {
    const values = readElements(
      entry,
      data.subarray(entry.begin, entry.end),
      file,
      header.dataOffset + entry.begin,
    );
    tensors.set(entry.name, runtime.fromArray(values, entry.shape, { dtype: entry.loadsAs, ...placement }));
  }
  const { [NEURITE_DTYPES_KEY]: _marks, ...metadata } = header.metadata ?? {};
  return { tensors, metadata };
}

/** An entry's elements converted to its neurite dtype (documented in dtypes.ts). */
function readElements(
  entry: SafetensorsEntry,
  bytes: Uint8Array,
  file: string,
  fileOffset: number,
): DataArray {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const outOfRange = (index: number, value: string) =>
    new FormatError(
      'safetensors',
      file,
      entry.name,
      `${entry.dtype} values within int32 range (neurite holds integers as int32)`,
      `${value} at element ${index}`,
      fileOffset + index * SAFETENSORS_DTYPES[entry.dtype].size,
    );
  switch (entry.dtype) {
    case 'F32':
      return readLittleEndian(bytes, Float32Array);
    case 'F64':
      return readLittleEndian(bytes, Float64Array);
    case 'I32':
      return readLittleEndian(bytes, Int32Array);
    case 'BOOL':
    case 'U8': {
      if (entry.loadsAs === 'int32') return Int32Array.from(bytes);
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i]! > 1) {
          throw new FormatError(
            'safetensors',
            file,
            entry.name,
            `0 or 1 in every element (a ${entry.dtype === 'BOOL' ? 'BOOL' : 'spike'} tensor)`,
            `${bytes[i]} at element ${i}`,
            fileOffset + i,
          );
        }
      }
      return bytes;
    }
    case 'I8':
      return Int32Array.from(new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length));
    case 'I16':
    case 'U16': {
      const out = new Int32Array(bytes.length / 2);
      const signed = entry.dtype === 'I16';
      for (let i = 0; i < out.length; i++)
        out[i] = signed ? view.getInt16(2 * i, true) : view.getUint16(2 * i, true);
      return out;
    }
    case 'F16': {
      const out = new Float32Array(bytes.length / 2);
      for (let i = 0; i < out.length; i++) out[i] = halfToNumber(view.getUint16(2 * i, true));
      return out;
    }
    case 'BF16': {
      // bfloat16 is the top half of a float32.
      const out = new Float32Array(bytes.length / 2);
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < out.length; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      return out;
    }
    case 'U32': {
      const out = new Int32Array(bytes.length / 4);
      for (let i = 0; i < out.length; i++) {
        const v = view.getUint32(4 * i, true);
        if (v > 0x7fffffff) throw outOfRange(i, String(v));
        out[i] = v;
      }
      return out;
    }
    case 'I64':
    case 'U64': {
      const out = new Int32Array(bytes.length / 8);
      const signed = entry.dtype === 'I64';
      for (let i = 0; i < out.length; i++) {
        const low = view.getUint32(8 * i, true);
        const high = view.getInt32(8 * i + 4, true);
        // In int32 range: the high word is the sign extension of the low word's top bit.
        const fits = low <= 0x7fffffff ? high === 0 : signed && high === -1;
        if (!fits) {
          const value = signed ? view.getBigInt64(8 * i, true) : view.getBigUint64(8 * i, true);
          throw outOfRange(i, value.toString());
        }
        out[i] = low | 0;
      }
      return out;
    }
  }
}

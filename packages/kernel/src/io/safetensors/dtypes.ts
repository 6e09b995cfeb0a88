import type { DType } from '../../tensor/dtype.js';

/**
 * The safetensors element types neurite reads, with the neurite dtype each becomes. Conversions are
 * exact or refused: integers narrower than 32 bits widen to int32, F16 and BF16 widen to float32
 * (every half and bfloat16 value is a float32 value), and 64-bit or unsigned 32-bit integers become
 * int32 when every element fits (a FormatError names the first that does not). BOOL becomes spike.
 * U8 becomes spike when the file marks the tensor as one of neurite's spike tensors, int32 otherwise.
 * The 8-, 6- and 4-bit float formats and C64 are refused with a FormatError.
 */
export type SafetensorsDType =
  | 'BOOL'
  | 'U8'
  | 'I8'
  | 'I16'
  | 'U16'
  | 'F16'
  | 'BF16'
  | 'I32'
  | 'U32'
  | 'F32'
  | 'F64'
  | 'I64'
  | 'U64';

export interface SafetensorsDTypeInfo {
  /** Bytes per element. */
  readonly size: number;
  /** The neurite dtype elements of this type load as (U8 loads as spike only when marked). */
  readonly loadsAs: DType;
  /**
   * Position in the reference implementation's `Dtype` enum, which is ordered by alignment. Its
   * writer lays tensors out by this rank, largest first, then by name, so every tensor is aligned.
   */
  readonly rank: number;
}

export const SAFETENSORS_DTYPES: Readonly<Record<SafetensorsDType, SafetensorsDTypeInfo>> = {
  BOOL: { size: 1, loadsAs: 'spike', rank: 0 },
  U8: { size: 1, loadsAs: 'int32', rank: 4 },
  I8: { size: 1, loadsAs: 'int32', rank: 5 },
  I16: { size: 2, loadsAs: 'int32', rank: 11 },
  U16: { size: 2, loadsAs: 'int32', rank: 12 },
  F16: { size: 2, loadsAs: 'float32', rank: 13 },
  BF16: { size: 2, loadsAs: 'float32', rank: 14 },
  I32: { size: 4, loadsAs: 'int32', rank: 15 },
  U32: { size: 4, loadsAs: 'int32', rank: 16 },
  F32: { size: 4, loadsAs: 'float32', rank: 17 },
  F64: { size: 8, loadsAs: 'float64', rank: 19 },
  I64: { size: 8, loadsAs: 'int32', rank: 20 },
  U64: { size: 8, loadsAs: 'int32', rank: 21 },
};

/** Types of the format that neurite recognises but cannot hold (named so the error can say so). */
export const UNSUPPORTED_SAFETENSORS_DTYPES: readonly string[] = [
  'F4',
  'F6_E2M3',
  'F6_E3M2',
  'F8_E5M2',
  'F8_E4M3',
  'F8_E8M0',
  'F8_E4M3FNUZ',
  'F8_E5M2FNUZ',
  'C64',
];

export function isSafetensorsDType(name: string): name is SafetensorsDType {
  return Object.hasOwn(SAFETENSORS_DTYPES, name);
}

/** The safetensors type a neurite dtype is written as. */
export const WRITTEN_AS: Readonly<Record<DType, SafetensorsDType>> = {
  float32: 'F32',
  float64: 'F64',
  int32: 'I32',
  // One byte 0/1 per element; the header's metadata marks the tensor so it loads back as spike.
  spike: 'U8',
};

/** IEEE half precision bits to a number (exact: every half is a float32). */
export function halfToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

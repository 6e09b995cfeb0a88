/**
 * Element types. `spike` is one byte per element holding 0 or 1: binary activity at a quarter of the
 * memory of float32, and the signal event-driven kernels look for. Comparisons also return `spike`.
 * `float64` exists so that gradcheck can run every op in double precision.
 */
export type DType = 'float32' | 'float64' | 'int32' | 'spike';

export type DataArray = Float32Array | Float64Array | Int32Array | Uint8Array;
export type FloatArray = Float32Array | Float64Array;

export interface DTypeArrays {
  float32: Float32Array;
  float64: Float64Array;
  int32: Int32Array;
  spike: Uint8Array;
}

const CONSTRUCTORS = {
  float32: Float32Array,
  float64: Float64Array,
  int32: Int32Array,
  spike: Uint8Array,
} as const;

export const DTYPES: readonly DType[] = ['float32', 'float64', 'int32', 'spike'];

export function arrayFor<D extends DType>(dtype: D, size: number): DTypeArrays[D] {
  return new CONSTRUCTORS[dtype](size) as DTypeArrays[D];
}

export function arrayConstructor(dtype: DType) {
  return CONSTRUCTORS[dtype];
}

export function bytesPerElement(dtype: DType): number {
  return CONSTRUCTORS[dtype].BYTES_PER_ELEMENT;
}

export function dtypeOfArray(data: DataArray): DType {
  if (data instanceof Float32Array) return 'float32';
  if (data instanceof Float64Array) return 'float64';
  if (data instanceof Int32Array) return 'int32';
  return 'spike';
}

export function isFloat(dtype: DType): dtype is 'float32' | 'float64' {
  return dtype === 'float32' || dtype === 'float64';
}

const RANK: Record<DType, number> = { spike: 0, int32: 1, float32: 2, float64: 3 };

/** The dtype arithmetic between `a` and `b` produces: the wider of the two, spikes counting as the narrowest. */
export function promote(a: DType, b: DType): DType {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Arithmetic on spikes yields float32 (a sum of spikes is a count, scaled spikes are currents). */
export function arithmeticResult(a: DType, b: DType): DType {
  const p = promote(a, b);
  return p === 'spike' ? 'float32' : p;
}

/** The dtype a gradient has for a tensor of this dtype: spikes and integers get float32 gradients. */
export function gradDType(dtype: DType): 'float32' | 'float64' {
  return dtype === 'float64' ? 'float64' : 'float32';
}

/**
 * Little-endian element data. File formats store little-endian numbers; every JavaScript host in use
 * is little-endian too, so typed arrays read and write the bytes directly, and a big-endian host takes
 * the slower DataView path and gets the same numbers.
 */
import type { DataArray } from '../tensor/dtype.js';

export const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

type NumericArrayConstructor = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor;

const GETTERS = new Map<NumericArrayConstructor, (v: DataView, at: number) => number>([
  [Float32Array, (v, at) => v.getFloat32(at, true)],
  [Float64Array, (v, at) => v.getFloat64(at, true)],
  [Int32Array, (v, at) => v.getInt32(at, true)],
]);

const SETTERS = new Map<NumericArrayConstructor, (v: DataView, at: number, x: number) => void>([
  [Float32Array, (v, at, x) => v.setFloat32(at, x, true)],
  [Float64Array, (v, at, x) => v.setFloat64(at, x, true)],
  [Int32Array, (v, at, x) => v.setInt32(at, x, true)],
]);

/**
 * The elements of little-endian `bytes` as a typed array: a view without copying when the bytes are
 * aligned for the element type, a copy otherwise. The caller copies it if it keeps it.
 */
export function readLittleEndian<C extends NumericArrayConstructor>(
  bytes: Uint8Array,
  ctor: C,
): InstanceType<C> {
  const size = ctor.BYTES_PER_ELEMENT;
  const count = bytes.length / size;
  if (HOST_IS_LITTLE_ENDIAN) {
    const aligned = bytes.byteOffset % size === 0 ? bytes : bytes.slice();
    return new ctor(aligned.buffer as ArrayBuffer, aligned.byteOffset, count) as InstanceType<C>;
  }
  const out = new ctor(count);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const get = GETTERS.get(ctor)!;
  for (let i = 0; i < count; i++) out[i] = get(view, i * size);
  return out as InstanceType<C>;
}

/** Writes the elements of `data` little-endian into `target` starting at byte `offset`. */
export function writeLittleEndian(data: DataArray, target: Uint8Array, offset: number): void {
  if (HOST_IS_LITTLE_ENDIAN || data.BYTES_PER_ELEMENT === 1) {
    target.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
    return;
  }
  const view = new DataView(target.buffer, target.byteOffset + offset, data.byteLength);
  const set = SETTERS.get(data.constructor as NumericArrayConstructor)!;
  const size = data.BYTES_PER_ELEMENT;
  for (let i = 0; i < data.length; i++) set(view, i * size, data[i]!);
}

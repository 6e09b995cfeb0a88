import { NeuriteError } from '@neurite/kernel';
import type { NirArray, NirField, NirLeaf } from './types.js';

/** Helpers to read and make NIR arrays. */

export function sizeOfShape(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

export function f32(data: ArrayLike<number>, shape: readonly number[] = [data.length]): NirArray {
  return { dtype: 'float32', shape, data: Float32Array.from(data) };
}

export function f64(data: ArrayLike<number>, shape: readonly number[] = [data.length]): NirArray {
  return { dtype: 'float64', shape, data: Float64Array.from(data) };
}

export function i64(data: readonly number[], shape: readonly number[] = [data.length]): NirArray {
  return { dtype: 'int64', shape, data: Float64Array.from(data) };
}

export function i64Scalar(v: number): NirArray {
  return { dtype: 'int64', shape: [], data: Float64Array.of(v) };
}

/** An array of `shape` filled with `value`, in `dtype`. */
export function filled(
  shape: readonly number[],
  value: number,
  dtype: 'float32' | 'float64' = 'float32',
): NirArray {
  const n = sizeOfShape(shape);
  const data = dtype === 'float32' ? new Float32Array(n) : new Float64Array(n);
  data.fill(value);
  return { dtype, shape, data };
}

export function isArray(field: NirField | undefined): field is NirArray {
  return field !== undefined && field.dtype !== 'string';
}

/** A required numeric field of a leaf (the parser guarantees presence for the known types). */
export function field(node: NirLeaf, name: string): NirArray {
  const f = node.fields.get(name);
  if (!isArray(f)) throw new NeuriteError(`NIR ${node.type}: field ${name} is missing or not numeric`);
  return f;
}

/** The values of an integer field as a list (a scalar gives one value). */
export function ints(f: NirArray): number[] {
  return Array.from(f.data as ArrayLike<number>);
}

/** An integer field that may be one value or one per spatial axis, as `rank` values. */
export function perAxis(f: NirField, rank: number, name: string): number[] {
  if (!isArray(f)) throw new NeuriteError(`NIR ${name}: expected integers, found '${f.data[0]}'`);
  const v = ints(f);
  if (v.length === 1) return new Array<number>(rank).fill(v[0]!);
  if (v.length !== rank)
    throw new NeuriteError(`NIR ${name}: expected 1 or ${rank} values, found ${v.length}`);
  return v;
}

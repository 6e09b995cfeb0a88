/**
 * A plain in-memory form of an HDF5 file: groups of named children, datasets with their element type,
 * shape and data, and attributes. The NIR reader and writer work on this form, so h5wasm is touched in
 * exactly two places (read and write) and everything else is ordinary TypeScript.
 */

/** Element types NIR files use. Integers are held as numbers (int64 is checked to be exact). */
export type H5DType =
  | 'float32'
  | 'float64'
  | 'int8'
  | 'int16'
  | 'int32'
  | 'int64'
  | 'uint8'
  | 'uint16'
  | 'uint32'
  | 'uint64'
  | 'string';

export type H5NumericData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Int16Array
  | Int32Array
  | Uint8Array
  | Uint16Array
  | Uint32Array;

/** Numbers of any numeric dtype (int64 and uint64 values as Float64Array holding exact integers). */
export interface H5NumericValue {
  readonly dtype: Exclude<H5DType, 'string'>;
  /** [] for a scalar. */
  readonly shape: readonly number[];
  readonly data: H5NumericData;
}

export interface H5StringValue {
  readonly dtype: 'string';
  readonly shape: readonly number[];
  readonly data: readonly string[];
}

export type H5Value = H5NumericValue | H5StringValue;

export interface H5Dataset {
  readonly kind: 'dataset';
  readonly value: H5Value;
  readonly attrs: ReadonlyMap<string, H5Value>;
  /** Whether to gzip the data when writing (numeric arrays only). */
  readonly compress?: boolean;
}

export interface H5Group {
  readonly kind: 'group';
  readonly children: ReadonlyMap<string, H5Group | H5Dataset>;
  readonly attrs: ReadonlyMap<string, H5Value>;
}

export type H5Node = H5Group | H5Dataset;

// ------------------------------------------------------------------------------------------ builders

export function group(
  children: Record<string, H5Node | undefined> = {},
  attrs: Record<string, H5Value> = {},
): H5Group {
  const entries = Object.entries(children).filter((e): e is [string, H5Node] => e[1] !== undefined);
  return { kind: 'group', children: new Map(entries), attrs: new Map(Object.entries(attrs)) };
}

export function dataset(
  value: H5Value,
  options: { compress?: boolean; attrs?: Record<string, H5Value> } = {},
): H5Dataset {
  return {
    kind: 'dataset',
    value,
    attrs: new Map(Object.entries(options.attrs ?? {})),
    compress: options.compress ?? false,
  };
}

export function stringValue(text: string): H5StringValue {
  return { dtype: 'string', shape: [], data: [text] };
}

export function strings(data: readonly string[], shape: readonly number[] = [data.length]): H5StringValue {
  return { dtype: 'string', shape, data };
}

export function numeric(
  dtype: H5NumericValue['dtype'],
  data: H5NumericData,
  shape: readonly number[] = [data.length],
): H5NumericValue {
  return { dtype, shape, data };
}

export function int64(values: readonly number[], shape: readonly number[] = [values.length]): H5NumericValue {
  return { dtype: 'int64', shape, data: Float64Array.from(values) };
}

export function float64Scalar(x: number): H5NumericValue {
  return { dtype: 'float64', shape: [], data: Float64Array.of(x) };
}

export function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

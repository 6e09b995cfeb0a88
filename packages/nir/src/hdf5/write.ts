import type { Dtype, Group } from 'h5wasm';
import { h5lib, scratchPath } from './h5.js';
import type { H5Group, H5NumericValue, H5Value } from './tree.js';

/** h5wasm's type strings (Python struct letters, little-endian) for the types h5py writes. */
const DTYPES: Record<H5NumericValue['dtype'], string> = {
  float32: '<f',
  float64: '<d',
  int8: '<b',
  int16: '<h',
  int32: '<i',
  int64: '<q',
  uint8: '<B',
  uint16: '<H',
  uint32: '<I',
  uint64: '<Q',
};

/**
 * Writes the tree form as an HDF5 file with the HDF5 library itself (h5wasm), laid out as h5py lays
 * it out: strings as variable-length UTF-8, integers as 64-bit when the tree says so, numeric arrays
 * gzip-compressed (one chunk) where the tree asks for it. Attributes are written on groups and datasets.
 */
export async function writeHdf5(root: H5Group): Promise<Uint8Array> {
  const lib = await h5lib();
  const path = scratchPath();
  try {
    const file = new lib.File(path, 'w');
    try {
      writeGroup(file, root);
    } finally {
      file.close();
    }
    return lib.module.FS.readFile(path);
  } finally {
    try {
      lib.module.FS.unlink(path);
    } catch {
      // never created
    }
  }
}

function writeGroup(target: Group, tree: H5Group): void {
  writeAttrs(target, tree.attrs);
  for (const [name, child] of tree.children) {
    if (child.kind === 'group') writeGroup(target.create_group(name), child);
    else {
      const { data, shape, dtype } = h5data(child.value);
      const size = shape.reduce((a, b) => a * b, 1);
      const compress =
        child.compress === true && child.value.dtype !== 'string' && shape.length > 0 && size > 0;
      const dataset = target.create_dataset({
        name,
        data,
        shape: [...shape],
        ...(dtype === null ? {} : { dtype }),
        ...(compress ? { compression: 'gzip' as const, chunks: [...shape] } : {}),
      });
      writeAttrs(dataset, child.attrs);
    }
  }
}

function writeAttrs(
  target: {
    create_attribute(name: string, data: never, shape?: number[] | null, dtype?: Dtype | null): void;
  },
  attrs: ReadonlyMap<string, H5Value>,
): void {
  for (const [name, value] of attrs) {
    const { data, shape, dtype } = h5data(value);
    (target.create_attribute as (n: string, d: unknown, s?: number[] | null, t?: Dtype | null) => void)(
      name,
      data,
      [...shape],
      dtype,
    );
  }
}

/** The data, shape and type h5wasm takes for a tree value. */
function h5data(value: H5Value): { data: never; shape: readonly number[]; dtype: Dtype | null } {
  if (value.dtype === 'string') {
    // A scalar string as a plain string; arrays as string lists with the shape given.
    const data = value.shape.length === 0 ? (value.data[0] ?? '') : [...value.data];
    return { data: data as never, shape: value.shape, dtype: null };
  }
  if (value.dtype === 'int64' || value.dtype === 'uint64') {
    const data =
      value.dtype === 'int64'
        ? BigInt64Array.from(value.data, (v) => BigInt(v))
        : BigUint64Array.from(value.data, (v) => BigInt(v));
    return { data: data as never, shape: value.shape, dtype: DTYPES[value.dtype] };
  }
  return { data: value.data as never, shape: value.shape, dtype: DTYPES[value.dtype] };
}

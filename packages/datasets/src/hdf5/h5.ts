import { FormatError } from '@neurite/kernel';
import type * as H5wasm from 'h5wasm';
import type { Dataset, Group, File as H5File } from 'h5wasm';

export type { Dataset, Group, H5File };

/** One loaded copy of h5wasm: `h5wasm` (in-memory files; browsers and Node) or `h5wasm/node` (host files). */
export interface H5Lib {
  readonly File: typeof H5wasm.File;
  readonly Dataset: typeof H5wasm.Dataset;
  readonly Group: typeof H5wasm.Group;
  readonly module: Awaited<typeof H5wasm.ready>;
}

let memoryLib: Promise<H5Lib> | undefined;

/** The in-memory build of h5wasm, loaded once. */
export function memoryH5(): Promise<H5Lib> {
  memoryLib ??= import('h5wasm').then(async (m) => {
    const lib = m.default;
    return { File: lib.File, Dataset: lib.Dataset, Group: lib.Group, module: await lib.ready };
  });
  return memoryLib;
}

let counter = 0;

/**
 * Opens HDF5 bytes with h5wasm (the HDF5 C library compiled to WebAssembly): the bytes go into its
 * in-memory file system, which works in browsers and in Node. `use` runs while the file is open; the
 * file is closed and removed afterwards.
 */
export async function withHdf5Bytes<T>(
  bytes: Uint8Array,
  label: string,
  format: string,
  use: (file: H5File, lib: H5Lib) => T,
): Promise<T> {
  if (!hasHdf5Signature(bytes)) {
    throw new FormatError(
      format,
      label,
      'HDF5 signature',
      '\\x89HDF\\r\\n\\x1a\\n at byte 0, 512, 1024, …',
      'none',
      0,
    );
  }
  checkGlobalHeaps(bytes, label, format);
  const lib = await memoryH5();
  const path = `/neurite-${counter++}.h5`;
  lib.module.FS.writeFile(path, bytes);
  try {
    return withHdf5File(lib, path, label, format, use);
  } finally {
    lib.module.FS.unlink(path);
  }
}

/** Opens an HDF5 file at a path of `lib`'s file system; errors of the HDF5 library become `FormatError`s. */
export function withHdf5File<T>(
  lib: H5Lib,
  path: string,
  label: string,
  format: string,
  use: (file: H5File, lib: H5Lib) => T,
): T {
  let file: H5File;
  try {
    file = new lib.File(path, 'r');
  } catch (cause) {
    throw new FormatError(format, label, 'HDF5 structure', 'a readable HDF5 file', describe(cause), 0);
  }
  // With HDF5's default error handler a failed open prints its error stack and returns a negative id.
  if (file.file_id < 0n)
    throw new FormatError(
      format,
      label,
      'HDF5 structure',
      'a readable HDF5 file',
      'a file the HDF5 library cannot open',
      0,
    );
  try {
    return use(file, lib);
  } catch (cause) {
    if (cause instanceof FormatError) throw cause;
    throw new FormatError(format, label, 'HDF5 data', 'readable HDF5 datasets', describe(cause));
  } finally {
    try {
      file.close();
    } catch {
      // A file the library could not read may also fail to close; the read error above is the one to report.
    }
  }
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Whether the HDF5 signature is at byte 0 or after a user block (512, 1024, 2048, … bytes). */
export function hasHdf5Signature(bytes: Uint8Array): boolean {
  for (let at = 0; at + 8 <= bytes.length; at = at === 0 ? 512 : at * 2) {
    if (SIGNATURE.every((b, i) => bytes[at + i] === b)) return true;
  }
  return false;
}

/**
 * Walks every global heap collection ("GCOL") in the bytes the way the HDF5 library loads one, and
 * rejects a collection whose object chain would not advance: HDF5 (natively too) loops forever on a
 * free-space object of size 0, so such a file must never reach it. Collections are found by their
 * signature, which the library checks before it reads one.
 */
export function checkGlobalHeaps(bytes: Uint8Array, label: string, format: string): void {
  const read = (at: number, length: number) =>
    at + length <= bytes.length ? new DataView(bytes.buffer, bytes.byteOffset + at, length) : undefined;
  for (let g = bytes.indexOf(0x47); g >= 0 && g + 16 <= bytes.length; g = bytes.indexOf(0x47, g + 1)) {
    if (bytes[g + 1] === 0x43 && bytes[g + 2] === 0x4f && bytes[g + 3] === 0x4c)
      checkCollection(g, bytes.length, read, label, format);
  }
}

/** Walks one global heap collection at `g` through `read` (positional reads of `length` bytes). */
export function checkCollection(
  g: number,
  fileLength: number,
  read: (at: number, length: number) => DataView | undefined,
  label: string,
  format: string,
): void {
  const header = read(g + 8, 8);
  if (!header) return;
  const end = g + Math.min(Number(header.getBigUint64(0, true)), fileLength - g);
  for (let p = g + 16; p + 16 <= end; ) {
    const object = read(p, 16);
    if (!object) return;
    const index = object.getUint16(0, true);
    const objectSize = Number(object.getBigUint64(8, true));
    const need = index > 0 ? 16 + Math.ceil(objectSize / 8) * 8 : objectSize;
    if (need <= 0)
      throw new FormatError(
        format,
        label,
        'global heap object size',
        'a free-space object of at least 16 bytes',
        '0 bytes',
        p + 8,
      );
    p += need;
  }
}

function describe(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim()
      .slice(0, 200) ?? 'an unreadable file'
  );
}

/** The entity at `path`, if it is a dataset. */
export function datasetAt(lib: H5Lib, group: Group, path: string): Dataset | undefined {
  const entity = group.get(path);
  return entity instanceof lib.Dataset ? entity : undefined;
}

/** The entity at `path`, if it is a group. */
export function groupAt(lib: H5Lib, group: Group, path: string): Group | undefined {
  const entity = group.get(path);
  return entity instanceof lib.Group ? entity : undefined;
}

const HVL_T_BYTES = 8; // { size_t len; void *p } in 32-bit WebAssembly

/**
 * Reads samples [start, end) of a 1-D variable-length dataset as raw bytes per sequence, straight from
 * the HDF5 library's buffers. (h5wasm's own `slice` converts elements to typed arrays and refuses
 * half floats, which Node 20 has no array type for; SHD-style files may store times as float16.)
 */
export function readVlenBytes(
  lib: H5Lib,
  d: Dataset,
  start: number,
  end: number,
  elementBytes: number,
): Uint8Array[] {
  const m = lib.module;
  const count = end - start;
  const ptr = m._malloc(Math.max(1, count * HVL_T_BYTES));
  if (!ptr) throw new Error(`could not allocate ${count * HVL_T_BYTES} bytes in the WebAssembly heap`);
  const out: Uint8Array[] = [];
  try {
    m.get_dataset_data(d.file_id, d.path, [BigInt(count)], [BigInt(start)], [1n], BigInt(ptr));
    try {
      const pairs = new Uint32Array(m.HEAPU8.buffer.slice(ptr, ptr + count * HVL_T_BYTES));
      for (let i = 0; i < count; i++) {
        const length = pairs[2 * i]!;
        const at = pairs[2 * i + 1]!;
        out.push(m.HEAPU8.slice(at, at + length * elementBytes));
      }
    } finally {
      m.reclaim_vlen_memory_count(d.file_id, d.path, '', BigInt(ptr), [BigInt(count)]);
    }
  } finally {
    m._free(ptr);
  }
  return out;
}

import { FormatError, NeuriteError } from '@neurite/kernel';
import { latin1 } from '../io/bytes.js';
import type { SpikeTrains } from '../spike-trains.js';

/**
 * NWB 2.x (Neurodata Without Borders, on HDF5) spike units, read with h5wasm (the HDF5 C library compiled
 * to WebAssembly, so it runs in browsers and Node alike). The units table is the group `/units`:
 * `spike_times` (all units' spikes, concatenated), `spike_times_index` (each unit's end offset into it),
 * and `id`. The file must carry NWB's root attributes (`nwb_version`, `neurodata_type` = NWBFile).
 */
const HDF5_SIGNATURE = '\x89HDF\r\n\x1a\n';

/** Where an HDF5 superblock can sit: byte 0 or a user block of 512 × 2^k bytes. */
function hdf5Offset(head: Uint8Array): number {
  for (let at = 0; at + 8 <= head.length; at = at === 0 ? 512 : at * 2) {
    if (latin1(head.subarray(at, at + 8)) === HDF5_SIGNATURE) return at;
  }
  return -1;
}

export function isHdf5(head: Uint8Array): boolean {
  return hdf5Offset(head) >= 0;
}

/** HDF5 with NWB's root attributes in view (they sit in the root object header, near the start). */
export function isNwb(head: Uint8Array, fileName = ''): boolean {
  if (!isHdf5(head)) return false;
  if (fileName.toLowerCase().endsWith('.nwb')) return true;
  const text = latin1(head);
  return text.includes('nwb_version') || text.includes('NWBFile');
}

type H5 = typeof import('h5wasm').default;
let loading: Promise<H5> | null = null;
let counter = 0;

/** h5wasm, loaded on first use so the package costs nothing until an HDF5 file is read. */
export async function loadH5wasm(): Promise<H5> {
  loading ??= import('h5wasm').then(async (m) => {
    await m.default.ready;
    return m.default;
  });
  return loading;
}

/** Runs `fn` on the bytes opened as an HDF5 file in h5wasm's in-memory file system, then removes it. */
export async function withHdf5<T>(
  bytes: Uint8Array,
  file: string,
  fn: (f: InstanceType<H5['File']>) => T,
): Promise<T> {
  const h5 = await loadH5wasm();
  const { FS } = await h5.ready;
  const path = `/neurite-decoding-${++counter}.h5`;
  FS.writeFile(path, bytes);
  let handle: InstanceType<H5['File']> | null = null;
  try {
    try {
      handle = new h5.File(path, 'r');
    } catch (cause) {
      throw new FormatError(
        'NWB',
        file,
        'HDF5 superblock',
        'a readable HDF5 file',
        (cause as Error).message || 'unreadable',
      );
    }
    try {
      return fn(handle);
    } catch (cause) {
      // h5wasm reports a corrupt structure as a plain Error from deep inside the HDF5 library.
      if (cause instanceof NeuriteError) throw cause;
      throw new FormatError(
        'NWB',
        file,
        'HDF5 structure',
        'readable groups, datasets and attributes',
        (cause as Error)?.message || String(cause),
      );
    }
  } finally {
    handle?.close();
    FS.unlink(path);
  }
}

export async function readNwbUnits(bytes: Uint8Array, file = 'input.nwb'): Promise<SpikeTrains> {
  if (!isHdf5(bytes.subarray(0, 4096))) {
    throw new FormatError(
      'NWB',
      file,
      'signature',
      'the HDF5 signature 89 48 44 46 0d 0a 1a 0a',
      'other bytes',
      0,
    );
  }
  return withHdf5(bytes, file, (f) => {
    const fail = (field: string, expected: string, found: string) =>
      new FormatError('NWB', file, field, expected, found);
    const attrs = f.attrs;
    const version = attrs.nwb_version?.json_value;
    const type = attrs.neurodata_type?.json_value;
    if (version === undefined && type !== 'NWBFile') {
      throw fail(
        'root attributes',
        'nwb_version or neurodata_type = NWBFile',
        Object.keys(attrs).join(', ') || 'none',
      );
    }
    const units = f.get('units');
    if (!units || !('keys' in units)) throw fail('/units', 'a units table group', 'none');
    const timesSet = f.get('units/spike_times');
    const indexSet = f.get('units/spike_times_index');
    if (!timesSet || !('shape' in timesSet) || !indexSet || !('shape' in indexSet)) {
      throw fail('/units/spike_times', 'datasets spike_times and spike_times_index', 'missing');
    }
    const times = Float64Array.from(timesSet.value as ArrayLike<number>);
    const ends = Array.from(indexSet.value as ArrayLike<number | bigint>, Number);
    const idSet = f.get('units/id');
    const ids =
      idSet && 'shape' in idSet
        ? Array.from(idSet.value as ArrayLike<number | bigint>, (v) => String(v))
        : ends.map((_, i) => String(i));
    let start = 0;
    const out = ends.map((end, i) => {
      if (!Number.isInteger(end) || end < start || end > times.length) {
        throw fail(
          '/units/spike_times_index',
          `non-decreasing offsets up to ${times.length}`,
          `${end} after ${start}`,
        );
      }
      const unit = { id: ids[i] ?? String(i), times: times.slice(start, end) };
      start = end;
      return unit;
    });
    if (start !== times.length)
      throw fail('/units/spike_times_index', `a last offset of ${times.length}`, String(start));
    return {
      format: 'nwb',
      units: out,
      details: { nwbVersion: String(version ?? ''), groups: f.keys() },
    };
  });
}

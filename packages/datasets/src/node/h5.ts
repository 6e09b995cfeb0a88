import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '@neurite/kernel/node';
import { checkCollection, type H5Lib, withHdf5File } from '../hdf5/h5.js';
import { readShdFrom, SHD, type SpikeTrainSet, writeShd } from '../hdf5/shd.js';

let hostLib: Promise<H5Lib> | undefined;

/** h5wasm's Node build, which opens host files directly (no copy into memory), loaded once. */
export function hostH5(): Promise<H5Lib> {
  hostLib ??= import('h5wasm/node').then(async (m) => {
    const lib = m.default;
    return { File: lib.File, Dataset: lib.Dataset, Group: lib.Group, module: await lib.ready };
  });
  return hostLib;
}

/** Reads an SHD/SSC-layout HDF5 file (a real download or one `writeShdFile` wrote). */
export async function readShdFile(path: string): Promise<SpikeTrainSet> {
  const lib = await hostH5();
  const full = resolve(path);
  checkGlobalHeapsInFile(full, path);
  return withHdf5File(lib, full, path, SHD, (file) => readShdFrom(lib, file, path));
}

/** `checkGlobalHeaps` over a file on disk, scanned in chunks (real SSC files run to gigabytes). */
export function checkGlobalHeapsInFile(path: string, label: string, format = SHD): void {
  const fd = openSync(path, 'r');
  try {
    const length = fstatSync(fd).size;
    const read = (at: number, n: number) => {
      if (at + n > length) return undefined;
      const buffer = new Uint8Array(n);
      readSync(fd, buffer, 0, n, at);
      return new DataView(buffer.buffer);
    };
    const chunk = new Uint8Array(16 << 20);
    for (let start = 0; start < length; start += chunk.length - 3) {
      const got = readSync(fd, chunk, 0, Math.min(chunk.length, length - start), start);
      const view = chunk.subarray(0, got);
      for (let i = view.indexOf(0x47); i >= 0 && i + 3 < got; i = view.indexOf(0x47, i + 1)) {
        if (view[i + 1] === 0x43 && view[i + 2] === 0x4f && view[i + 3] === 0x4c)
          checkCollection(start + i, length, read, label, format);
      }
      if (start + got >= length) break;
    }
  } finally {
    closeSync(fd);
  }
}

/** Writes a spike-train set as SHD-layout HDF5, atomically (a temporary file renamed into place). */
export async function writeShdFile(path: string, set: SpikeTrainSet): Promise<void> {
  await writeFileAtomic(path, writeShd(set));
}

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormatError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { readShd, type SpikeTrainSet, writeHdf5, writeShd } from '../src/index.js';
import { readShdFile, writeShdFile } from '../src/node.js';

const set: SpikeTrainSet = {
  times: [new Float32Array([0.001, 0.0015, 0.9]), new Float32Array([]), new Float32Array([0.5])],
  units: [new Uint16Array([0, 699, 350]), new Uint16Array([]), new Uint16Array([12])],
  labels: new Uint16Array([3, 19, 0]),
  speakers: new Uint16Array([0, 1, 1]),
  keys: ['english zero', 'english one', 'german neun'],
  metaInfo: {
    gender: ['female', 'male'],
    age: new Uint16Array([29, 41]),
    body_height: new Float64Array([1.68, 1.83]),
  },
};

describe('SHD-layout HDF5', () => {
  it('round-trips through h5wasm bit for bit, element types included', async () => {
    const back = await readShd(writeShd(set));
    expect(back).toEqual(set);
    expect(back.times[0]).toBeInstanceOf(Float32Array);
    expect(back.units[0]).toBeInstanceOf(Uint16Array);
  });
  it('stores spikes/times and spikes/units as variable-length datasets, as SHD does', async () => {
    const { memoryH5, withHdf5Bytes } = await import('../src/index.js');
    await memoryH5();
    const meta = await withHdf5Bytes(writeShd(set), 'set.h5', 'test', (file) => {
      const times = file.get('spikes/times') as unknown as {
        metadata: { type: number; vlen_type?: { type: number; size: number } };
        shape: number[];
      };
      return {
        type: times.metadata.type,
        base: times.metadata.vlen_type,
        shape: times.shape,
        keys: file.keys().sort(),
      };
    });
    expect(meta.type).toBe(9); // H5T_VLEN
    expect(meta.base).toMatchObject({ type: 1, size: 4 }); // float32
    expect(meta.shape).toEqual([3]);
    expect(meta.keys).toEqual(['extra', 'labels', 'spikes']);
  });
  it('reads float16 and float64 spike times (SHD-style files may use either)', async () => {
    const half = writeHdf5({
      spikes: {
        // 0.5 and 1.25 as IEEE half floats
        times: {
          kind: 'vlen',
          type: new Uint16Array(0),
          data: [Uint16Array.of(0x3800, 0x3d00)],
          float16: true,
        },
        units: { kind: 'vlen', type: new Uint16Array(0), data: [Uint16Array.of(1, 2)] },
      },
      labels: { kind: 'array', data: Int32Array.of(7) },
    });
    const read = await readShd(half);
    expect(Array.from(read.times[0]!)).toEqual([0.5, 1.25]);
    expect(read.times[0]).toBeInstanceOf(Float32Array);
    const double = { ...set, times: set.times.map((t) => Float64Array.from(t)) };
    expect((await readShd(writeShd(double))).times).toEqual(double.times);
  });
  it('writes and reads files on disk atomically', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neurite-shd-'));
    const path = join(dir, 'set.h5');
    await writeShdFile(path, set);
    expect(await readShdFile(path)).toEqual(set);
    expect(readFileSync(path).subarray(0, 8)).toEqual(Buffer.from('\x89HDF\r\n\x1a\n', 'latin1'));
  });
  it('refuses a global heap whose free space has size 0 (the HDF5 library, native too, loops forever on it)', async () => {
    const bytes = writeShd(set);
    const g = Buffer.from(bytes).indexOf('GCOL');
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    // Walk to the free-space object (index 0) and zero its size.
    let p = g + 16;
    while (view.getUint16(p, true) !== 0) p += 16 + Math.ceil(Number(view.getBigUint64(p + 8, true)) / 8) * 8;
    view.setBigUint64(p + 8, 0n, true);
    await expect(readShd(bytes, { file: 'loop.h5' })).rejects.toThrow(
      /loop\.h5: shd-hdf5 global heap object size at byte \d+: expected a free-space object of at least 16 bytes, found 0 bytes/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'neurite-shd-loop-'));
    writeFileSync(join(dir, 'loop.h5'), bytes);
    await expect(readShdFile(join(dir, 'loop.h5'))).rejects.toThrow(FormatError);
  });
  it('names what is missing or mismatched', async () => {
    const noUnits = writeHdf5({
      spikes: { times: { kind: 'vlen', type: new Float32Array(0), data: [Float32Array.of(1)] } },
      labels: { kind: 'array', data: Uint16Array.of(1) },
    });
    await expect(readShd(noUnits, { file: 'x.h5' })).rejects.toThrow(
      /x\.h5: shd-hdf5 spikes\/units: expected a dataset, found none/,
    );
    const uneven = writeShd({
      ...set,
      labels: new Uint16Array([1, 2, 3]),
      units: [set.units[0]!, set.units[1]!, Uint16Array.of(1)],
    });
    expect((await readShd(uneven)).labels.length).toBe(3);
    const mismatched = writeHdf5({
      spikes: {
        times: { kind: 'vlen', type: new Float32Array(0), data: [Float32Array.of(1, 2)] },
        units: { kind: 'vlen', type: new Uint16Array(0), data: [Uint16Array.of(1)] },
      },
      labels: { kind: 'array', data: Uint16Array.of(1) },
    });
    await expect(readShd(mismatched)).rejects.toThrow(FormatError);
    await expect(readShd(new Uint8Array(100))).rejects.toThrow(/HDF5 signature/);
    const cut = writeShd(set).subarray(0, 300);
    await expect(readShd(cut)).rejects.toThrow(FormatError);
  });
});

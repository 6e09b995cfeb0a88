import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRuntime, FormatError } from '@neurite/kernel';
import { loadSafetensors, saveSafetensors, writeFileAtomic } from '@neurite/kernel/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const rt = createRuntime({ seed: 5 });
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'neurite-safetensors-'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('writeFileAtomic', () => {
  it('writes bytes and strings, replacing an existing file whole, and leaves no temporary file', async () => {
    const path = join(folder, 'a.txt');
    await writeFileAtomic(path, 'first version, which is longer');
    await writeFileAtomic(path, new Uint8Array([0x68, 0x69]));
    expect(await readFile(path, 'utf8')).toBe('hi');
    await writeFileAtomic(path, 'ünïcödé');
    expect(await readFile(path, 'utf8')).toBe('ünïcödé');
    expect((await readdir(folder)).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('removes its temporary file and keeps the target when the rename fails', async () => {
    const target = join(folder, 'occupied');
    await mkdir(join(target, 'child'), { recursive: true });
    await expect(writeFileAtomic(target, 'data')).rejects.toThrow();
    expect((await readdir(folder)).filter((n) => n.includes('.tmp'))).toEqual([]);
    expect(await readdir(target)).toEqual(['child']);
  });

  it('fails without leaving anything when the folder does not exist', async () => {
    await expect(writeFileAtomic(join(folder, 'missing', 'x.bin'), 'data')).rejects.toThrow(/ENOENT/);
  });

  it('gives concurrent writers of one path each a whole file: the result is one of them', async () => {
    const path = join(folder, 'race.bin');
    const versions = Array.from({ length: 8 }, (_, k) => new Uint8Array(100_000).fill(k + 1));
    await Promise.all(versions.map((v) => writeFileAtomic(path, v)));
    const result = await readFile(path);
    expect(result.length).toBe(100_000);
    expect(result.every((b) => b === result[0])).toBe(true);
    expect((await readdir(folder)).filter((n) => n.includes('.tmp'))).toEqual([]);
  });
});

describe('saveSafetensors / loadSafetensors', () => {
  it('round-trips a state dict with metadata through a file', async () => {
    const path = join(folder, 'model.safetensors');
    const state = new Map([
      ['layer.0.weight', rt.randn([8, 4])],
      ['layer.0.mask', rt.bernoulli(0.5, [8, 4])],
      ['steps', rt.tensor([12], { dtype: 'int32' })],
    ]);
    await saveSafetensors(path, state, { epoch: '3' });
    const { tensors, metadata } = await loadSafetensors(path, rt);
    expect(metadata).toEqual({ epoch: '3' });
    for (const [name, t] of state) {
      expect(tensors.get(name)!.dtype).toBe(t.dtype);
      expect(tensors.get(name)!.dataSync()).toEqual(t.dataSync());
    }
  });

  it('reports a truncated file as a FormatError naming the path, before reading its data', async () => {
    const path = join(folder, 'truncated.safetensors');
    await saveSafetensors(path, new Map([['w', rt.randn([64])]]));
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(path));
    await truncate(path, size - 10);
    const error = await loadSafetensors(path, rt).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).file).toBe(path);
    expect((error as FormatError).field).toBe('w.data_offsets');
  });

  it('refuses a header length larger than the file without allocating it', async () => {
    const path = join(folder, 'huge-header.safetensors');
    const bytes = new Uint8Array(16);
    new DataView(bytes.buffer).setBigUint64(0, 90_000_000n, true);
    await writeFile(path, bytes);
    const error = (await loadSafetensors(path, rt).catch((e: unknown) => e)) as FormatError;
    expect(error).toBeInstanceOf(FormatError);
    expect([error.field, error.offset]).toEqual(['header length', 0]);
    expect(error.message).toMatch(/at most 8 .*found 90000000/);
  });

  it('reports an empty file', async () => {
    const path = join(folder, 'empty.safetensors');
    await writeFile(path, new Uint8Array(0));
    await expect(loadSafetensors(path, rt)).rejects.toBeInstanceOf(FormatError);
  });
});

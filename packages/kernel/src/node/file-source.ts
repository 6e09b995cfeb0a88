import { statSync } from 'node:fs';
import { open, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { FileSource } from '../plugin/kinds.js';

/** A file on disk as format readers see it (`FormatDef.inspect`, multi-file formats via `sibling`). */
export function fileSource(path: string): FileSource {
  let size: number | undefined;
  return {
    path,
    name: basename(path),
    get size() {
      size ??= statSync(path).size;
      return size;
    },
    bytes: async () => new Uint8Array(await readFile(path)),
    async head(length: number) {
      const handle = await open(path, 'r');
      try {
        const { size: total } = await stat(path);
        const buffer = new Uint8Array(Math.min(length, total));
        await handle.read(buffer, 0, buffer.length, 0);
        return buffer;
      } finally {
        await handle.close();
      }
    },
    sibling: (name) => fileSource(join(dirname(path), name)),
  };
}

import type { FileSource } from '@neurite/kernel';

/**
 * A `FileSource` over a file on disk. Node's fs is imported on first use, so this module stays
 * loadable in a browser bundle (where commands never run).
 */
export async function nodeFileSource(path: string, cwd = '.'): Promise<FileSource> {
  const fs = await import('node:fs');
  const nodePath = await import('node:path');
  const make = (p: string): FileSource => {
    const size = fs.existsSync(p) ? fs.statSync(p).size : 0;
    return {
      path: p,
      name: nodePath.basename(p),
      size,
      bytes: async () => new Uint8Array(await fs.promises.readFile(p)),
      head: async (length) => {
        const handle = await fs.promises.open(p, 'r');
        try {
          const buffer = new Uint8Array(Math.max(0, Math.min(length, size)));
          const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
          return buffer.subarray(0, bytesRead);
        } finally {
          await handle.close();
        }
      },
      sibling: (name) => make(nodePath.join(nodePath.dirname(p), name)),
    };
  };
  const full = nodePath.resolve(cwd, path);
  await fs.promises.access(full);
  return make(full);
}

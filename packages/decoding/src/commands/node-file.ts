import type { FileSource } from '@neurite/kernel';

/**
 * A `FileSource` over a file on disk, checked to exist. The kernel's Node entry is imported on first
 * use, so this module stays loadable in a browser bundle (where commands never run).
 */
export async function nodeFileSource(path: string, cwd = '.'): Promise<FileSource> {
  const [{ fileSource }, { resolve }, { access }] = await Promise.all([
    import('@neurite/kernel/node'),
    import('node:path'),
    import('node:fs/promises'),
  ]);
  const full = resolve(cwd, path);
  await access(full);
  return fileSource(full);
}

import { randomBytes } from 'node:crypto';
import { type FileHandle, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes a file so that readers see either the old content or the whole new content, never a torn
 * file: the bytes go to a temporary file in the same folder (so the rename stays on one file system),
 * which is flushed to disk and then renamed over the target. The folder is flushed too where the
 * platform allows, so the rename survives a power cut. On any failure the temporary file is removed
 * and the target is left as it was. Strings are written as UTF-8.
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  const folder = dirname(path);
  const temporary = join(folder, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let handle: FileHandle | undefined;
  try {
    // 'wx': fail rather than follow or reuse anything already at the temporary name.
    handle = await open(temporary, 'wx', 0o666);
    await handle.writeFile(data);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await rename(temporary, path);
  } catch (error) {
    await handle?.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder);
}

/** Flushes a folder's entries (the rename) to disk; platforms that cannot open folders skip it. */
async function syncFolder(folder: string): Promise<void> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Windows cannot open a directory, and some file systems refuse fsync on one: the rename is done.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}

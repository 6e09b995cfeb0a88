import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * The shared recordings (../shared/data beside the repository, as tests read them), or the folder
 * NEURITE_SHARED_DATA names. Same depth under src/ and dist/, so the relative path holds for both.
 */
export function sharedData(file: string): string {
  const root =
    process.env.NEURITE_SHARED_DATA ?? fileURLToPath(new URL('../../../shared/data/', import.meta.url));
  return `${root.replace(/\/?$/, '/')}${file}`;
}

export async function readShared(file: string): Promise<Uint8Array> {
  const path = sharedData(file);
  try {
    return new Uint8Array(await readFile(path));
  } catch (cause) {
    throw new Error(`benchmark data ${path} not found (set NEURITE_SHARED_DATA to the shared data folder)`, {
      cause,
    });
  }
}

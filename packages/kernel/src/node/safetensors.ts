import { type FileHandle, open } from 'node:fs/promises';
import { FormatError } from '../errors.js';
import {
  type DecodeOptions,
  decodeSafetensorsData,
  type SafetensorsContents,
} from '../io/safetensors/decode.js';
import { encodeSafetensors, type NamedTensors } from '../io/safetensors/encode.js';
import { LENGTH_BYTES, parseHeader, readHeaderLength } from '../io/safetensors/header.js';
import type { Runtime } from '../runtime.js';
import { writeFileAtomic } from './atomic-write.js';

/**
 * Saves tensors (a module's `stateDict()`, or any named tensors) as a safetensors file, atomically:
 * a crash mid-save leaves the previous file intact. `metadata` is stored in the header's `__metadata__`.
 */
export async function saveSafetensors(
  path: string,
  tensors: NamedTensors,
  metadata?: Readonly<Record<string, string>>,
): Promise<void> {
  await writeFileAtomic(path, await encodeSafetensors(tensors, metadata));
}

/**
 * Loads a safetensors file. The header is read and validated first, and only then the data, so a
 * corrupt or truncated file is a FormatError (naming the file, byte offset and field) before anything
 * sized by the file's own numbers is allocated.
 */
export async function loadSafetensors(
  path: string,
  runtime: Runtime,
  options: Omit<DecodeOptions, 'file'> = {},
): Promise<SafetensorsContents> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const read = (position: number, length: number, field: string) =>
      readAt(handle, position, length, path, field);
    const length = readHeaderLength(await read(0, Math.min(LENGTH_BYTES, size), 'header length'), size, path);
    const header = parseHeader(await read(LENGTH_BYTES, length, 'header'), size, path);
    const data = await read(header.dataOffset, header.dataLength, 'data');
    return decodeSafetensorsData(header, data, runtime, { ...options, file: path });
  } finally {
    await handle.close();
  }
}

/**
 * Exactly `length` bytes from `position` (a read may return fewer bytes than asked for). A file that
 * shrinks while it is read is a truncated file.
 */
async function readAt(
  handle: FileHandle,
  position: number,
  length: number,
  path: string,
  field: string,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(out, filled, length - filled, position + filled);
    if (bytesRead === 0) {
      throw new FormatError(
        'safetensors',
        path,
        field,
        `${length} bytes`,
        `the file ends after ${filled}`,
        position + filled,
      );
    }
    filled += bytesRead;
  }
  return out;
}

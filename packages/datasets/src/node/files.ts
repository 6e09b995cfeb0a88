import { open, readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { FormatError } from '@neurite/kernel';
import type { EventStream } from '../events/types.js';
import { EVENT_READERS } from '../formats/registry.js';

/** Bytes detection looks at, as for `neurite inspect`. */
const HEAD_BYTES = 4096;

async function head(path: string): Promise<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = new Uint8Array(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Reads an event file of any supported format, recognised by its content (and name, for formats
 * without a magic number). `format` skips detection.
 */
export async function readEventFile(
  path: string,
  options: { format?: string } = {},
): Promise<EventStream & { format: string }> {
  const name = basename(path);
  const first = options.format ? undefined : await head(path);
  const reader = options.format
    ? EVENT_READERS.find((r) => r.name === options.format)
    : EVENT_READERS.find((r) => r.detect(first!, name));
  if (!reader) {
    throw new FormatError(
      'event file',
      path,
      'format',
      options.format ? `one of ${EVENT_READERS.map((r) => r.name).join(', ')}` : 'a recognised event format',
      options.format ?? 'unrecognised content',
    );
  }
  const events = reader.read(new Uint8Array(await readFile(path)), { file: path });
  return { ...events, format: reader.name };
}

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { FileSource } from '@neurite/kernel';
import { nodeFileSource } from '../src/commands/node-file.js';

/** The shared recordings, read in place (never copied into the repository). */
export const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

export function dataPath(relative: string): string {
  return DATA + relative;
}

export function dataBytes(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(dataPath(relative)));
}

export function dataSource(relative: string): Promise<FileSource> {
  return nodeFileSource(dataPath(relative));
}

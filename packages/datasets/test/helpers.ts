import { readFileSync, statSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FileSource } from '@neurite/kernel';

/** The shared recordings (../shared/data from the repository root). */
export const DATA = fileURLToPath(new URL('../../../../shared/data/', import.meta.url));

export function dataPath(relative: string): string {
  return join(DATA, relative);
}

export function readData(relative: string): Uint8Array {
  return new Uint8Array(readFileSync(dataPath(relative)));
}

/** A file on disk as `neurite inspect` hands it to a format (the CLI has its own; tests need one too). */
export function fileSource(path: string): FileSource {
  return {
    path,
    name: basename(path),
    size: statSync(path).size,
    bytes: async () => new Uint8Array(await readFile(path)),
    async head(length: number) {
      const handle = await open(path, 'r');
      try {
        const buffer = new Uint8Array(length);
        const { bytesRead } = await handle.read(buffer, 0, length, 0);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
    sibling: (name) => fileSource(join(dirname(path), name)),
  };
}

/** Little helpers to write binary files byte by byte in tests. */
export class Bytes {
  readonly parts: number[] = [];
  ascii(s: string): this {
    for (const c of s) this.parts.push(c.charCodeAt(0));
    return this;
  }
  u8(...v: number[]): this {
    this.parts.push(...v.map((x) => x & 0xff));
    return this;
  }
  u16(v: number, littleEndian = true): this {
    const b = [v & 0xff, (v >>> 8) & 0xff];
    this.parts.push(...(littleEndian ? b : b.reverse()));
    return this;
  }
  u32(v: number, littleEndian = true): this {
    const b = [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff];
    this.parts.push(...(littleEndian ? b : b.reverse()));
    return this;
  }
  i64(v: number, littleEndian = true): this {
    const lo = v >>> 0;
    const hi = Math.floor(v / 2 ** 32) >>> 0;
    return littleEndian ? this.u32(lo).u32(hi) : this.u32(hi, false).u32(lo, false);
  }
  f32(v: number): this {
    const b = new Uint8Array(new Float32Array([v]).buffer);
    this.parts.push(...b);
    return this;
  }
  f64(v: number): this {
    const b = new Uint8Array(new Float64Array([v]).buffer);
    this.parts.push(...b);
    return this;
  }
  bytes(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.parts.push(b[i]!);
    return this;
  }
  get length(): number {
    return this.parts.length;
  }
  done(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

type Typed = ArrayBufferView & { readonly length: number };

/** Whether two typed arrays have the same type and the same bytes (fast where toEqual walks elements). */
export function sameBytes(a: Typed, b: Typed): boolean {
  if (a.constructor !== b.constructor || a.byteLength !== b.byteLength) return false;
  return (
    Buffer.compare(
      Buffer.from(a.buffer, a.byteOffset, a.byteLength),
      Buffer.from(b.buffer, b.byteOffset, b.byteLength),
    ) === 0
  );
}

/** Whether two spike-train sets are identical bit for bit (spike lists, labels, speakers, keys, meta info). */
export function sameSpikeTrainSet(
  a: {
    times: readonly Typed[];
    units: readonly Typed[];
    labels: Typed;
    speakers?: Typed;
    keys?: readonly string[];
    metaInfo?: Readonly<Record<string, unknown>>;
  },
  b: typeof a,
): boolean {
  const lists = (x: readonly Typed[], y: readonly Typed[]) =>
    x.length === y.length && x.every((v, i) => sameBytes(v, y[i]!));
  return (
    lists(a.times, b.times) &&
    lists(a.units, b.units) &&
    sameBytes(a.labels, b.labels) &&
    (a.speakers === undefined
      ? b.speakers === undefined
      : b.speakers !== undefined && sameBytes(a.speakers, b.speakers)) &&
    JSON.stringify(a.keys) === JSON.stringify(b.keys) &&
    JSON.stringify(a.metaInfo) === JSON.stringify(b.metaInfo)
  );
}

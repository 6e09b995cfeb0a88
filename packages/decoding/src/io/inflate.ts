import { FormatError } from '@neurite/kernel';
import { Unzlib } from 'fflate';

/** Default cap on decompressed bytes: no real element of these recordings comes near it. */
export const DEFAULT_MAX_INFLATED = 1 << 30;

/**
 * Inflates a zlib stream in small input pieces, stopping with a `FormatError` as soon as the output
 * passes `maxBytes`, so a decompression bomb fails fast instead of exhausting memory.
 */
export function inflateCapped(
  data: Uint8Array,
  where: { format: string; file: string; field: string; offset: number },
  maxBytes = DEFAULT_MAX_INFLATED,
): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let failure: FormatError | null = null;
  const stream = new Unzlib((chunk) => {
    total += chunk.length;
    if (total > maxBytes) {
      failure ??= new FormatError(
        where.format,
        where.file,
        where.field,
        `at most ${maxBytes} bytes once inflated`,
        `more than ${maxBytes}`,
        where.offset,
      );
      return;
    }
    parts.push(chunk);
  });
  const piece = 16384;
  try {
    for (let i = 0; i < data.length && !failure; i += piece) {
      stream.push(data.subarray(i, Math.min(data.length, i + piece)), i + piece >= data.length);
    }
    if (data.length === 0) stream.push(new Uint8Array(0), true);
  } catch (cause) {
    throw new FormatError(
      where.format,
      where.file,
      where.field,
      'a valid zlib stream',
      (cause as Error).message || 'corrupt data',
      where.offset,
    );
  }
  if (failure) throw failure;
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

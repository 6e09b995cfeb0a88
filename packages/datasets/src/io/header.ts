import { type ByteReader, latin1 } from './bytes.js';

export interface HeaderLines {
  /** The lines without their marker and line ending. */
  readonly lines: string[];
  /** Byte offset of the first byte after the header. */
  readonly end: number;
}

/**
 * Reads text header lines that each begin with `marker` (`#` in AEDAT, `%` in Prophesee files) and end
 * with `\n`. Stops at the first line that does not begin with the marker, or after a line equal to
 * `endLine`. A header longer than `maxBytes` or a line cut off by the end of the file is a `FormatError`.
 */
export function readHeaderLines(
  r: ByteReader,
  marker: string,
  options: { endLine?: string; maxBytes?: number; start?: number } = {},
): HeaderLines {
  const code = marker.charCodeAt(0);
  const maxBytes = options.maxBytes ?? 16 << 20;
  const lines: string[] = [];
  let pos = options.start ?? 0;
  const bytes = r.bytes;
  while (pos < bytes.length && bytes[pos] === code) {
    let nl = pos;
    const limit = Math.min(bytes.length, (options.start ?? 0) + maxBytes);
    while (nl < limit && bytes[nl] !== 0x0a) nl++;
    if (nl >= limit) {
      if (limit < bytes.length)
        r.fail('header', `a header shorter than ${maxBytes} bytes`, 'a longer header', pos);
      r.fail('header line', 'a line ending in \\n', 'the end of the file', pos);
    }
    let text = latin1(bytes.subarray(pos + 1, nl));
    if (text.endsWith('\r')) text = text.slice(0, -1);
    lines.push(text);
    pos = nl + 1;
    if (options.endLine !== undefined && marker + text === options.endLine) break;
  }
  return { lines, end: pos };
}

/** The value of a `key value` or `key: value` header line, matched case-insensitively. */
export function headerValue(lines: readonly string[], key: string): string | undefined {
  const k = key.toLowerCase();
  for (const line of lines) {
    const trimmed = line.trim();
    const lower = trimmed.toLowerCase();
    if (lower.startsWith(k) && (lower.length === k.length || /[\s:=]/.test(lower[k.length]!))) {
      return trimmed
        .slice(k.length)
        .replace(/^[\s:=]+/, '')
        .trim();
    }
  }
  return undefined;
}

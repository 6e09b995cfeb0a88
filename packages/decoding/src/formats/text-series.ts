import { FormatError } from '@neurite/kernel';

/**
 * Plain-text series: `#` comment lines, then one row of whitespace-separated numbers per line — spike
 * times (one column) or a sampled signal (time and value columns), as in nitime's grasshopper recordings.
 */
export function readTextColumns(text: string, file = 'input.txt', expectColumns?: number): Float64Array[] {
  const lines = text.split(/\r?\n/);
  let columns = expectColumns ?? 0;
  const rows: number[][] = [];
  lines.forEach((line, i) => {
    const t = line.trim();
    if (!t || t.startsWith('#')) return;
    const parts = t.split(/\s+/).map(Number);
    if (columns === 0) columns = parts.length;
    if (parts.length !== columns || parts.some((v) => !Number.isFinite(v))) {
      throw new FormatError(
        'text',
        file,
        `line ${i + 1}`,
        `${columns} number${columns > 1 ? 's' : ''}`,
        JSON.stringify(t.slice(0, 40)),
      );
    }
    rows.push(parts);
  });
  return Array.from({ length: columns }, (_, c) => Float64Array.from(rows, (row) => row[c]!));
}

/** Whether text looks like a one-column spike-time list: comment lines, then numbers one per line. */
export function isSpikeTimeText(head: Uint8Array): boolean {
  const text = new TextDecoder('utf-8', { fatal: false }).decode(head);
  const lines = text
    .split(/\r?\n/)
    .slice(0, -1)
    .map((l) => l.trim())
    .filter((l) => l);
  const data = lines.filter((l) => !l.startsWith('#'));
  return (
    lines[0]?.startsWith('#') === true &&
    data.length >= 3 &&
    data.every((l) => /^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(l))
  );
}

/** Spike times in microseconds, one per line → seconds. */
export function readSpikeTimesMicroseconds(text: string, file = 'spikes.txt'): Float64Array {
  const [times] = readTextColumns(text, file, 1);
  return times!.map((t) => t * 1e-6);
}

import { FormatError } from '@neurite/kernel';

/**
 * Small, strict CSV of numbers: comma-separated, one row per line, every row with the same number of
 * columns, every field a finite decimal number. One header line is allowed when none of its fields is
 * a number. Errors name the row and column (1-based) and what was found.
 */
export interface NumericCsv {
  readonly header: readonly string[] | null;
  readonly rows: number;
  readonly columns: number;
  /** Row-major values. */
  readonly values: Float64Array;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseCsv(text: string, file: string): NumericCsv {
  const lines = text.split(/\r?\n/);
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length === 0)
    throw new FormatError('csv', file, 'rows', 'at least one row of numbers', 'an empty file', 0);
  let header: string[] | null = null;
  let first = 0;
  const firstFields = lines[0]!.split(',').map((f) => f.trim());
  if (firstFields.every((f) => !NUMBER.test(f))) {
    header = firstFields;
    first = 1;
  }
  const columns = header?.length ?? firstFields.length;
  const rows = lines.length - first;
  if (rows === 0)
    throw new FormatError('csv', file, 'rows', 'at least one row of numbers after the header', 'none');
  const values = new Float64Array(rows * columns);
  for (let r = 0; r < rows; r++) {
    const fields = lines[first + r]!.split(',');
    const row = first + r + 1;
    if (fields.length !== columns)
      throw new FormatError('csv', file, `row ${row}`, `${columns} columns`, `${fields.length}`);
    for (let c = 0; c < columns; c++) {
      const f = fields[c]!.trim();
      if (!NUMBER.test(f))
        throw new FormatError(
          'csv',
          file,
          `row ${row}, column ${c + 1}`,
          'a number',
          f === '' ? 'an empty field' : `'${f.slice(0, 40)}'`,
        );
      values[r * columns + c] = Number(f);
    }
  }
  return { header, rows, columns, values };
}

/** CSV text with a header line; numbers printed exactly (shortest round-trip form). */
export function formatCsv(
  header: readonly string[],
  rows: number,
  column: (row: number, col: number) => number,
): string {
  const out: string[] = [header.join(',')];
  for (let r = 0; r < rows; r++) {
    const fields: string[] = [];
    for (let c = 0; c < header.length; c++) fields.push(String(column(r, c)));
    out.push(fields.join(','));
  }
  return `${out.join('\n')}\n`;
}

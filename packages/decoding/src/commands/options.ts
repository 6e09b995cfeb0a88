import { ValidationError } from '@neurite/kernel';

/** Reads command options defensively: the CLI passes typed values, tests may pass strings. */
export function numberOption(
  options: Readonly<Record<string, unknown>>,
  name: string,
  fallback: number,
  check: (v: number) => boolean = Number.isFinite,
): number {
  const raw = options[name];
  if (raw === undefined || raw === null || raw === '') return fallback;
  const value = typeof raw === 'number' ? raw : Number(raw);
  if (!Number.isFinite(value) || !check(value))
    throw new ValidationError(`--${name}`, [{ path: name, message: `invalid value ${JSON.stringify(raw)}` }]);
  return value;
}

export function stringOption(options: Readonly<Record<string, unknown>>, name: string): string | undefined {
  const raw = options[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  if (Array.isArray(raw)) return raw.join(',');
  return String(raw);
}

export function listOption(options: Readonly<Record<string, unknown>>, name: string): string[] | undefined {
  const raw = options[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const items = Array.isArray(raw) ? raw.map(String) : String(raw).split(',');
  return items.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** `FROM:TO` or `FROM:TO:STEP` into numbers. */
export function rangeOption(
  options: Readonly<Record<string, unknown>>,
  name: string,
  parts: 2 | 3,
): number[] | undefined {
  const raw = stringOption(options, name);
  if (raw === undefined) return undefined;
  const values = raw.split(':').map(Number);
  if (values.length !== parts || values.some((v) => !Number.isFinite(v))) {
    throw new ValidationError(`--${name}`, [
      {
        path: name,
        message: `expected ${parts === 3 ? 'FROM:TO:STEP' : 'FROM:TO'}, found ${JSON.stringify(raw)}`,
      },
    ]);
  }
  return values;
}

export function requireArg(args: readonly string[], index: number, name: string): string {
  const value = args[index];
  if (!value) throw new ValidationError('arguments', [{ path: name, message: `missing <${name}>` }]);
  return value;
}

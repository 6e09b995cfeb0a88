import { existsSync, readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { applyOverrides, type Runtime, ValidationError } from '@neurite/kernel';

export interface LoadedConfig {
  /** The config as written (a file's JSON or a preset's object), overrides applied, not yet validated. */
  readonly raw: Record<string, unknown>;
  /** A short name for the run: the preset's name or the file's base name. */
  readonly name: string;
  /** Folder relative paths in the config resolve against. */
  readonly baseDir: string;
}

/** A config from a JSON file or a registered preset, with `--set`, `--epochs` and `--seed` applied. */
export function loadConfig(
  rt: Runtime,
  ref: string,
  cwd: string,
  overrides: { set?: readonly string[]; epochs?: number; seed?: number },
): LoadedConfig {
  const path = resolve(cwd, ref);
  let raw: unknown;
  let name: string;
  let baseDir = cwd;
  if (ref.endsWith('.json') || existsSync(path)) {
    try {
      raw = JSON.parse(readFileSync(path, 'utf8'));
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code) throw cause;
      throw new ValidationError(path, [{ path: '', message: `not valid JSON: ${(cause as Error).message}` }]);
    }
    name = basename(path).replace(/\.json$/, '');
    baseDir = resolve(path, '..');
  } else {
    raw = structuredClone(rt.registry('preset').require(ref).config);
    name = ref;
  }
  const sets = [...(overrides.set ?? [])];
  if (overrides.epochs !== undefined) sets.push(`train.epochs=${overrides.epochs}`);
  if (overrides.seed !== undefined) sets.push(`seed=${overrides.seed}`);
  const applied = applyOverrides(raw, sets);
  if (typeof applied !== 'object' || applied === null || Array.isArray(applied)) {
    throw new ValidationError(name, [{ path: '', message: 'a config must be a JSON object' }]);
  }
  return { raw: applied as Record<string, unknown>, name, baseDir };
}

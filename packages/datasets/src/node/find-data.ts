import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

/**
 * Resolves a data folder option. A given path resolves against `baseDir` (or the working folder). The
 * default — `../shared/data/<relative>` — is searched for upwards from `baseDir` and the working folder,
 * so it is found from the repository root, a package folder, or an example's folder alike.
 */
export function resolveDataDir(
  option: string | undefined,
  defaultRelative: string,
  baseDir?: string,
): string {
  const base = baseDir ?? process.cwd();
  if (option !== undefined) return isAbsolute(option) ? option : resolve(base, option);
  for (const start of [base, process.cwd()]) {
    let at = resolve(start);
    for (;;) {
      const candidate = join(at, '..', 'shared', 'data', defaultRelative);
      if (existsSync(candidate)) return resolve(candidate);
      const parent = dirname(at);
      if (parent === at) break;
      at = parent;
    }
  }
  return resolve(base, '..', 'shared', 'data', defaultRelative);
}

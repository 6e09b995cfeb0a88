import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** What the generator needs to know about the pnpm workspace a new plugin joins. */
export interface Workspace {
  readonly root: string;
  /** Package globs of pnpm-workspace.yaml (`packages/*`, `examples/*`, …). */
  readonly globs: readonly string[];
  /** Whether the workspace catalog pins arktype (then dependencies say `catalog:`). */
  readonly catalogArktype: boolean;
  /** The kernel's folder when it is a package of this workspace (the neurite monorepo); else null. */
  readonly kernelDir: string | null;
  readonly hasBaseTsconfig: boolean;
  readonly hasSharedVitest: boolean;
  readonly hasChangesets: boolean;
}

/** The nearest folder at or above `start` that holds pnpm-workspace.yaml. */
export function findWorkspaceRoot(start: string): string | null {
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pnpm-workspace.yaml'))) return dir;
    if (dirname(dir) === dir) return null;
  }
}

/**
 * Reads the list under a top-level YAML key (`packages:` items, `catalog:` keys) — the two shapes
 * pnpm-workspace.yaml uses, not YAML in general.
 */
function yamlBlock(text: string, key: string): string[] {
  const lines = text.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === `${key}:`);
  if (start < 0) return [];
  const out: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line)) break;
    const item = line.trim();
    if (item && !item.startsWith('#')) out.push(item);
  }
  return out;
}

const unquote = (s: string) => s.replace(/^['"]|['"]$/g, '');

export function readWorkspace(root: string): Workspace {
  const text = readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8');
  const globs = yamlBlock(text, 'packages')
    .filter((l) => l.startsWith('- '))
    .map((l) => unquote(l.slice(2).trim()));
  const catalogArktype = yamlBlock(text, 'catalog').some(
    (l) => unquote(l.split(':')[0]!.trim()) === 'arktype',
  );
  return {
    root,
    globs,
    catalogArktype,
    kernelDir: findPackage(root, globs, '@neurite/kernel'),
    hasBaseTsconfig: existsSync(join(root, 'tsconfig.base.json')),
    hasSharedVitest: existsSync(join(root, 'vitest.shared.ts')),
    hasChangesets: existsSync(join(root, '.changeset', 'config.json')),
  };
}

/** The folder of the workspace package named `name`, for globs of the forms `dir/*` and `dir`. */
function findPackage(root: string, globs: readonly string[], name: string): string | null {
  for (const glob of globs) {
    const dirs = glob.endsWith('/*')
      ? safeList(join(root, glob.slice(0, -2))).map((d) => join(root, glob.slice(0, -2), d))
      : [join(root, glob)];
    for (const dir of dirs) {
      try {
        if (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).name === name) return dir;
      } catch {
        // not a package
      }
    }
  }
  return null;
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

/** Whether a package folder (relative to the root, `/`-separated) is matched by the workspace globs. */
export function coveredByGlobs(globs: readonly string[], folder: string): boolean {
  return globs.some((g) => g === folder || (g.endsWith('/*') && dirname(folder) === g.slice(0, -2)));
}

/** A path relative to `from`, `/`-separated, as package.json and tsconfig files write them. */
export function posixRelative(from: string, to: string): string {
  return relative(from, to).split(sep).join('/') || '.';
}

export interface InstalledPackage {
  readonly version: string;
  readonly dependencies?: Record<string, string>;
}

/** The package.json of a package installed beside the CLI (for plugins generated outside the monorepo). */
export function installedPackage(name: string): InstalledPackage {
  const require = createRequire(import.meta.url);
  return JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')) as InstalledPackage;
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { arkIssues, type PluginFactory, type Runtime, ValidationError } from '@neurite/kernel';
import { type } from 'arktype';

/** One plugin the CLI found, and whether it loaded. */
export interface PluginLoad {
  readonly name: string;
  readonly version: string | undefined;
  /** Where it came from: a package installed beside the CLI, or the config file. */
  readonly source: 'installed' | 'config';
  readonly location: string;
  readonly error?: string;
}

const configSchema = type({
  'plugins?': type('string').or({ module: 'string', 'options?': 'object' }).array(),
  'backend?': 'string',
});
export type NeuriteConfig = typeof configSchema.infer;

/** Reads and validates neurite.config.json; errors name the file and the JSON path. */
export function readConfig(path: string): NeuriteConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    throw new ValidationError(path, [{ path: '', message: `not valid JSON: ${(cause as Error).message}` }]);
  }
  const checked = configSchema(raw);
  if (checked instanceof type.errors) throw new ValidationError(path, arkIssues(checked, ''));
  return checked;
}

/** node_modules folders from `start` up to the file-system root. */
function nodeModulesAbove(start: string): string[] {
  const out: string[] = [];
  for (let dir = resolve(start); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules');
    if (existsSync(candidate)) out.push(candidate);
    if (dirname(dir) === dir) return out;
  }
}

interface PackageJson {
  name?: string;
  version?: string;
  main?: string;
  exports?: unknown;
  neurite?: { plugin?: boolean };
}

function readPackage(dir: string): PackageJson | null {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
  } catch {
    return null;
  }
}

/** The ESM entry of a package: exports["."] (import/default conditions), else main, else index.js. */
function entryOf(dir: string, pkg: PackageJson): string {
  let target: unknown = pkg.exports;
  if (target && typeof target === 'object' && '.' in (target as object))
    target = (target as Record<string, unknown>)['.'];
  while (target && typeof target === 'object') {
    const t = target as Record<string, unknown>;
    target = t.import ?? t.default ?? t.node;
  }
  return join(dir, typeof target === 'string' ? target : (pkg.main ?? 'index.js'));
}

/** Packages that declare `"neurite": { "plugin": true }`, nearest installation first. */
export function findInstalledPlugins(
  searchFrom: readonly string[],
): { name: string; version?: string; dir: string }[] {
  const found = new Map<string, { name: string; version?: string; dir: string }>();
  for (const start of searchFrom) {
    for (const nm of nodeModulesAbove(start)) {
      let entries: string[];
      try {
        entries = readdirSync(nm);
      } catch {
        continue;
      }
      const dirs = entries.flatMap((e) => {
        if (e.startsWith('.')) return [];
        if (!e.startsWith('@')) return [join(nm, e)];
        try {
          return readdirSync(join(nm, e)).map((s) => join(nm, e, s));
        } catch {
          return [];
        }
      });
      for (const dir of dirs) {
        const pkg = readPackage(dir);
        if (!pkg?.name || pkg.neurite?.plugin !== true || found.has(pkg.name)) continue;
        found.set(pkg.name, { name: pkg.name, ...(pkg.version ? { version: pkg.version } : {}), dir });
      }
    }
  }
  return [...found.values()];
}

function isFactory(value: unknown): value is PluginFactory {
  return typeof value === 'function' && typeof (value as Partial<PluginFactory>).manifest === 'object';
}

async function importFactory(entry: string): Promise<PluginFactory> {
  const mod = (await import(pathToFileURL(entry).href)) as Record<string, unknown>;
  const candidate = mod.default ?? mod.plugin;
  if (!isFactory(candidate)) {
    throw new Error(`its default export is not a plugin (expected the result of definePlugin)`);
  }
  return candidate;
}

/**
 * Installs every neurite plugin found beside the CLI and in the config. A plugin that fails to load
 * is reported with its reason; the others still load.
 */
export async function loadPlugins(
  rt: Runtime,
  options: { cwd: string; cliDir: string; config: NeuriteConfig | null; configDir: string },
): Promise<PluginLoad[]> {
  const loads: PluginLoad[] = [];
  const attempt = async (
    name: string,
    version: string | undefined,
    source: PluginLoad['source'],
    location: string,
    entry: string,
    pluginOptions?: unknown,
  ) => {
    try {
      const factory = await importFactory(entry);
      if (rt.hasPlugin(factory.manifest.name)) return;
      rt.use(factory(pluginOptions as never));
      loads.push({ name: factory.manifest.name, version: factory.manifest.version, source, location });
    } catch (cause) {
      loads.push({ name, version, source, location, error: (cause as Error)?.message ?? String(cause) });
    }
  };
  for (const p of findInstalledPlugins([options.cwd, options.cliDir])) {
    const pkg = readPackage(p.dir)!;
    await attempt(p.name, p.version, 'installed', p.dir, entryOf(p.dir, pkg));
  }
  for (const item of options.config?.plugins ?? []) {
    const spec = typeof item === 'string' ? { module: item } : item;
    const ref = spec.module;
    const local = ref.startsWith('.') || isAbsolute(ref);
    let entry: string;
    let version: string | undefined;
    if (local) entry = resolve(options.configDir, ref);
    else {
      const dir = nodeModulesAbove(options.configDir)
        .map((nm) => join(nm, ref))
        .find((d) => existsSync(d));
      if (!dir) {
        loads.push({
          name: ref,
          version: undefined,
          source: 'config',
          location: ref,
          error: 'package not found in node_modules',
        });
        continue;
      }
      const pkg = readPackage(dir);
      version = pkg?.version;
      entry = pkg ? entryOf(dir, pkg) : join(dir, 'index.js');
    }
    await attempt(ref, version, 'config', entry, entry, spec.options);
  }
  return loads;
}

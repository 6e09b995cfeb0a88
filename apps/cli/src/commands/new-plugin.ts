import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { CommandDef } from '@neurite/kernel';
import { UsageError } from '../errors.js';
import { type PluginNames, pluginSources } from '../templates/plugin-sources.js';
import {
  coveredByGlobs,
  findWorkspaceRoot,
  type InstalledPackage,
  installedPackage,
  posixRelative,
  readWorkspace,
  type Workspace,
} from '../templates/workspace.js';

/** npm's rule for package names: lower case, URL-safe, optionally scoped. */
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9-._~]*\/)?[a-z0-9][a-z0-9-._~]*$/;

export const newPluginCommand: CommandDef = {
  name: 'new-plugin',
  summary: 'generate a plugin package: a node type, the conformance test, tsconfig wiring and a changeset',
  args: [
    {
      name: 'name',
      description: 'the package name, e.g. @acme/neuron-izh (the folder is the name without its scope)',
      required: true,
    },
  ],
  options: [
    {
      name: 'dir',
      type: 'string',
      default: 'packages',
      description: 'folder of the new package, relative to the working folder',
    },
    { name: 'description', type: 'string', description: 'the plugin’s one-line description' },
  ],
  examples: ['neurite new-plugin @acme/neuron-izh', 'neurite new-plugin neurite-plugin-gain --dir examples'],
  async run({ args, options, cwd, stdout }) {
    const packageName = args[0]!;
    if (!PACKAGE_NAME.test(packageName) || packageName.length > 214) {
      throw new UsageError(`new-plugin: '${packageName}' is not a valid npm package name`, {
        hint: 'use lower-case letters, digits and dashes, optionally with a scope: @scope/name',
      });
    }
    const folder = packageName.split('/').at(-1)!;
    if (!/[a-z]/.test(folder))
      throw new UsageError(`new-plugin: '${folder}' needs a letter to name its node type`);
    const target = resolve(cwd, options.dir as string, folder);
    if (existsSync(target)) throw new UsageError(`new-plugin: ${target} already exists`);
    const root = findWorkspaceRoot(dirname(target));
    if (!root) {
      throw new UsageError('new-plugin: no pnpm-workspace.yaml above the target folder', {
        hint: 'run it inside a pnpm workspace (create one with `pnpm init` and a pnpm-workspace.yaml listing packages/*)',
      });
    }
    const workspace = readWorkspace(root);
    const names: PluginNames = {
      packageName,
      folder,
      description: (options.description as string | undefined) ?? `${folder}: a neurite plugin`,
    };

    const files = new Map<string, string>([
      ['package.json', json(packageJson(names, workspace))],
      ['tsconfig.json', compactJson(tsconfig(workspace, target))],
      ['vitest.config.ts', vitestConfig(names, workspace, target)],
      ['README.md', readme(names)],
      ...(await pluginSources(names)),
    ]);
    for (const [path, text] of files) {
      mkdirSync(dirname(join(target, path)), { recursive: true });
      writeFileSync(join(target, path), text);
    }
    const written = [...files.keys()].map((p) => join(posixRelative(root, target), p));
    const notes: string[] = [];
    const folderInRoot = posixRelative(root, target);
    if (addReference(root, folderInRoot)) written.push('tsconfig.json (reference added)');
    else notes.push(`add { "path": "${folderInRoot}" } to the references of ${join(root, 'tsconfig.json')}`);
    if (workspace.hasChangesets) {
      const changeset = join(root, '.changeset', `${folder}.md`);
      writeFileSync(
        changeset,
        `---\n"${packageName}": minor\n---\n\n${names.description}: the \`${folder.replace(/^[^a-z]+/, '')}\` node type.\n`,
      );
      written.push(posixRelative(root, changeset));
    }
    if (rootInstallsPackages(root)) {
      notes.push(
        `add "${packageName}": "workspace:*" to the root package.json's devDependencies for the repository's CLI to load it`,
      );
    }
    if (!coveredByGlobs(workspace.globs, folderInRoot)) {
      notes.push(`add ${posixRelative(root, dirname(target))}/* to the packages of pnpm-workspace.yaml`);
    }
    stdout.write(`neurite: created ${packageName} in ${target}\n${written.map((p) => `  ${p}\n`).join('')}`);
    for (const note of notes) stdout.write(`note: ${note}\n`);
    stdout.write(`next: pnpm install && pnpm -F ${packageName} build && pnpm -F ${packageName} test\n`);
    return 0;
  },
};

const json = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

/** Two-space JSON with lists of plain values on one line, as the repository's formatter writes tsconfig files. */
const compactJson = (value: unknown) =>
  json(value).replace(
    /\[\n\s*([^[\]{}]*?)\n\s*\]/g,
    (_list, items: string) => `[${items.split(/,\n\s*/).join(', ')}]`,
  );

/**
 * Inside the neurite monorepo the kernel is a workspace package (`workspace:` ranges); elsewhere the
 * plugin takes the kernel installed beside this CLI as a caret range. arktype follows the workspace
 * catalog, else the kernel's own arktype version, so both share one copy.
 */
function packageJson(names: PluginNames, ws: Workspace) {
  const inRepo = ws.kernelDir !== null;
  const kernelPackage = inRepo
    ? (JSON.parse(readFileSync(join(ws.kernelDir!, 'package.json'), 'utf8')) as InstalledPackage)
    : installedPackage('@neurite/kernel');
  const kernel = kernelPackage.version;
  const arktype = ws.catalogArktype ? 'catalog:' : (kernelPackage.dependencies?.arktype ?? 'latest');
  return {
    name: names.packageName,
    version: '0.1.0',
    description: names.description,
    license: 'MIT',
    type: 'module',
    sideEffects: false,
    engines: { node: '>=20.11' },
    keywords: ['neurite-plugin', 'neurite'],
    neurite: { plugin: true },
    exports: {
      '.': { source: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
      './package.json': './package.json',
    },
    files: ['dist', '!dist/.tsbuildinfo', 'src'],
    scripts: { build: 'tsc -b', typecheck: 'tsc -b', test: `vitest run --project ${names.folder}` },
    peerDependencies: { '@neurite/kernel': inRepo ? 'workspace:^' : `^${kernel}` },
    dependencies: { arktype },
    devDependencies: {
      '@neurite/kernel': inRepo ? 'workspace:*' : kernel,
      ...(ws.hasSharedVitest ? {} : { vitest: 'latest', typescript: 'latest' }),
    },
  };
}

/** Compiler options for a workspace without a shared tsconfig.base.json (strict, ESM, project references). */
const STANDALONE_OPTIONS = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  declaration: true,
  composite: true,
  skipLibCheck: true,
};

function tsconfig(ws: Workspace, target: string) {
  const layout = { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/.tsbuildinfo' };
  return {
    ...(ws.hasBaseTsconfig ? { extends: `${posixRelative(target, ws.root)}/tsconfig.base.json` } : {}),
    compilerOptions: ws.hasBaseTsconfig ? layout : { ...STANDALONE_OPTIONS, ...layout },
    include: ['src'],
    ...(ws.kernelDir ? { references: [{ path: posixRelative(target, ws.kernelDir) }] } : {}),
  };
}

function vitestConfig(names: PluginNames, ws: Workspace, target: string): string {
  if (ws.hasSharedVitest) {
    return `import { packageProject } from '${posixRelative(target, ws.root)}/vitest.shared.ts';\n\nexport default packageProject('${names.folder}');\n`;
  }
  return `import { defineProject } from 'vitest/config';\n\nexport default defineProject({ test: { name: '${names.folder}', include: ['test/**/*.test.ts'] } });\n`;
}

function readme(names: PluginNames): string {
  return `# ${names.packageName}\n\n${names.description}\n\n\`\`\`sh\npnpm -F ${names.packageName} build   # tsc -b\npnpm -F ${names.packageName} test    # the conformance kit and the node's own test\n\`\`\`\n\nInstalled beside \`@neurite/cli\`, the plugin is found by \`neurite plugins\` (its package.json says \`"neurite": { "plugin": true }\`).\n`;
}

/** Whether the root package.json installs workspace packages (as this repository does, so its CLI finds them). */
function rootInstallsPackages(root: string): boolean {
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      devDependencies?: Record<string, string>;
    };
    return Object.values(pkg.devDependencies ?? {}).some((range) => range.startsWith('workspace:'));
  } catch {
    return false;
  }
}

/**
 * Adds the package to the root tsconfig.json's project references (kept in order, written back with
 * two-space JSON). Returns false when the file is missing or is not plain JSON (comments), so the
 * user is told to add it.
 */
function addReference(root: string, folder: string): boolean {
  const path = join(root, 'tsconfig.json');
  let config: { references?: { path: string }[] };
  try {
    config = JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return false;
  }
  config.references ??= [];
  if (!config.references.some((r) => r.path === folder)) config.references.push({ path: folder });
  writeFileSync(path, json(config));
  return true;
}

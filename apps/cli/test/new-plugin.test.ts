import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neurite, repoRoot } from './cli.js';

// `neurite new-plugin` is run as a user runs it, in a scratch pnpm workspace under the OS temp folder
// shaped like this repository (its tsconfig.base.json, vitest.shared.ts and changesets config, the
// kernel as a workspace package), so the test never edits the real root tsconfig.json while other tests
// run. The generated package then gets the node_modules links `pnpm install` makes for its declared
// dependencies — workspace packages linked, others shared with the kernel's copy — and its own
// `build` and `test` scripts run unmodified: the real tsc build and the real vitest run.

let ws: string;
const links: string[] = [];

function link(target: string, path: string): void {
  mkdirSync(dirname(path), { recursive: true });
  symlinkSync(target, path, 'dir');
  links.push(path);
}

beforeAll(() => {
  ws = mkdtempSync(join(tmpdir(), 'neurite-new-plugin-'));
  copyFileSync(join(repoRoot, 'pnpm-workspace.yaml'), join(ws, 'pnpm-workspace.yaml'));
  writeFileSync(join(ws, 'package.json'), '{ "name": "scratch", "private": true, "type": "module" }\n');
  writeFileSync(
    join(ws, 'tsconfig.json'),
    `${JSON.stringify({ files: [], references: [{ path: 'packages/kernel' }] }, null, 2)}\n`,
  );
  mkdirSync(join(ws, '.changeset'));
  copyFileSync(join(repoRoot, '.changeset', 'config.json'), join(ws, '.changeset', 'config.json'));
  for (const file of ['tsconfig.base.json', 'vitest.shared.ts']) {
    symlinkSync(join(repoRoot, file), join(ws, file));
    links.push(join(ws, file));
  }
  link(join(repoRoot, 'packages', 'kernel'), join(ws, 'packages', 'kernel'));
  // The workspace root's own devDependencies, as in this repository.
  for (const tool of ['@types/node', 'typescript', 'vitest']) {
    link(realpathSync(join(repoRoot, 'node_modules', tool)), join(ws, 'node_modules', tool));
  }
});

afterAll(() => {
  // Links first, so that removing the folder can never reach the real packages they point to.
  for (const path of links.reverse()) if (existsSync(path)) unlinkSync(path);
  rmSync(ws, { recursive: true, force: true });
});

/** What `pnpm install` links for a package's dependencies in this workspace. */
function install(pkgDir: string): string[] {
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
  const deps: Record<string, string> = {
    ...pkg.peerDependencies,
    ...pkg.dependencies,
    ...pkg.devDependencies,
  };
  return Object.entries(deps).map(([name, range]) => {
    const target = range.startsWith('workspace:')
      ? join(ws, 'packages', name.split('/').at(-1)!)
      : realpathSync(join(repoRoot, 'packages', 'kernel', 'node_modules', name));
    link(relative(dirname(join(pkgDir, 'node_modules', name)), target), join(pkgDir, 'node_modules', name));
    return `${name}@${range}`;
  });
}

/** Runs one of the package's own scripts, with the workspace's tools on PATH as pnpm puts them. */
function script(pkgDir: string, name: string) {
  const command = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).scripts[name] as string;
  const PATH = [join(repoRoot, 'node_modules', '.bin'), process.env.PATH].join(delimiter);
  const { FORCE_COLOR: _, ...env } = process.env; // any FORCE_COLOR, even 0, turns vitest's colours on
  const run = spawnSync('sh', ['-c', command], {
    cwd: pkgDir,
    env: { ...env, PATH, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { command, code: run.status, output: `${run.stdout}${run.stderr}` };
}

describe('neurite new-plugin', () => {
  it('generates a plugin package that builds and passes its tests unmodified', async () => {
    const run = await neurite(
      ['new-plugin', '@scratch/neuron-gain', '--description', 'a learnt gain per feature'],
      { cwd: ws },
    );
    expect(run.code).toBe(0);
    const pkgDir = join(ws, 'packages', 'neuron-gain');
    expect(run.stdout).toContain(`created @scratch/neuron-gain in ${pkgDir}`);

    const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({
      name: '@scratch/neuron-gain',
      type: 'module',
      keywords: expect.arrayContaining(['neurite-plugin']),
      neurite: { plugin: true },
      peerDependencies: { '@neurite/kernel': 'workspace:^' },
      dependencies: { arktype: 'catalog:' },
      exports: { '.': { source: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' } },
    });
    const tsconfig = JSON.parse(readFileSync(join(pkgDir, 'tsconfig.json'), 'utf8'));
    expect(tsconfig).toMatchObject({
      extends: '../../tsconfig.base.json',
      references: [{ path: '../kernel' }],
    });
    const root = JSON.parse(readFileSync(join(ws, 'tsconfig.json'), 'utf8'));
    expect(root.references).toEqual([{ path: 'packages/kernel' }, { path: 'packages/neuron-gain' }]);
    expect(readFileSync(join(ws, '.changeset', 'neuron-gain.md'), 'utf8')).toMatch(
      /^---\n"@scratch\/neuron-gain": minor\n---\n/,
    );
    const source = readFileSync(join(pkgDir, 'src', 'index.ts'), 'utf8');
    expect(source).toContain("declare module '@neurite/kernel'");
    expect(source).toMatch(/export const neuronGainOptions = type\(\{/);

    // Generated code is what the repository's formatter and linter would write (biome, its config).
    const config = JSON.parse(readFileSync(join(repoRoot, 'biome.json'), 'utf8'));
    writeFileSync(
      join(ws, 'biome.json'),
      JSON.stringify({ ...config, $schema: undefined, vcs: { enabled: false } }),
    );
    const lint = spawnSync(
      join(repoRoot, 'node_modules', '.bin', 'biome'),
      ['check', 'packages/neuron-gain'],
      { cwd: ws, encoding: 'utf8' },
    );
    expect(`${lint.stdout}${lint.stderr}`).toMatch(/Checked 8 files in .*\. No fixes applied\./);
    expect(lint.status).toBe(0);

    expect(install(pkgDir)).toEqual(['@neurite/kernel@workspace:*', 'arktype@catalog:']);
    const build = script(pkgDir, 'build');
    expect(build.output).toBe('');
    expect(build.code).toBe(0);
    expect(
      existsSync(join(pkgDir, 'dist', 'index.js')) && existsSync(join(pkgDir, 'dist', 'index.d.ts')),
    ).toBe(true);
    const test = script(pkgDir, 'test');
    expect(test.output).toMatch(/Tests\s+2 passed \(2\)/);
    expect(test.code).toBe(0);

    // Running it again must not overwrite the package.
    const again = await neurite(['new-plugin', '@scratch/neuron-gain'], { cwd: ws });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
  }, 180_000);

  it('refuses names npm would refuse, and folders outside a pnpm workspace', async () => {
    const bad = await neurite(['new-plugin', 'Bad Name'], { cwd: ws });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("'Bad Name' is not a valid npm package name");
    const outside = mkdtempSync(join(tmpdir(), 'neurite-no-workspace-'));
    try {
      const run = await neurite(['new-plugin', 'lonely'], { cwd: outside });
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('no pnpm-workspace.yaml above the target folder');
      expect(existsSync(join(outside, 'packages', 'lonely'))).toBe(false);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from './cli.js';

// `pnpm version-packages` (changeset version, then the version constants) is run on a throwaway copy of
// the workspace's manifests — root package.json, pnpm-workspace.yaml, the changesets config, every
// package's package.json and src/version.ts — in a scratch git repository under the OS temp folder, with
// one changeset per scenario. It never runs in the real working tree.

let copy: string;
const git = (...args: string[]) =>
  spawnSync('git', ['-c', 'user.name=neurite', '-c', 'user.email=test@neurite', ...args], {
    cwd: copy,
    encoding: 'utf8',
  });
const folders = ['packages', 'apps', 'examples'].flatMap((group) =>
  readdirSync(join(repoRoot, group)).map((d) => join(group, d)),
);

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'neurite-versions-'));
  const files = ['package.json', 'pnpm-workspace.yaml', '.changeset/config.json', 'bench/package.json'];
  for (const folder of folders) files.push(join(folder, 'package.json'), join(folder, 'src', 'version.ts'));
  for (const file of files.filter((f) => existsSync(join(repoRoot, f)))) {
    mkdirSync(dirname(join(copy, file)), { recursive: true });
    copyFileSync(join(repoRoot, file), join(copy, file));
  }
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'manifests');
});

afterAll(() => rmSync(copy, { recursive: true, force: true }));

const versions = () =>
  Object.fromEntries(
    [...folders, 'bench']
      .filter((f) => existsSync(join(copy, f, 'package.json')))
      .map((f) => JSON.parse(readFileSync(join(copy, f, 'package.json'), 'utf8')))
      .map((p) => [p.name, p.version]),
  ) as Record<string, string>;

/** Applies one changeset as `pnpm version-packages` does and returns what changed, then resets the copy. */
function release(bumps: Record<string, 'patch' | 'minor' | 'major'>) {
  const front = Object.entries(bumps).map(([name, bump]) => `"${name}": ${bump}`);
  writeFileSync(join(copy, '.changeset', 'scenario.md'), `---\n${front.join('\n')}\n---\n\nA change.\n`);
  git('add', '-A');
  git('commit', '-qm', 'changeset');
  const before = versions();
  const cli = join(repoRoot, 'node_modules', '@changesets', 'cli', 'bin.js');
  const run = spawnSync(process.execPath, [cli, 'version'], { cwd: copy, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const sync = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'sync-versions.mjs'), copy], {
    encoding: 'utf8',
  });
  expect(sync.status, sync.stderr).toBe(0);
  const after = versions();
  const bumped = Object.fromEntries(
    Object.keys(after)
      .filter((n) => after[n] !== before[n])
      .map((n) => [n, `${before[n]} → ${after[n]}`]),
  );
  const read = (path: string) => (existsSync(join(copy, path)) ? readFileSync(join(copy, path), 'utf8') : '');
  const result = { bumped, read };
  return {
    ...result,
    done: () => {
      git('reset', '-q', '--hard', 'HEAD~1');
      git('clean', '-qfd');
    },
  };
}

const at = (name: string) => versions()[name]!;

describe('independent versions with changesets', () => {
  it('releases a kernel fix alone: every dependent’s range already admits it', () => {
    const r = release({ '@neurite/kernel': 'patch' });
    const [major, minor, patch] = at('@neurite/kernel').split('.').map(Number) as [number, number, number];
    expect(r.bumped).toEqual({
      '@neurite/kernel': `${major}.${minor}.${patch - 1} → ${major}.${minor}.${patch}`,
    });
    expect(r.read('packages/kernel/CHANGELOG.md')).toContain('### Patch Changes');
    r.done();
  });

  it('bumps the packages that depend on a plugin whose new version leaves their range, and syncs the manifests', () => {
    const lif = at('@neurite/neuron-lif');
    const r = release({ '@neurite/neuron-lif': 'minor' });
    const dependents = Object.keys(r.bumped).filter((n) => n !== '@neurite/neuron-lif');
    // nir and delays-dcls depend on neuron-lif (workspace:^): a minor of a 0.x package leaves ^0.y, so they
    // are re-released (patch) with the new range; private packages (examples, bench) are not versioned.
    expect(dependents.sort()).toEqual(['@neurite/delays-dcls', '@neurite/nir']);
    for (const name of dependents) expect(r.bumped[name]).toMatch(/^0\.(\d+)\.(\d+) → 0\.\1\.\d+$/);
    expect(r.bumped['@neurite/neuron-lif']).toMatch(
      new RegExp(`^${lif.replace(/\./g, '\\.')} → 0\\.\\d+\\.0$`),
    );
    expect(r.read('packages/nir/CHANGELOG.md')).toMatch(
      /Updated dependencies[\s\S]*@neurite\/neuron-lif@0\.\d+\.0/,
    );
    // The manifest's version constant follows package.json, so the conformance kit's package check holds.
    const newVersion = r.bumped['@neurite/neuron-lif']!.split(' → ')[1];
    expect(r.read('packages/neuron-lif/src/version.ts')).toContain(`export const VERSION = '${newVersion}';`);
    expect(r.read('examples/izhikevich-plugin/src/version.ts')).toContain("export const VERSION = '0.1.0';");
    r.done();
  });

  it('re-releases every plugin when a breaking kernel release leaves their peer range', () => {
    const r = release({ '@neurite/kernel': 'minor' });
    const plugins = folders
      .map((f) => join(copy, f, 'package.json'))
      .filter((p) => existsSync(p))
      .map((p) => JSON.parse(readFileSync(p, 'utf8')))
      .filter((p) => !p.private && p.peerDependencies?.['@neurite/kernel'])
      .map((p) => p.name as string);
    expect(plugins.length).toBeGreaterThan(3);
    // In 0.x a minor is breaking and leaves every plugin's ^0.y peer range. changesets treats a peer
    // range change as breaking for the dependent (major); RELEASING in the README explains the policy.
    for (const name of plugins) expect(r.bumped[name], name).toMatch(/ → 1\.0\.0$/);
    // The CLI depends on the kernel (not as a peer): a patch with the new range.
    expect(r.bumped['@neurite/cli']).toMatch(/^0\.(\d+)\.(\d+) → 0\.\1\.\d+$/);
    r.done();
  });
});

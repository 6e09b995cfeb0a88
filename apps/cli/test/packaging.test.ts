import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain ESM script without declarations
import { pnpmCommand } from '../../../scripts/pnpm.mjs';
import { repoRoot } from './cli.js';

// The packaging proof: @neurite/kernel, @neurite/neuron-lif and @neurite/cli packed with `pnpm pack`
// (which rewrites workspace: and catalog: ranges), installed with plain npm into a project under the OS
// temp folder, outside the workspace, with no other neurite package. There a plain Node script trains a
// small spiking network, tsc compiles against the published types, and `npx neurite plugins` finds the
// neuron plugin. Needs the packages built (CI builds before testing).

const PACKED = {
  '@neurite/kernel': 'packages/kernel',
  '@neurite/neuron-lif': 'packages/neuron-lif',
  '@neurite/cli': 'apps/cli',
};
let scratch: string;
let project: string;
const tarballs = new Map<string, string>();

function run(command: string, args: string[], cwd: string, timeout = 120_000) {
  const r = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    timeout,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { code: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? '', error: r.error };
}

function tarText(tarball: string, path: string): string {
  return run('tar', ['-xzOf', tarball, `package/${path}`], scratch).stdout;
}

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'neurite-packaging-'));
  const packs = join(scratch, 'packs');
  mkdirSync(packs);
  for (const [name, dir] of Object.entries(PACKED)) {
    const before = new Set(readdirSync(packs));
    const packed = run(pnpmCommand(), ['pack', '--pack-destination', packs], join(repoRoot, dir));
    expect(packed.code, packed.stderr).toBe(0);
    const file = readdirSync(packs).find((f) => !before.has(f))!;
    tarballs.set(name, join(packs, file));
  }
  project = join(scratch, 'project');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), '{ "name": "probe", "private": true, "type": "module" }\n');
  // From npm's cache when it has the public dependencies (arktype, ts-morph), else from the registry;
  // with the Node types a TypeScript consumer has (arktype's declarations refer to them).
  const nodeTypes = `@types/node@${JSON.parse(readFileSync(join(repoRoot, 'node_modules', '@types', 'node', 'package.json'), 'utf8')).version}`;
  const args = [
    'install',
    '--no-audit',
    '--no-fund',
    '--prefer-offline',
    '--loglevel=error',
    ...tarballs.values(),
    nodeTypes,
  ];
  const install = run('npm', args, project, 240_000);
  expect(install.code, install.stderr).toBe(0);
}, 300_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('the packed packages', () => {
  it('publish built files with exports, types and bins that resolve, ranges rewritten, and no tests', () => {
    for (const [name, tarball] of tarballs) {
      const files = new Set(
        run('tar', ['-tzf', tarball], scratch)
          .stdout.split('\n')
          .filter(Boolean)
          .map((f) => f.replace(/^package\//, '')),
      );
      const pkg = JSON.parse(tarText(tarball, 'package.json'));
      expect(pkg.name).toBe(name);
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const [dep, range] of Object.entries<string>(pkg[field] ?? {})) {
          expect(range, `${name} ${field}.${dep}`).toMatch(/^[\^~]?\d+\.\d+\.\d+$/);
        }
      }
      for (const [subpath, target] of Object.entries<Record<string, string> | string | null>(pkg.exports)) {
        if (target === null || typeof target === 'string' || subpath.includes('*')) continue;
        for (const [condition, path] of Object.entries(target)) {
          expect(
            files.has(path.replace(/^\.\//, '')),
            `${name} exports["${subpath}"].${condition} → ${path}`,
          ).toBe(true);
          // The `source` condition serves this repository's tests; what Node and TypeScript load is built.
          if (condition !== 'source')
            expect(path, `${name} exports["${subpath}"].${condition}`).toMatch(/^\.\/dist\//);
        }
      }
      for (const bin of Object.values<string>(pkg.bin ?? {}))
        expect(files.has(bin.replace(/^\.\//, '')), `${name} bin ${bin}`).toBe(true);
      const stray = [...files].filter((f) =>
        /(^|\/)(test|tests|__tests__|fixtures|node_modules)\/|\.test\.[jt]s$/.test(f),
      );
      expect(stray, name).toEqual([]);
    }
  });

  it('train a spiking network from a plain Node script outside the workspace', () => {
    writeFileSync(
      join(project, 'train.mjs'),
      `import { Adam, buildModel, createRuntime } from '@neurite/kernel';
import neuronLif from '@neurite/neuron-lif';

const rt = createRuntime({ seed: 1 }).use(neuronLif());
const model = buildModel(rt, {
  type: 'sequential',
  layers: [
    { type: 'rate-encoder', steps: 8 },
    { type: 'linear', inFeatures: 4, outFeatures: 16 },
    { type: 'lif', beta: 0.8 },
    { type: 'linear', inFeatures: 16, outFeatures: 2 },
    { type: 'li', beta: 0.9 },
  ],
});
const loss = rt.registry('loss').require('ce-mean-membrane').create({ labelSmoothing: 0 });
// Two classes: bright on the first two inputs, or on the last two.
const x = rt.tensor([[0.9, 0.8, 0.1, 0], [0, 0.1, 0.9, 0.8], [1, 0.9, 0, 0.1], [0.1, 0, 0.8, 1]]);
const y = rt.fromArray(Int32Array.from([0, 1, 0, 1]), [4]);
const optimizer = new Adam(model.parameters(), { lr: 0.05 });
const losses = [];
for (let step = 0; step < 40; step++) {
  optimizer.zeroGrad();
  const value = loss(model.forward(x), y);
  value.backward();
  optimizer.step();
  losses.push(await value.item());
}
console.log(JSON.stringify({ first: losses[0], last: losses.at(-1) }));
`,
    );
    const r = run(process.execPath, ['train.mjs'], project);
    expect(r.code, r.stderr).toBe(0);
    const { first, last } = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(last).toBeLessThan(first / 4);
  });

  it('type-check a consumer against the published declarations of every entry point', () => {
    writeFileSync(
      join(project, 'consumer.ts'),
      `import { buildModel, createRuntime, type NodeSpec, type Tensor } from '@neurite/kernel';
import { checkPlugin, type ConformanceReport } from '@neurite/kernel/testing';
import neuronLif, { lifScan } from '@neurite/neuron-lif';

const rt = createRuntime().use(neuronLif());
const spec: NodeSpec = { type: 'lif', beta: 0.9 };
const layer = buildModel(rt, spec);
const out: Tensor = layer.forward(rt.zeros([4, 2, 3]));
const scan: (x: Tensor, params: { beta: Tensor }) => { membrane: Tensor } = lifScan;
const report: Promise<ConformanceReport> = checkPlugin(neuronLif);
// @ts-expect-error: the kernel's internals are not exported
import('@neurite/kernel/internal/runtime.js');
export { out, report, scan };
`,
    );
    // Library checking on: the packages' own declarations must compile, not only the consumer.
    const compilerOptions = {
      noEmit: true,
      strict: true,
      skipLibCheck: false,
      module: 'nodenext',
      moduleResolution: 'nodenext',
      target: 'es2022',
      types: ['node'],
    };
    writeFileSync(
      join(project, 'tsconfig.json'),
      JSON.stringify({ compilerOptions, files: ['consumer.ts'] }),
    );
    const r = run(
      process.execPath,
      [join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'],
      project,
    );
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.code).toBe(0);
  }, 180_000);

  it('let the installed CLI discover exactly the installed plugin', () => {
    const r = run('npx', ['--no', 'neurite', 'plugins', '--json'], project);
    expect(r.code, r.stderr).toBe(0);
    const table = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    expect(table.failed).toEqual([]);
    expect(table.plugins.map((p: { name: string }) => p.name)).toEqual([
      '@neurite/kernel',
      '@neurite/neuron-lif',
      '@neurite/cli',
    ]);
    const lif = table.plugins.find((p: { name: string }) => p.name === '@neurite/neuron-lif');
    expect(lif.contributes.nodes).toEqual(expect.arrayContaining(['lif', 'li', 'rate-encoder']));
    expect(lif.contributes.ops).toContain('lif_scan');
  });
});

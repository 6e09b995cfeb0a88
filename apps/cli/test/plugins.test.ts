import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixtures, lastJson, neurite, repoRoot, tempDir } from './cli.ts';

interface PluginsJson {
  plugins: { name: string; version: string; status: string; contributes: Record<string, string[]> }[];
  failed: { name: string; error: string }[];
}

describe('neurite plugins', () => {
  it('lists every plugin installed in the workspace with what it contributes', async () => {
    const run = await neurite(['plugins', '--json'], { cwd: repoRoot });
    expect(run.code, run.stderr).toBe(0);
    const { plugins, failed } = lastJson<PluginsJson>(run);
    expect(failed).toEqual([]);
    const byName = new Map(plugins.map((p) => [p.name, p]));
    for (const name of [
      '@neurite/kernel',
      '@neurite/cli',
      '@neurite/neuron-lif',
      '@neurite/datasets',
      '@neurite/nir',
      '@neurite/decoding',
    ]) {
      expect(byName.has(name), name).toBe(true);
    }
    expect(byName.get('@neurite/neuron-lif')!.contributes.nodes).toContain('lif');
    expect(byName.get('@neurite/datasets')!.contributes.datasets).toContain('fsdd-spikes');
    expect(byName.get('@neurite/cli')!.contributes.commands).toEqual(
      expect.arrayContaining(['train', 'inspect', 'plugins']),
    );
    expect(byName.get('@neurite/kernel')!.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('loads plugins named in neurite.config.json and reports one that fails, by name, while the others work', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'broken.mjs'), "throw new Error('this plugin is broken on purpose');\n");
    writeFileSync(
      join(dir, 'neurite.config.json'),
      JSON.stringify({ plugins: [join(fixtures, 'toy-plugin.mjs'), './broken.mjs'] }),
    );
    const run = await neurite(['plugins', '--json'], { cwd: dir });
    expect(run.code, run.stderr).toBe(0);
    const { plugins, failed } = lastJson<PluginsJson>(run);
    expect(plugins.map((p) => p.name)).toContain('toy-plugin');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.name).toBe('./broken.mjs');
    expect(failed[0]!.error).toMatch(/broken on purpose/);
    expect(run.stderr).toMatch(/plugin \.\/broken\.mjs failed to load: this plugin is broken on purpose/);
  });

  it('has help for every command and a version', async () => {
    const help = await neurite(['--help'], { cwd: repoRoot });
    expect(help.code).toBe(0);
    const commands = [...help.stdout.matchAll(/^ {2}(\S+(?: \S+)?)\s{2,}/gm)].map((m) => m[1]!);
    expect(commands).toEqual(
      expect.arrayContaining(['train', 'eval', 'report', 'inspect', 'plugins', 'bench']),
    );
    for (const command of commands) {
      const run = await neurite([...command.split(' '), '--help'], { cwd: repoRoot });
      expect(run.code, command).toBe(0);
      expect(run.stdout, command).toMatch(new RegExp(`^Usage: neurite ${command}`));
    }
    const version = await neurite(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});

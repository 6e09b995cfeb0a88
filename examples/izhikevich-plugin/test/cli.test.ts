import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The plugin as users meet it: installed in the workspace (a package marked "neurite": { "plugin": true }),
// found by the built CLI, and used by name from a config file. Needs `pnpm build` (CI builds first).
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(repoRoot, 'apps', 'cli', 'bin', 'neurite.js');

function neurite(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const lastJson = (text: string) => JSON.parse(text.trim().split('\n').at(-1)!);

describe('the Izhikevich plugin through the CLI', () => {
  it('is listed by neurite plugins with what it contributes', async () => {
    const run = await neurite(['plugins', '--json']);
    expect(run.code).toBe(0);
    const plugin = lastJson(run.stdout).plugins.find(
      (p: { name: string }) => p.name === '@neurite/example-izhikevich',
    );
    expect(plugin).toMatchObject({
      version: '0.1.0',
      status: 'loaded',
      contributes: {
        surrogates: ['izhikevich'],
        ops: ['izhikevich_scan', 'izhikevich_scan_grad'],
        nodes: ['izhikevich'],
      },
      kernels: 2,
    });
  });

  it('trains examples/izhikevich-plugin/config.json: rate-coded digits through Izhikevich neurons', async () => {
    const out = mkdtempSync(join(tmpdir(), 'neurite-izhikevich-'));
    try {
      const run = await neurite([
        'train',
        'examples/izhikevich-plugin/config.json',
        '--epochs',
        '1',
        '--out',
        out,
        '--json',
      ]);
      expect(run.code, run.stderr).toBe(0);
      const result = lastJson(run.stdout);
      expect(result.epochs).toBe(1);
      expect(result.metrics.examples).toBe(500);
      // One epoch over 2,000 digits; chance is 10 %.
      expect(result.metrics.accuracy).toBeGreaterThan(0.6);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

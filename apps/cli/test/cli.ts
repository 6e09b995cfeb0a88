import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The built CLI, spawned as users run it. Tests need `pnpm build` (CI builds before testing). */
export const cliBin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'neurite.js');
export const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');
export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const sharedData = join(repoRoot, '..', 'shared', 'data');

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function neurite(
  args: readonly string[],
  options: { cwd?: string; timeoutMs?: number } = {},
): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliBin, ...args], {
      cwd: options.cwd ?? fixtures,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** Starts the CLI and kills it (SIGKILL, like a crash) as soon as its output contains `marker`. */
export function neuriteKilledAt(
  args: readonly string[],
  marker: string,
  cwd = fixtures,
): Promise<Run & { killed: boolean }> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [cliBin, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    let killed = false;
    const check = () => {
      if (!killed && (stdout + stderr).includes(marker)) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    child.stdout!.on('data', (d) => {
      stdout += d;
      check();
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
      check();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr, killed }));
  });
}

export function tempDir(prefix = 'neurite-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** The last line of stdout parsed as JSON (commands print their --json result last). */
export function lastJson<T = Record<string, unknown>>(run: Run): T {
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line) as T;
}

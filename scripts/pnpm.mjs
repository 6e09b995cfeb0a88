#!/usr/bin/env node
// Runs the workspace's pinned pnpm (package.json "packageManager"), installed through npm into .tools/
// when the machine has no pnpm of that version. No corepack, no download from outside the npm registry.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pinned = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).packageManager.replace(
  /^pnpm@/,
  '',
);

function versionOf(command) {
  const probe = spawnSync(command, ['--version'], { encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : null;
}

export function pnpmCommand() {
  if (versionOf('pnpm') === pinned) return 'pnpm';
  const local = join(root, '.tools', 'node_modules', '.bin', 'pnpm');
  if (!existsSync(local) || versionOf(local) !== pinned) {
    const npm = spawnSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', join(root, '.tools'), `pnpm@${pinned}`],
      {
        stdio: 'inherit',
      },
    );
    if (npm.status !== 0) throw new Error(`could not install pnpm@${pinned} through npm`);
  }
  return local;
}

export function pnpm(args, options = {}) {
  const result = spawnSync(pnpmCommand(), args, { stdio: 'inherit', cwd: root, ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.exit(pnpm(process.argv.slice(2)));
}

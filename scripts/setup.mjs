#!/usr/bin/env node
// Brings a fresh clone to a built workspace: pinned pnpm, frozen-lockfile install, build of every package.
// System packages the tests need (a headless browser, Mesa's GL stack for WebGPU, Python peers for the
// benchmarks) are installed by scripts/system-deps.sh when this runs as root on Debian.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pnpm } from './pnpm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const step = (name, status) => {
  if (status !== 0) {
    console.error(`setup: ${name} failed (exit ${status})`);
    process.exit(status || 1);
  }
};

if (process.argv.includes('--system') && existsSync('/usr/bin/apt-get')) {
  step(
    'system packages',
    spawnSync('bash', [join(root, 'scripts', 'system-deps.sh')], { stdio: 'inherit' }).status ?? 1,
  );
}
step('install', pnpm(['install', '--frozen-lockfile', '--prefer-offline']));
step('build', pnpm(['run', 'build']));

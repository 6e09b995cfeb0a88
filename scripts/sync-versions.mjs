#!/usr/bin/env node
// Runs after `changeset version` (as `pnpm version-packages`): a plugin's manifest names its version,
// which the conformance kit compares with package.json, so every `src/version.ts` constant VERSION or
// PACKAGE_VERSION is rewritten to its package's new version. The kernel's KERNEL_API_VERSION is the
// plugin contract's version, not the package's, and is left alone.
//
//   node scripts/sync-versions.mjs [workspace root]
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..');
const CONSTANT = /^(export const (?:PACKAGE_)?VERSION = )'[^']*';$/m;

const folders = ['packages', 'apps', 'examples'].flatMap((group) =>
  existsSync(join(root, group)) ? readdirSync(join(root, group)).map((d) => join(root, group, d)) : [],
);
let changed = 0;
for (const dir of folders) {
  const file = join(dir, 'src', 'version.ts');
  if (!existsSync(file) || !existsSync(join(dir, 'package.json'))) continue;
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const text = readFileSync(file, 'utf8');
  const next = text.replace(CONSTANT, `$1'${version}';`);
  if (next === text) continue;
  writeFileSync(file, next);
  changed++;
  console.log(`sync-versions: ${relative(root, file)} → ${version}`);
}
console.log(`sync-versions: ${changed} version constant(s) updated`);

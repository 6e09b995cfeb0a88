import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Tests run from the TypeScript sources, but the kernels are compiled AssemblyScript: rebuild
 * build/*.wasm first when it is missing or older than anything it is compiled from.
 */
export default function setup(): void {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const sources = [
    ...readdirSync(`${root}assembly`).map((f) => `${root}assembly/${f}`),
    `${root}scripts/build-wasm.mjs`,
  ];
  const newest = Math.max(...sources.map((f) => statSync(f).mtimeMs));
  const outputs = ['kernels.wasm', 'kernels-shared.wasm'].map((f) => `${root}build/${f}`);
  if (outputs.every((f) => existsSync(f) && statSync(f).mtimeMs >= newest)) return;
  const built = spawnSync(process.execPath, [`${root}scripts/build-wasm.mjs`], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('backend-wasm: compiling the AssemblyScript kernels failed');
}

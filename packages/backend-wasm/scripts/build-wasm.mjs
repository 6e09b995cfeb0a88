#!/usr/bin/env node
// Compiles the AssemblyScript kernels twice: build/kernels.wasm imports an ordinary memory (one thread,
// any browser), build/kernels-shared.wasm a shared one that worker threads attach to. Both use 128-bit
// SIMD only; relaxed SIMD would need a Node flag on Node 20.
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const common = [
  join(root, 'assembly', 'index.ts'),
  '-O3',
  '--noAssert',
  '--runtime',
  'stub',
  '--importMemory',
  '--enable',
  'simd',
];
// 65536 pages is the whole 4 GiB a 32-bit memory can address; a shared memory must declare a maximum.
const variants = {
  'kernels.wasm': [],
  'kernels-shared.wasm': ['--sharedMemory', '--maximumMemory', '65536', '--enable', 'threads'],
};

await mkdir(join(root, 'build'), { recursive: true });
for (const [file, flags] of Object.entries(variants)) {
  const { error, stderr } = await asc.main([...common, ...flags, '--outFile', join(root, 'build', file)]);
  if (error) {
    console.error(stderr.toString());
    console.error(`build-wasm: ${file} failed: ${error.message}`);
    process.exit(1);
  }
}

import { BackendError } from '@neurite/kernel';

const compiled = new Map<string, Promise<WebAssembly.Module>>();

/**
 * The compiled kernels: `build/kernels.wasm` (ordinary memory) or `build/kernels-shared.wasm` (shared
 * memory for worker threads), next to `src/` and `dist/` alike. Read from disk in Node, fetched in
 * browsers. A compiled module holds no state, so one compilation serves every runtime in the process.
 */
export function loadKernels(shared: boolean): Promise<WebAssembly.Module> {
  const file = shared ? 'kernels-shared.wasm' : 'kernels.wasm';
  let module = compiled.get(file);
  if (!module) {
    module = compile(new URL(`../../build/${file}`, import.meta.url));
    compiled.set(file, module);
    module.catch(() => compiled.delete(file));
  }
  return module;
}

async function compile(url: URL): Promise<WebAssembly.Module> {
  if (url.protocol !== 'file:') return WebAssembly.compileStreaming(fetch(url));
  const { readFile } = await import('node:fs/promises');
  const { fileURLToPath } = await import('node:url');
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = new Uint8Array(await readFile(url));
  } catch (cause) {
    throw new BackendError(`wasm backend: compiled kernels not found at ${fileURLToPath(url)}`, {
      hint: 'build the package first: pnpm -F @neurite/backend-wasm build',
      cause,
    });
  }
  return WebAssembly.compile(bytes);
}

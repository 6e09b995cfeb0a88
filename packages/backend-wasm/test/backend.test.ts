import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BackendError, createRuntime, PluginError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { WASM_KERNELS, wasmBackend } from '../src/index.js';
import { wasmRuntime } from './helpers.js';

describe('the wasm backend plugin', () => {
  it('registers the backend and its kernels, with threads defaulting to 1', async () => {
    const rt = createRuntime().use(wasmBackend());
    const record = rt.plugins().find((p) => p.name === '@neurite/backend-wasm')!;
    expect(record.options).toEqual({ threads: 1 });
    expect(record.contributions.backend).toEqual(['wasm']);
    expect(record.contributions.kernel).toEqual(Object.keys(WASM_KERNELS).map((op) => `${op}@wasm`));
    const backend = await rt.setBackend('wasm');
    expect(backend.name).toBe('wasm');
    expect(backend.hostMemory).toBe(true);
    expect(rt.randn([2, 3]).backend).toBe('wasm');
  });

  it('refuses invalid thread counts', () => {
    expect(() => createRuntime().use(wasmBackend({ threads: 0 }))).toThrow(PluginError);
    expect(() => createRuntime().use(wasmBackend({ threads: 1.5 }))).toThrow(/threads/);
  });

  it('runs ops it has no kernel for on cpu, on the same host arrays', async () => {
    const { rt, backend } = await wasmRuntime(1);
    const data = Float32Array.from([0, 1, 2, -3]);
    const wasm = rt.fromArray(data, [4], { backend: 'wasm' }).exp().softmax();
    const cpu = rt.fromArray(data, [4], { backend: 'cpu' }).exp().softmax();
    expect(rt.registry('kernel').has('softmax@wasm')).toBe(false);
    expect(wasm.backend).toBe('wasm');
    expect(wasm.dataSync()).toEqual(cpu.dataSync());
    backend.dispose?.();
  });

  it('reports a trap on a worker thread as a BackendError and keeps working', async () => {
    const { rt, backend } = await wasmRuntime(2);
    const engine = backend.engine;
    // A source address past the end of memory traps on both threads.
    expect(() => engine.run('transpose', [0xfffff000, 2048, 2048, 0], Number.POSITIVE_INFINITY)).toThrow();
    const a = rt.randn([64, 64], { backend: 'wasm' });
    expect(a.matmul(a).shape).toEqual([64, 64]);
    backend.dispose?.();
    expect(() => engine.run('transpose', [0, 1, 1, 0], Number.POSITIVE_INFINITY)).toThrow(BackendError);
  });

  it('lets the process exit with idle worker threads that were never disposed', () => {
    const fixtures = new URL('./fixtures/', import.meta.url);
    const run = spawnSync(
      process.execPath,
      [
        '--conditions=source',
        '--import',
        fileURLToPath(new URL('register-ts.mjs', fixtures)),
        fileURLToPath(new URL('idle-threads.ts', fixtures)),
      ],
      { encoding: 'utf8', timeout: 30_000 },
    );
    expect(run.error, 'the child process did not exit by itself').toBeUndefined();
    expect(run.stdout.trim(), run.stderr).toBe('200x200');
    expect(run.status).toBe(0);
  });
});

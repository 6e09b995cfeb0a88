import { wasmBackend } from '@neurite/backend-wasm';
import { createRuntime, type Runtime } from '@neurite/kernel';
import neuronLif from '@neurite/neuron-lif';

/** Where a workload runs: the pure-TypeScript cpu backend, or wasm on a number of threads. */
export interface Target {
  readonly backend: 'cpu' | 'wasm';
  readonly threads: number;
}

export const label = (t: Target) => (t.backend === 'cpu' ? 'cpu' : `wasm×${t.threads}`);

/**
 * A fresh runtime per target, so backends and their worker threads never leak between workloads.
 * `dispose` stops the wasm workers.
 */
export async function runtimeFor(target: Target, seed = 0): Promise<{ rt: Runtime; dispose: () => void }> {
  // The previous target's garbage would otherwise be collected during this one's timed runs.
  (globalThis as { gc?: () => void }).gc?.();
  const rt = createRuntime({ seed })
    .use(neuronLif())
    .use(wasmBackend({ threads: target.threads }));
  const backend = await rt.setBackend(target.backend);
  return { rt, dispose: () => (target.backend === 'wasm' ? backend.dispose?.() : undefined) };
}

import { createCpuBackend } from './backend/cpu/backend.js';
import { corePlugin } from './plugin/core.js';
import { Runtime } from './runtime.js';

/** A new runtime with the kernel's ops, cpu backend, layers and losses installed. */
export function createRuntime(options: { seed?: number } = {}): Runtime {
  return new Runtime({ seed: options.seed ?? 0, cpu: createCpuBackend() }).use(corePlugin());
}

let shared: Runtime | undefined;

/** A runtime shared by the module-level helpers (`tensor`, `zeros`, …) for scripts and notebooks. */
export function defaultRuntime(): Runtime {
  shared ??= createRuntime();
  return shared;
}

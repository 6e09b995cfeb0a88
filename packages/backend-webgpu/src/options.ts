import { type } from 'arktype';

/** Options of `webgpuBackend(…)`, validated by `runtime.use`. */
export const webgpuOptions = type({
  /**
   * Node only: the Dawn backends to try, in order. `default` lets Dawn pick the platform's API
   * (Vulkan, Metal, D3D12); `opengles` is Mesa's GL ES, which runs on llvmpipe where no GPU exists.
   */
  'backends?': "('default' | 'vulkan' | 'metal' | 'd3d12' | 'd3d11' | 'opengl' | 'opengles')[] > 0",
  /** Only this feature level (by default `core`, then `compatibility`). */
  'featureLevel?': "'core' | 'compatibility'",
  'powerPreference?': "'high-performance' | 'low-power'",
  /** Node only: the adapter whose name is this (Dawn's `adapter=` option), on machines with several. */
  'adapter?': 'string > 0',
  /** Node only: further Dawn options, e.g. `enable-dawn-features=…`. */
  'dawnFlags?': 'string[]',
  /** Dispatches recorded before a batch is submitted (reads and flushes submit earlier). */
  dispatchesPerSubmit: 'number.integer > 0 = 64',
  /** Bytes of released buffers kept for reuse; buffers beyond are destroyed. */
  poolLimitBytes: 'number.integer >= 0 = 1073741824',
  /**
   * Bytes of newly created buffers after which a garbage collection is requested, so that unreachable
   * tensors give their buffers back (the collector does not see GPU memory); 0 never asks.
   */
  collectEveryBytes: 'number.integer >= 0 = 2147483648',
  /** Receives one-line warnings (the first cpu fallback of each op); console.warn by default. */
  'warn?': 'Function',
});

export type WebGPUOptions = typeof webgpuOptions.infer;
export type WebGPUOptionsInput = typeof webgpuOptions.inferIn;

// @neurite/backend-webgpu — public entry point. The default export is the plugin factory.
import { webgpuBackend } from './plugin.js';

export default webgpuBackend;
export { WebGPUBackend, type WebGPUStats } from './backend.js';
export { type AdapterSummary, DEFAULT_NODE_BACKENDS } from './device/acquire.js';
export { type AdapterAttempt, AdapterNotFoundError } from './device/errors.js';
export type { GpuHandle } from './memory/handle.js';
export { type WebGPUOptions, type WebGPUOptionsInput, webgpuOptions } from './options.js';
export { webgpuBackend };

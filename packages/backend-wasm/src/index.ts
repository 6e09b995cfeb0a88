// @neurite/backend-wasm — SIMD WebAssembly kernels for neurite.
import { wasmBackend } from './plugin.js';

export { createWasmBackend, type WasmBackend, type WasmBackendOptions } from './backend.js';
export { WASM_KERNELS } from './kernels/index.js';
export { type WasmOptions, type WasmOptionsInput, wasmBackend, wasmOptions } from './plugin.js';
export default wasmBackend;

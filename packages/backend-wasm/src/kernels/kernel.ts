import type { DataArray, KernelCall } from '@neurite/kernel';
import type { WasmEngine } from '../engine/engine.js';

/**
 * A wasm kernel. It returns null for calls it does not cover (a dtype it lacks, such as float64 for
 * gradcheck), and the cpu kernel of the same op runs instead on the same host arrays.
 */
export type WasmKernel<A = any> = (call: KernelCall<DataArray, A>, engine: WasmEngine) => DataArray[] | null;

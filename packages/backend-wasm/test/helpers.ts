import { createRuntime, type DataArray, type Runtime, type Shape, type Tensor } from '@neurite/kernel';
import { expect } from 'vitest';
import { type WasmBackend, wasmBackend } from '../src/index.js';

/** A runtime with the wasm backend on `threads` threads; tensors are placed on cpu or wasm explicitly. */
export async function wasmRuntime(threads: number, seed = 1): Promise<{ rt: Runtime; backend: WasmBackend }> {
  const rt = createRuntime({ seed }).use(wasmBackend({ threads }));
  const backend = (await rt.initBackend('wasm')) as WasmBackend;
  return { rt, backend };
}

/** The same host data as a cpu tensor and as a wasm tensor. */
export function onBoth(rt: Runtime, data: DataArray, shape: Shape): { cpu: Tensor; wasm: Tensor } {
  return {
    cpu: rt.fromArray(data, shape, { backend: 'cpu' }),
    wasm: rt.fromArray(data, shape, { backend: 'wasm' }),
  };
}

/** Deterministic test data: normal floats, or 0/1 spikes with probability p. */
export function normals(rt: Runtime, shape: Shape): Float32Array {
  return rt.randn(shape, { backend: 'cpu' }).dataSync() as Float32Array;
}

export function spikes(rt: Runtime, shape: Shape, p: number): Uint8Array {
  return rt.bernoulli(p, shape, { backend: 'cpu' }).dataSync() as Uint8Array;
}

/**
 * Norm-wise relative agreement: max |a − b| ≤ rtol · max |b| (the measure GEMM accuracy is stated in;
 * element-wise relative error is meaningless where a sum cancels to nearly zero).
 */
export function expectClose(actual: Tensor, expected: Tensor, rtol = 1e-5): void {
  expect(actual.shape).toEqual(expected.shape);
  expect(actual.dtype).toBe(expected.dtype);
  const a = actual.dataSync();
  const b = expected.dataSync();
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < b.length; i++) {
    scale = Math.max(scale, Math.abs(b[i]!));
    const d = Math.abs(a[i]! - b[i]!);
    if (!(d <= worst)) worst = d; // NaN-safe: a NaN difference becomes the worst
  }
  expect(worst, `max |diff| ${worst} against scale ${scale}`).toBeLessThanOrEqual(
    rtol * Math.max(scale, 1e-30),
  );
}

/**
 * Element-for-element identity (NaN equals NaN), as a fast loop: vitest's deep equality takes seconds
 * on arrays of a million elements.
 */
export function expectIdentical(actual: Tensor | DataArray, expected: Tensor | DataArray): void {
  const a = ArrayBuffer.isView(actual) ? actual : actual.dataSync();
  const b = ArrayBuffer.isView(expected) ? expected : expected.dataSync();
  expect(a.constructor).toBe(b.constructor);
  expect(a.length).toBe(b.length);
  for (let i = 0; i < b.length; i++) {
    if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) {
      expect(a[i], `element ${i} of ${b.length}`).toBe(b[i]);
    }
  }
}

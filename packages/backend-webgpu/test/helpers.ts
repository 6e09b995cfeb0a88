import { createRuntime, type DataArray, type Runtime, type Tensor } from '@neurite/kernel';
import { expect } from 'vitest';
import { type WebGPUBackend, type WebGPUOptionsInput, webgpuBackend } from '../src/index.js';

export interface GpuSetup {
  readonly rt: Runtime;
  readonly gpu: WebGPUBackend;
  readonly warnings: string[];
}

/**
 * A runtime with the WebGPU backend created (cpu stays the default placement). On machines without a
 * GPU this is Dawn's GL ES backend on Mesa llvmpipe, the correctness target in CI.
 */
export async function gpuSetup(options: WebGPUOptionsInput = {}, seed = 1): Promise<GpuSetup> {
  const rt = createRuntime({ seed });
  const warnings: string[] = [];
  rt.use(webgpuBackend({ warn: (line: string) => warnings.push(line), ...options }));
  const gpu = (await rt.initBackend('webgpu')) as unknown as WebGPUBackend;
  return { rt, gpu, warnings };
}

/** |actual − expected| ≤ rtol·|expected| + atol element by element, naming the first mismatch. */
export function expectClose(actual: DataArray, expected: DataArray, rtol = 1e-4, atol = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e)) {
      if (!Number.isNaN(a)) expect.fail(`element ${i}: expected NaN, found ${a}`);
      continue;
    }
    if (a !== e && !(Math.abs(a - e) <= rtol * Math.abs(e) + atol)) {
      expect.fail(`element ${i}: expected ${e}, found ${a} (rtol ${rtol}, atol ${atol})`);
    }
  }
}

/**
 * Tolerances: `rtol` per element; `scaled` adds rtol·max|expected| to the absolute tolerance, for
 * kernels that accumulate (sums, products, convolutions), whose float32 rounding depends on the order
 * of summation and is relative to the magnitude of the terms, not of a result near zero.
 */
export interface Tolerance {
  readonly rtol?: number;
  readonly atol?: number;
  readonly scaled?: boolean;
}

/** Runs `f` on cpu tensors and on copies of them on the GPU and compares the results. */
export async function sameOnBoth(
  inputs: readonly Tensor[],
  f: (...xs: Tensor[]) => Tensor | Tensor[],
  tol: Tolerance = {},
): Promise<void> {
  const onGpu = await Promise.all(inputs.map((t) => t.to('webgpu')));
  const want = [f(...inputs)].flat();
  const got = [f(...onGpu)].flat();
  expect(got.length).toBe(want.length);
  for (let k = 0; k < want.length; k++) {
    expect(got[k]!.backend).toBe('webgpu');
    expect(got[k]!.dtype).toBe(want[k]!.dtype);
    expect(got[k]!.shape).toEqual(want[k]!.shape);
    const g = await got[k]!.data();
    const w = await want[k]!.data();
    expect(g.constructor).toBe(w.constructor);
    const rtol = tol.rtol ?? 1e-4;
    let scale = 0;
    if (tol.scaled) for (const v of w) scale = Math.max(scale, Math.abs(v));
    expectClose(g, w, rtol, (tol.atol ?? 1e-6) + rtol * scale);
  }
}

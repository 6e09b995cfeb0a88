import { buildModel } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import type { NirDelay } from '../src/index.js';
import { runtime } from './helpers.js';

describe('NIR Delay at a time step dt', () => {
  it('shifts each feature by its delay rounded to whole steps, the same fused and step by step', () => {
    const rt = runtime();
    const delay = buildModel(rt, { type: 'nir-delay', shape: [3], dt: 1e-3 }) as NirDelay;
    delay.delay.assign(rt.fromArray([0.002, 0, 0.0014], [3]));
    expect(Array.from(delay.steps())).toEqual([2, 0, 1]);
    const T = 5;
    const x = rt.arange(1, 1 + T * 2 * 3).reshape([T, 2, 3]);
    const multi = delay.forward(x).dataSync();
    const at = (t: number, b: number, f: number) => (t < 0 ? 0 : 1 + (t * 2 + b) * 3 + f);
    const expected = [];
    for (let t = 0; t < T; t++)
      for (let b = 0; b < 2; b++)
        for (const [f, d] of [
          [0, 2],
          [1, 0],
          [2, 1],
        ] as const)
          expected.push(at(t - d, b, f));
    expect(Array.from(multi)).toEqual(expected);
    delay.stepMode = 'single';
    delay.resetState();
    const stepped: number[] = [];
    for (let t = 0; t < T; t++)
      stepped.push(...delay.forward(x.slice([t], [t + 1]).reshape([2, 3])).dataSync());
    expect(stepped).toEqual(expected);
  });

  it('refuses negative delays', () => {
    const rt = runtime();
    const delay = buildModel(rt, { type: 'nir-delay', shape: [1], dt: 1e-3 }) as NirDelay;
    delay.delay.assign(rt.fromArray([-0.001], [1]));
    expect(() => delay.forward(rt.zeros([2, 1, 1]))).toThrow(/delays must be ≥ 0 seconds/);
  });
});

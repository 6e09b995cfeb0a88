import type { Shape } from '@neurite/kernel';
import { afterAll, describe, expect, it } from 'vitest';
import { expectIdentical, normals, onBoth, spikes, wasmRuntime } from './helpers.js';

const { rt, backend } = await wasmRuntime(1, 5);
afterAll(() => backend.dispose?.());

const OPS = ['add', 'sub', 'mul', 'div', 'maximum', 'minimum'] as const;
const PAIRS: [Shape, Shape][] = [
  [[], []],
  [[7], []],
  [[], [7]],
  [[3200, 256], [256]],
  [
    [13, 1],
    [1, 9],
  ],
  [
    [4, 1, 5],
    [1, 3, 1],
  ],
  [
    [2, 3, 4, 5],
    [3, 1, 5],
  ],
  [
    [5, 6],
    [5, 6],
  ],
  [
    [1, 1, 3],
    [2, 1, 1],
  ],
];

describe('binary arithmetic on wasm', () => {
  it.each(PAIRS)('%j with %j broadcasts and equals cpu exactly for every op', (sa, sb) => {
    const a = onBoth(rt, normals(rt, sa), sa);
    const b = onBoth(rt, normals(rt, sb), sb);
    for (const op of OPS) {
      const wasm = rt.run1(op, [a.wasm, b.wasm]);
      const cpu = rt.run1(op, [a.cpu, b.cpu]);
      expect(wasm.backend).toBe('wasm');
      expect(wasm.shape).toEqual(cpu.shape);
      expectIdentical(wasm, cpu);
    }
  });

  it('keeps the NaN, infinity and signed-zero rules of the cpu kernels', () => {
    const values = [Number.NaN, 0, -0, 1, -1, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3.5];
    const n = values.length;
    const left = new Float32Array(n * n);
    const right = new Float32Array(n * n);
    for (let i = 0; i < n; i++) {
      left.fill(values[i]!, i * n, i * n + n);
      right.set(values, i * n);
    }
    const a = onBoth(rt, left, [n, n]);
    const b = onBoth(rt, right, [n, n]);
    for (const op of OPS) {
      const w = rt.run1(op, [a.wasm, b.wasm]).dataSync();
      const c = rt.run1(op, [a.cpu, b.cpu]).dataSync();
      for (let k = 0; k < w.length; k++)
        expect(Object.is(w[k], c[k]) || (Number.isNaN(w[k]) && Number.isNaN(c[k])), `${op} at ${k}`).toBe(
          true,
        );
    }
  });

  it('takes spike operands and leaves int32 and float64 to cpu', () => {
    const s = onBoth(rt, spikes(rt, [6, 8], 0.5), [6, 8]);
    const x = onBoth(rt, normals(rt, [8]), [8]);
    expectIdentical(s.wasm.mul(x.wasm), s.cpu.mul(x.cpu));
    const i = onBoth(rt, Int32Array.from([1, 2, 3, 4, 5, 6, 7, 8]), [8]);
    expect(i.wasm.add(i.wasm).dtype).toBe('int32');
    expect(i.wasm.add(i.wasm).dataSync()).toEqual(Int32Array.from([2, 4, 6, 8, 10, 12, 14, 16]));
    const d = onBoth(rt, Float64Array.from([0.1, 0.2]), [2]);
    expect(d.wasm.add(d.wasm).dataSync()).toEqual(Float64Array.from([0.2, 0.4]));
  });
});

describe('sum on wasm', () => {
  it.each([
    [[3200, 256], [0]],
    [[3200, 256], [1]],
    [[7, 5, 3], [1]],
    [
      [7, 5, 3],
      [0, 1],
    ],
    [
      [7, 5, 3],
      [1, 2],
    ],
    [
      [7, 5, 3],
      [0, 1, 2],
    ],
    [[9], [0]],
  ] as [Shape, number[]][])('%j over axes %j equals cpu exactly', (shape, axes) => {
    const x = onBoth(rt, normals(rt, shape), shape);
    for (const keepDims of [false, true]) {
      const w = x.wasm.sum(axes, keepDims);
      const c = x.cpu.sum(axes, keepDims);
      expect(w.backend).toBe('wasm');
      expect(w.shape).toEqual(c.shape);
      expectIdentical(w, c);
    }
  });

  it('counts spikes, and leaves separate runs of axes to cpu', () => {
    const s = onBoth(rt, spikes(rt, [10, 4, 6], 0.3), [10, 4, 6]);
    expectIdentical(s.wasm.sum(0), s.cpu.sum(0));
    expectIdentical(s.wasm.sum([0, 2]), s.cpu.sum([0, 2]));
  });
});

describe('adam_update on wasm', () => {
  const settings = [
    { weightDecay: 0, decoupled: false, amsgrad: false, maximize: false },
    { weightDecay: 0.01, decoupled: false, amsgrad: false, maximize: false },
    { weightDecay: 0.01, decoupled: true, amsgrad: true, maximize: false },
    { weightDecay: 0, decoupled: false, amsgrad: true, maximize: true },
  ];
  it.each(settings)('%j equals cpu exactly', (s) => {
    const shape = [37, 11];
    const tensors = [0, 1, 2, 3, 4].map((k) => {
      const data = normals(rt, shape);
      return onBoth(rt, k >= 3 ? data.map(Math.abs) : data, shape);
    });
    const attrs = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, step: 3, ...s };
    const pick = (side: 'cpu' | 'wasm') => tensors.slice(0, s.amsgrad ? 5 : 4).map((t) => t[side]);
    const w = rt.run('adam_update', pick('wasm'), attrs);
    const c = rt.run('adam_update', pick('cpu'), attrs);
    expect(w.length).toBe(c.length);
    for (let k = 0; k < c.length; k++) expectIdentical(w[k]!, c[k]!);
  });
});

const two = await wasmRuntime(2, 6);
afterAll(() => two.backend.dispose?.());

describe('sum and adam_update split across two threads', () => {
  const r = two.rt;

  it('sums a large tensor over each axis with the cpu result, bit for bit', () => {
    // 1,228,800 elements: enough work to be split by output positions across both threads.
    const x = onBoth(r, normals(r, [40, 96, 320]), [40, 96, 320]);
    for (const axes of [[0], [1], [2], [0, 1], [1, 2]]) expectIdentical(x.wasm.sum(axes), x.cpu.sum(axes));
  });

  it('updates a large parameter with the cpu result, bit for bit', () => {
    // 70,001 parameters (an odd count: the last part takes the remainder).
    const shape = [70_001];
    const [p, g, m, v, vMax] = [0, 1, 2, 3, 4].map((k) => {
      const data = normals(r, shape);
      return onBoth(r, k >= 3 ? data.map(Math.abs) : data, shape);
    });
    for (const amsgrad of [false, true]) {
      const attrs = {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.999,
        eps: 1e-8,
        step: 7,
        weightDecay: 0.01,
        decoupled: true,
        amsgrad,
        maximize: false,
      };
      const inputs = (side: 'cpu' | 'wasm') => [p, g, m, v, ...(amsgrad ? [vMax] : [])].map((t) => t![side]);
      const w = r.run('adam_update', inputs('wasm'), attrs);
      const c = r.run('adam_update', inputs('cpu'), attrs);
      for (let k = 0; k < c.length; k++) expectIdentical(w[k]!, c[k]!);
    }
  });
});

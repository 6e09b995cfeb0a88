import type { Tensor } from '@neurite/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GpuSetup, gpuSetup, sameOnBoth } from './helpers.js';

let setup: GpuSetup;
beforeAll(async () => {
  setup = await gpuSetup();
});
afterAll(() => setup.gpu.dispose());

const UNARY = [
  'neg',
  'exp',
  'log',
  'tanh',
  'sigmoid',
  'sqrt',
  'sin',
  'cos',
  'reciprocal',
  'relu',
  'abs',
  'square',
  'sign',
  'floor',
  'round',
] as const;
const ARITH = ['add', 'sub', 'mul', 'div', 'pow', 'maximum', 'minimum'] as const;
const COMPARE = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'] as const;

describe('elementwise kernels equal the cpu kernels', () => {
  it('every unary op on float32 (odd sizes, values incl. zero, halves and large magnitudes)', async () => {
    const { rt } = setup;
    const values = [0, -0, 0.5, -0.5, 1.5, 2.5, -2.5, 3, -7.25, 30, -30, 1e-3, 100.75];
    const x = rt.tensor([...values, ...(await rt.randn([4, 5], { std: 3 }).data())]);
    const pos = x.abs().add(0.1);
    for (const op of UNARY) {
      const input = op === 'log' || op === 'sqrt' ? pos : x;
      await sameOnBoth([input], (t) => t.runtime.run1(op, [t]));
    }
  });

  it('unary ops keep int32 where the cpu does, and make float32 of spikes', async () => {
    const { rt } = setup;
    const ints = rt.fromArray(new Int32Array([-5, -1, 0, 1, 2, 7, 123456]), [7]);
    const spikes = rt.fromArray(new Uint8Array([0, 1, 1, 0, 1]), [5], { dtype: 'spike' });
    for (const op of ['neg', 'relu', 'abs', 'square', 'sign', 'floor', 'round', 'exp', 'sqrt'] as const) {
      await sameOnBoth([ints], (t) => t.runtime.run1(op, [t]));
      await sameOnBoth([spikes], (t) => t.runtime.run1(op, [t]));
    }
  });

  it('binary arithmetic with broadcasting over leading, inner and middle axes', async () => {
    const { rt } = setup;
    const shapes: [number[], number[]][] = [
      [
        [3, 5, 7],
        [3, 5, 7],
      ],
      [[3, 5, 7], [7]],
      [
        [3, 5, 7],
        [5, 1],
      ],
      [
        [3, 1, 7],
        [1, 5, 1],
      ],
      [[1], [2, 3]],
      [[], [4, 3]],
      [
        [6, 1, 1, 2],
        [3, 1],
      ],
    ];
    for (const [sa, sb] of shapes) {
      const a = rt.randn(sa);
      const b = rt.randn(sb).abs().add(0.5);
      for (const op of ARITH) {
        const base = op === 'pow' ? a.abs().add(0.1) : a;
        await sameOnBoth([base, b], (x, y) => x.runtime.run1(op, [x, y]));
      }
    }
  });

  it('pow with negative bases and integral exponents, and x^0 = 1', async () => {
    const { rt } = setup;
    const a = rt.tensor([-2, -2, -3, 0, 0, 4, -1.5]);
    const b = rt.tensor([2, 3, -1, 0, 2, 0.5, 4]);
    await sameOnBoth([a, b], (x, y) => x.pow(y));
  });

  it('int32 arithmetic stays int32 and exact; mixed int32/float32 promotes', async () => {
    const { rt } = setup;
    const a = rt.fromArray(new Int32Array([1, -2, 300, 40000, -7, 9]), [2, 3]);
    const b = rt.fromArray(new Int32Array([5, 3, -2]), [3]);
    for (const op of ['add', 'sub', 'mul', 'maximum', 'minimum', 'div'] as const) {
      await sameOnBoth([a, b], (x, y) => x.runtime.run1(op, [x, y]));
    }
    await sameOnBoth([a, rt.randn([3])], (x, y) => x.add(y));
  });

  it('comparisons of floats, ints and spikes return spikes', async () => {
    const { rt } = setup;
    const a = rt.tensor([[0, 1, 2, 3, 4, 5, 6]]);
    const b = rt.tensor([[3], [1], [6]]);
    const s = rt.fromArray(new Uint8Array([1, 0, 1, 1, 0, 0, 1]), [7], { dtype: 'spike' });
    const i = rt.fromArray(new Int32Array([2, 2, 2, 3, 3, 3, 9]), [7]);
    for (const op of COMPARE) {
      await sameOnBoth([a, b], (x, y) => x.runtime.run1(op, [x, y]));
      await sameOnBoth([s, i], (x, y) => x.runtime.run1(op, [x, y]));
      await sameOnBoth([i, i.flip(0)], (x, y) => x.runtime.run1(op, [x, y]));
    }
  });

  it('arithmetic on spikes yields float32; clamp; where (broadcast, spike and int branches)', async () => {
    const { rt } = setup;
    const s = rt.bernoulli(0.5, [5, 6]);
    const t = rt.bernoulli(0.5, [6]);
    await sameOnBoth([s, t], (x, y) => x.add(y));
    await sameOnBoth([s, t], (x, y) => x.mul(y));
    const x = rt.randn([4, 9], { std: 2 });
    await sameOnBoth([x], (v) => v.clamp(-1, 0.5));
    await sameOnBoth([rt.fromArray(new Int32Array([-3, 0, 4, 9]), [4])], (v) => v.clamp(-1.5, 5.5));
    const cond = x.gt(0);
    await sameOnBoth([cond, x, rt.zeros([9])], (c, a, b) => c.runtime.run1('where', [c, a, b]));
    await sameOnBoth([s, s, t], (c, a, b) => c.runtime.run1('where', [c, b, a]));
    const i1 = rt.fromArray(new Int32Array([1, 2, 3]), [3]);
    const i2 = rt.fromArray(new Int32Array([-1]), [1]);
    const c3 = rt.fromArray(new Uint8Array([1, 0, 1]), [3], { dtype: 'spike' });
    await sameOnBoth([c3, i1, i2], (c, a, b) => c.runtime.run1('where', [c, a, b]));
  });

  it('cast between every pair of device dtypes', async () => {
    const { rt } = setup;
    const sources: Tensor[] = [
      rt.tensor([-2.7, -0.5, 0, 0.25, 1, 3.9, 1e6]),
      rt.fromArray(new Int32Array([-3, 0, 1, 2, 1 << 20]), [5]),
      rt.fromArray(new Uint8Array([0, 1, 1, 0, 1, 1, 0, 0, 1]), [9], { dtype: 'spike' }),
    ];
    for (const x of sources) {
      for (const dtype of ['float32', 'int32', 'spike'] as const) {
        await sameOnBoth([x], (v) => v.cast(dtype));
      }
    }
  });
});

describe('creation kernels', () => {
  it('fill writes every dtype, including odd spike lengths', async () => {
    const { rt } = setup;
    for (const [dtype, value] of [
      ['float32', -1.25],
      ['int32', 7],
      ['spike', 1],
      ['spike', 0],
    ] as const) {
      const gpu = rt.full([3, 5], value, { dtype, backend: 'webgpu' });
      const cpu = rt.full([3, 5], value, { dtype });
      expect(gpu.backend).toBe('webgpu');
      expect(await gpu.data()).toEqual(await cpu.data());
    }
  });

  it('random_uniform matches the cpu bit for bit: the counter hash in WGSL is identical', async () => {
    const { rt } = setup;
    rt.seed(42);
    const gpu = await rt.rand([1001], { backend: 'webgpu' }).data();
    rt.seed(42);
    const cpu = await rt.rand([1001]).data();
    expect(gpu).toEqual(cpu);
  });

  it('random_uniform with a range and random_normal match within float32 rounding', async () => {
    const { rt } = setup;
    for (const make of [
      (backend?: string) => rt.rand([257], { low: -3, high: 5, ...(backend ? { backend } : {}) }),
      (backend?: string) => rt.randn([3, 333], { mean: 1, std: 2, ...(backend ? { backend } : {}) }),
    ]) {
      rt.seed(7);
      const gpu = await make('webgpu').data();
      rt.seed(7);
      const cpu = await make().data();
      for (let i = 0; i < cpu.length; i++)
        expect(Math.abs(gpu[i]! - cpu[i]!)).toBeLessThanOrEqual(1e-5 * (1 + Math.abs(cpu[i]!)));
    }
  });

  it('bernoulli gives exactly the cpu spikes, for a scalar and a broadcast probability tensor', async () => {
    const { rt } = setup;
    const p = rt.rand([1, 37]);
    const pg = await p.to('webgpu');
    for (const [probs, gp] of [[p, pg]] as const) {
      rt.seed(3);
      const cpu = rt.bernoulli(probs, [5, 37]);
      rt.seed(3);
      const gpu = rt.bernoulli(gp, [5, 37]);
      expect(gpu.backend).toBe('webgpu');
      expect(gpu.dtype).toBe('spike');
      expect(await gpu.data()).toEqual(await cpu.data());
    }
    rt.seed(9);
    const cpu = rt.bernoulli(0.3, [123]);
    rt.seed(9);
    const gpu = rt.bernoulli(0.3, [123], { backend: 'webgpu' });
    expect(await gpu.data()).toEqual(await cpu.data());
  });
});

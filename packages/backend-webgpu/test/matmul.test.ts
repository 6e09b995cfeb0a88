import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GpuSetup, gpuSetup, sameOnBoth } from './helpers.js';

let setup: GpuSetup;
beforeAll(async () => {
  setup = await gpuSetup();
});
afterAll(() => setup.gpu.dispose());

const TRANSPOSES = [
  { transA: false, transB: false },
  { transA: true, transB: false },
  { transA: false, transB: true },
  { transA: true, transB: true },
];

/** Operands of [M, K] × [K, N] stored as each transpose flag asks. */
function operands(
  rt: GpuSetup['rt'],
  M: number,
  K: number,
  N: number,
  t: { transA: boolean; transB: boolean },
  batch: number[] = [],
) {
  return [
    rt.randn([...batch, ...(t.transA ? [K, M] : [M, K])]),
    rt.randn(t.transB ? [N, K] : [K, N]),
  ] as const;
}

describe('sgemm equals the cpu kernel', () => {
  it('all four transpose variants, tiled (small) and register-blocked (large, odd edges)', async () => {
    const { rt } = setup;
    for (const [M, K, N] of [
      [5, 3, 7],
      [17, 33, 9],
      [70, 45, 65],
      [129, 16, 64],
    ] as const) {
      for (const t of TRANSPOSES) {
        const [a, b] = operands(rt, M, K, N, t);
        await sameOnBoth([a, b], (x, y) => x.matmul(y, t), { scaled: true });
      }
    }
  });

  it('batched products with broadcast batch axes, vectors, int and K = 0', async () => {
    const { rt } = setup;
    const a = rt.randn([2, 3, 5, 4]);
    const b = rt.randn([3, 4, 6]);
    await sameOnBoth([a, b], (x, y) => x.matmul(y), { scaled: true });
    await sameOnBoth([a, rt.randn([2, 1, 6, 4])], (x, y) => x.matmul(y, { transB: true }), { scaled: true });
    await sameOnBoth([rt.randn([7]), rt.randn([7, 3])], (x, y) => x.matmul(y), { scaled: true });
    await sameOnBoth([rt.randn([3, 7]), rt.randn([7])], (x, y) => x.matmul(y), { scaled: true });
    const ia = rt.randn([4, 6]).mul(5).round().cast('int32');
    await sameOnBoth([ia, ia], (x, y) => x.matmul(y, { transB: true }));
    await sameOnBoth([rt.randn([3, 0]), rt.randn([0, 4])], (x, y) => x.matmul(y));
  });

  it('event-driven spike × dense products: forward S·W and weight gradient Sᵀ·G, every variant', async () => {
    const { rt } = setup;
    for (const [M, K, N] of [
      [6, 9, 5],
      // Several 1024-spike rounds, and more than one 2048-column block.
      [20, 1100, 70],
      [2, 1100, 2100],
    ] as const) {
      for (const t of TRANSPOSES) {
        const s = rt.bernoulli(0.2, t.transA ? [K, M] : [M, K]);
        const w = rt.randn(t.transB ? [N, K] : [K, N]);
        await sameOnBoth([s, w], (x, y) => x.matmul(y, t), { scaled: true });
      }
    }
    // Batched spikes (time-major [T, B, N] flattened by Linear) and a spike right operand.
    const s = rt.bernoulli(0.3, [4, 3, 10]);
    await sameOnBoth([s, rt.randn([10, 6])], (x, y) => x.matmul(y), { scaled: true });
    await sameOnBoth(
      [rt.randn([5, 10]), s.slice([0, 0], [1, 3]).reshape([3, 10])],
      (x, y) => x.matmul(y, { transB: true }),
      {
        scaled: true,
      },
    );
    await sameOnBoth([s.reshape([12, 10]), s.reshape([12, 10])], (x, y) => x.matmul(y, { transA: true }));
  });

  it('runs every product on the device (no cpu fallback)', () => {
    expect(setup.warnings).toEqual([]);
  });
});

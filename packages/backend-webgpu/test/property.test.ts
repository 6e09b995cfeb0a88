import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { type GpuSetup, gpuSetup, sameOnBoth } from './helpers.js';

let setup: GpuSetup;
beforeAll(async () => {
  setup = await gpuSetup();
});
afterAll(() => setup.gpu.dispose());

/** A shape of rank 0–4 and a second shape that broadcasts against it (axes dropped or set to 1). */
const broadcastPair = fc
  .array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 4 })
  .chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      fc.integer({ min: 0, max: shape.length }),
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
    ),
  )
  .map(([shape, drop, ones]) => [shape, shape.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d))] as const);

describe('random shapes (fast-check)', () => {
  it('broadcast elementwise ops and reductions over random axes equal the cpu', async () => {
    const { rt } = setup;
    await fc.assert(
      fc.asyncProperty(
        broadcastPair,
        fc.constantFrom('add', 'mul', 'maximum', 'gt'),
        fc.boolean(),
        async ([sa, sb], op, swap) => {
          const a = rt.randn([...sa]);
          const b = rt.randn([...sb]);
          const [x, y] = swap ? [b, a] : [a, b];
          await sameOnBoth([x, y], (u, v) => u.runtime.run1(op, [u, v]));
          if (sa.length > 0) await sameOnBoth([a], (u) => u.sum(sa.length - 1).max(), { scaled: true });
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });

  it('products of random sizes and transposes equal the cpu', async () => {
    const { rt } = setup;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 70 }),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        async (M, K, N, transA, transB, spikes) => {
          const a = spikes ? rt.bernoulli(0.3, transA ? [K, M] : [M, K]) : rt.randn(transA ? [K, M] : [M, K]);
          const b = rt.randn(transB ? [N, K] : [K, N]);
          await sameOnBoth([a, b], (u, v) => u.matmul(v, { transA, transB }), { scaled: true });
        },
      ),
      { numRuns: 25, seed: 11 },
    );
  });

  it('random permutations and stepped slices equal the cpu', async () => {
    const { rt } = setup;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 4 }).chain((shape) =>
          fc.tuple(
            fc.constant(shape),
            fc.shuffledSubarray(
              shape.map((_, i) => i),
              { minLength: shape.length, maxLength: shape.length },
            ),
            fc.array(fc.integer({ min: 1, max: 3 }), { minLength: shape.length, maxLength: shape.length }),
          ),
        ),
        fc.boolean(),
        async ([shape, order, steps], spikes) => {
          const x = spikes ? rt.bernoulli(0.5, shape) : rt.randn(shape);
          await sameOnBoth([x], (u) => u.permute(order));
          await sameOnBoth([x], (u) =>
            u.slice(
              shape.map(() => 0),
              undefined,
              steps,
            ),
          );
        },
      ),
      { numRuns: 25, seed: 13 },
    );
  });
});

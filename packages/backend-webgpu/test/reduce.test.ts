import { afterAll, beforeAll, describe, it } from 'vitest';
import { type GpuSetup, gpuSetup, sameOnBoth } from './helpers.js';

let setup: GpuSetup;
beforeAll(async () => {
  setup = await gpuSetup();
});
afterAll(() => setup.gpu.dispose());

describe('reductions equal the cpu kernels', () => {
  it('sum, max and min over single axes, runs of axes, split axes and everything', async () => {
    const { rt } = setup;
    const x = rt.randn([3, 4, 5, 6]);
    const axesList: (number | number[] | undefined)[] = [0, 1, 3, [1, 2], [0, 3], [0, 2, 3], undefined];
    for (const axes of axesList) {
      await sameOnBoth([x], (v) => v.sum(axes), { scaled: true });
      await sameOnBoth([x], (v) => v.sum(axes, true), { scaled: true });
      await sameOnBoth([x], (v) => v.max(axes));
      await sameOnBoth([x], (v) => v.min(axes, true));
    }
  });

  it('int32 and spike inputs: int sums stay exact, spike sums count, spike max stays spike', async () => {
    const { rt } = setup;
    const i = rt.randn([7, 9]).mul(100).round().cast('int32');
    const s = rt.bernoulli(0.4, [7, 9]);
    for (const axes of [0, 1, undefined]) {
      await sameOnBoth([i], (v) => v.sum(axes));
      await sameOnBoth([i], (v) => v.max(axes));
      await sameOnBoth([s], (v) => v.sum(axes));
      await sameOnBoth([s], (v) => v.max(axes));
      await sameOnBoth([s], (v) => v.min(axes));
    }
  });

  it('long rows split into chunks (whole-tensor sums, columns over a long axis)', async () => {
    const { rt } = setup;
    const long = rt.rand([3, 20001]);
    await sameOnBoth([long], (v) => v.sum(), { scaled: true });
    await sameOnBoth([long], (v) => v.sum(1), { scaled: true });
    await sameOnBoth([long], (v) => v.max(1));
    const tall = rt.rand([5000, 3]);
    await sameOnBoth([tall], (v) => v.sum(0), { scaled: true });
    await sameOnBoth([tall], (v) => v.min(0));
    await sameOnBoth([tall], (v) => v.mean(), { scaled: true });
  });

  it('argmax along each axis, with ties taking the first', async () => {
    const { rt } = setup;
    const x = rt.randn([4, 6, 5]);
    for (const axis of [0, 1, 2]) await sameOnBoth([x], (v) => v.argmax(axis));
    const ties = rt.tensor([
      [1, 3, 3, 0],
      [2, 2, 2, 2],
    ]);
    await sameOnBoth([ties], (v) => v.argmax(1));
    await sameOnBoth([ties.cast('int32')], (v) => v.argmax(1));
  });

  it('softmax and log-softmax along the last axis (rows) and inner axes (columns)', async () => {
    const { rt } = setup;
    const x = rt.randn([3, 7, 300], { std: 4 });
    for (const axis of [0, 1, 2]) {
      await sameOnBoth([x], (v) => v.softmax(axis));
      await sameOnBoth([x], (v) => v.logSoftmax(axis));
    }
    const small = rt.randn([33, 5]);
    await sameOnBoth([small], (v) => v.logSoftmax(-1));
  });
});

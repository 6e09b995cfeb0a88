import { ops, type Tensor } from '@neurite/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GpuSetup, gpuSetup, sameOnBoth } from './helpers.js';

let setup: GpuSetup;
beforeAll(async () => {
  setup = await gpuSetup();
});
afterAll(() => setup.gpu.dispose());

type ConvCase = {
  x: number[];
  w: number[];
  stride?: number;
  padding?: number | [number, number][];
  dilation?: number;
  groups?: number;
};

const CONV1D: ConvCase[] = [
  { x: [2, 3, 17], w: [4, 3, 5] },
  { x: [2, 4, 20], w: [6, 2, 3], stride: 2, padding: [[2, 1]], dilation: 2, groups: 2 },
  { x: [1, 3, 9], w: [3, 1, 4], padding: 3, groups: 3 },
];

describe('convolutions equal the cpu kernels', () => {
  it('conv1d over time: forward (float and spike input, bias), input gradient and weight gradient', async () => {
    const { rt } = setup;
    for (const c of CONV1D) {
      const options = {
        stride: c.stride ?? 1,
        padding: c.padding ?? 0,
        dilation: c.dilation ?? 1,
        groups: c.groups ?? 1,
      };
      const x = rt.randn(c.x);
      const w = rt.randn(c.w);
      const b = rt.randn([c.w[0]!]);
      await sameOnBoth([x, w, b], (xx, ww, bb) => ops.conv1d(xx, ww, bb, options), { scaled: true });
      await sameOnBoth([x.gt(0.3), w], (xx, ww) => ops.conv1d(xx, ww, null, options), { scaled: true });
      const y = ops.conv1d(x, w, null, options);
      const g = rt.randn(y.shape);
      const attrs = ops.convAttrs('conv1d', c.w.slice(2), options);
      await sameOnBoth([g, w], (gg, ww) => ops.convInputGrad(gg, ww, c.x.slice(2), attrs), { scaled: true });
      await sameOnBoth([g, x], (gg, xx) => ops.convWeightGrad(gg, xx, c.w.slice(2), attrs), { scaled: true });
      await sameOnBoth([g, x.gt(0)], (gg, xx) => ops.convWeightGrad(gg, xx, c.w.slice(2), attrs), {
        scaled: true,
      });
    }
  });

  it('conv2d forward and gradients (strides and padding per axis)', async () => {
    const { rt } = setup;
    const options = { stride: [1, 2], padding: [1, [0, 2]] as const, dilation: [2, 1] };
    const x = rt.randn([2, 3, 7, 8]);
    const w = rt.randn([4, 3, 3, 2]);
    await sameOnBoth([x, w], (xx, ww) => ops.conv2d(xx, ww, null, options), { scaled: true });
    const attrs = ops.convAttrs('conv2d', [3, 2], options);
    const g = rt.randn(ops.conv2d(x, w, null, options).shape);
    await sameOnBoth([g, w], (gg, ww) => ops.convInputGrad(gg, ww, [7, 8], attrs), { scaled: true });
    await sameOnBoth([g, x], (gg, xx) => ops.convWeightGrad(gg, xx, [3, 2], attrs), { scaled: true });
  });
});

describe('max pooling equals the cpu kernel', () => {
  it('values and argmax indices, 1-D and 2-D, padding, stride, dilation, spikes, and the gradient', async () => {
    const { rt } = setup;
    const x1 = rt.randn([2, 3, 19]);
    const both = (t: { values: Tensor; indices: Tensor }) => [t.values, t.indices];
    await sameOnBoth([x1], (v) => both(ops.maxPool1dWithIndices(v, 3, { stride: 2, padding: 1 })));
    await sameOnBoth([x1.gt(0)], (v) => both(ops.maxPool1dWithIndices(v, 4, { dilation: 2 })));
    const x2 = rt.randn([2, 2, 7, 9]);
    await sameOnBoth([x2], (v) =>
      both(ops.maxPool2dWithIndices(v, [3, 2], { stride: [2, 1], padding: [1, 1] })),
    );
    const ties = rt.tensor([[[1, 3, 3, 2, 2, 0]]]);
    await sameOnBoth([ties], (v) => both(ops.maxPool1dWithIndices(v, 2)));
    // The gradient scatters into the argmaxes through scatter_add.
    await sameOnBoth([x2], (v) => {
      const leaf = v.detach().requireGrad();
      ops.maxPool2d(leaf, 2).square().sum().backward();
      return leaf.grad!;
    });
  });
});

describe('fused optimiser updates equal the cpu kernels', () => {
  const adamAttrs = {
    lr: 0.01,
    beta1: 0.9,
    beta2: 0.999,
    eps: 1e-8,
    weightDecay: 0.01,
    decoupled: false,
    amsgrad: false,
    maximize: false,
    step: 3,
  };

  it('adam_update (Adam, AdamW, AMSGrad, maximise) and sgd_update (plain, momentum, Nesterov)', async () => {
    const { rt } = setup;
    const [p, g, m, v, vmax] = [
      rt.randn([33]),
      rt.randn([33]),
      rt.randn([33]).mul(0.1),
      rt.rand([33]).mul(0.01),
      rt.rand([33]).mul(0.02),
    ];
    const run =
      (op: string, attrs: object) =>
      (...xs: Tensor[]) =>
        xs[0]!.runtime.run(op, xs, attrs);
    await sameOnBoth([p, g, m, v], run('adam_update', adamAttrs));
    await sameOnBoth(
      [p, g, m, v],
      run('adam_update', { ...adamAttrs, decoupled: true, maximize: true, step: 1 }),
    );
    await sameOnBoth([p, g, m, v, vmax], run('adam_update', { ...adamAttrs, amsgrad: true }));
    const sgd = { lr: 0.1, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false };
    await sameOnBoth([p, g], run('sgd_update', sgd));
    await sameOnBoth(
      [p, g, m],
      run('sgd_update', { ...sgd, momentum: 0.9, dampening: 0.1, weightDecay: 0.001 }),
    );
    await sameOnBoth([p, g, m], run('sgd_update', { ...sgd, momentum: 0.9, nesterov: true, maximize: true }));
  });

  it('runs every kernel on the device (no cpu fallback)', () => {
    expect(setup.warnings).toEqual([]);
  });
});

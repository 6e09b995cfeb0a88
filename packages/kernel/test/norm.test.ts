import {
  assertGradcheck,
  BatchNorm1d,
  BatchNorm2d,
  buildModel,
  createRuntime,
  fromModelGraph,
  LayerNorm,
  ops,
  ShapeError,
  toModelGraph,
} from '@neurite/kernel';
import { describe, expect, it } from 'vitest';

const rt = createRuntime({ seed: 3 });

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]!)));
  }
}

/** Per-channel batch normalisation of [B, C, S] by the definition, with the given statistics. */
function normalise(
  x: ArrayLike<number>,
  [B, C, S]: number[],
  mean: number[],
  variance: number[],
  w: number[],
  b: number[],
) {
  const out = new Float64Array(B! * C! * S!);
  for (let i = 0; i < B!; i++)
    for (let c = 0; c < C!; c++)
      for (let s = 0; s < S!; s++) {
        const k = (i * C! + c) * S! + s;
        out[k] = ((x[k]! - mean[c]!) / Math.sqrt(variance[c]! + 1e-5)) * w[c]! + b[c]!;
      }
  return out;
}

/** Mean and biased variance per channel of [B, C, S]. */
function channelStats(x: ArrayLike<number>, [B, C, S]: number[]) {
  const n = B! * S!;
  const mean: number[] = [];
  const variance: number[] = [];
  for (let c = 0; c < C!; c++) {
    let sum = 0;
    for (let i = 0; i < B!; i++) for (let s = 0; s < S!; s++) sum += x[(i * C! + c) * S! + s]!;
    const m = sum / n;
    let sq = 0;
    for (let i = 0; i < B!; i++) for (let s = 0; s < S!; s++) sq += (x[(i * C! + c) * S! + s]! - m) ** 2;
    mean.push(m);
    variance.push(sq / n);
  }
  return { mean, variance, n };
}

describe('BatchNorm', () => {
  it('train and eval numbers worked by hand ([B, C])', () => {
    const bn = new BatchNorm1d(rt, { numFeatures: 2 });
    bn.weight!.assign(rt.tensor([2, 0.5]));
    bn.bias!.assign(rt.tensor([1, -1]));
    const x = rt.tensor([
      [1, 2],
      [3, 4],
      [5, 6],
      [7, 8],
    ]);
    // Channel 0 holds 1, 3, 5, 7: mean 4, biased variance (9 + 1 + 1 + 9) / 4 = 5; channel 1 mean 5, variance 5.
    const s = Math.sqrt(5 + 1e-5);
    const y = bn.forward(x);
    expectClose(y.dataSync(), [
      (-3 / s) * 2 + 1,
      (-3 / s) * 0.5 - 1,
      (-1 / s) * 2 + 1,
      (-1 / s) * 0.5 - 1,
      (1 / s) * 2 + 1,
      (1 / s) * 0.5 - 1,
      (3 / s) * 2 + 1,
      (3 / s) * 0.5 - 1,
    ]);
    // Running statistics: 0.9 · 0 + 0.1 · mean; 0.9 · 1 + 0.1 · (unbiased 20 / 3).
    expectClose(bn.runningMean!.dataSync(), [0.4, 0.5]);
    expectClose(bn.runningVar!.dataSync(), [0.9 + 2 / 3, 0.9 + 2 / 3]);
    bn.forward(x);
    expectClose(bn.runningMean!.dataSync(), [0.9 * 0.4 + 0.4, 0.9 * 0.5 + 0.5]);
    // Eval normalises with the running statistics.
    bn.eval();
    const rm = [0.76, 0.95];
    const rv = [0.9 * (0.9 + 2 / 3) + 2 / 3, 0.9 * (0.9 + 2 / 3) + 2 / 3];
    const e = bn.forward(rt.tensor([[1, 2]]));
    expectClose(e.dataSync(), [
      ((1 - rm[0]!) / Math.sqrt(rv[0]! + 1e-5)) * 2 + 1,
      ((2 - rm[1]!) / Math.sqrt(rv[1]! + 1e-5)) * 0.5 - 1,
    ]);
    expectClose(bn.runningMean!.dataSync(), rm);
  });

  it('normalise [B, C, L] and [B, C, H, W] over every axis but the channel', () => {
    for (const [Cls, shape] of [
      [BatchNorm1d, [3, 4, 5]],
      [BatchNorm2d, [2, 4, 3, 2]],
    ] as const) {
      const bn = new Cls(rt, { numFeatures: 4, momentum: 0.3 });
      const w = [0.5, 1, 1.5, 2];
      const b = [0, 1, 2, 3];
      bn.weight!.assign(rt.tensor(w));
      bn.bias!.assign(rt.tensor(b));
      const x = rt.randn([...shape], { mean: 2, std: 3 });
      const flat = [shape[0], 4, shape.slice(2).reduce((p, d) => p * d, 1)];
      const { mean, variance, n } = channelStats(x.dataSync(), flat);
      expectClose(bn.forward(x).dataSync(), normalise(x.dataSync(), flat, mean, variance, w, b), 1e-4);
      expectClose(
        bn.runningMean!.dataSync(),
        mean.map((m) => 0.3 * m),
        1e-5,
      );
      expectClose(
        bn.runningVar!.dataSync(),
        variance.map((v) => 0.7 + (0.3 * v * n) / (n - 1)),
        1e-5,
      );
      bn.eval();
      const rm = bn.runningMean!.dataSync();
      const rv = bn.runningVar!.dataSync();
      expectClose(bn.forward(x).dataSync(), normalise(x.dataSync(), flat, [...rm], [...rv], w, b), 1e-4);
    }
  });

  it('without running statistics, always use the batch; without affine, no parameters', () => {
    const bn = new BatchNorm1d(rt, { numFeatures: 2, affine: false, trackRunningStats: false }).eval();
    expect(bn.parameters()).toEqual([]);
    expect([...bn.stateDict().keys()]).toEqual([]);
    const y = bn.forward(
      rt.tensor([
        [0, 10],
        [2, 30],
      ]),
    );
    // Channel 0 holds 0, 2 (mean 1, variance 1); channel 1 holds 10, 30 (mean 20, variance 100).
    const [a, b] = [1 / Math.sqrt(1 + 1e-5), 10 / Math.sqrt(100 + 1e-5)];
    expectClose(y.dataSync(), [-a, -b, a, b]);
    expect([...new BatchNorm2d(rt, { numFeatures: 3 }).stateDict().keys()]).toEqual([
      'weight',
      'bias',
      'runningMean',
      'runningVar',
    ]);
  });

  it('passes gradcheck in training and eval', () => {
    const x = rt.randn([3, 2, 4], { dtype: 'float64' });
    const w = rt.randn([2], { dtype: 'float64' });
    const b = rt.randn([2], { dtype: 'float64' });
    assertGradcheck(
      'batch_norm train',
      (xi, wi, bi) => ops.batchNorm(xi!, { weight: wi!, bias: bi!, training: true }).square(),
      [x, w, b],
    );
    const rm = rt.randn([2], { dtype: 'float64' });
    const rv = rt.rand([2], { dtype: 'float64', low: 0.5, high: 2 });
    assertGradcheck(
      'batch_norm eval',
      (xi, wi, bi) =>
        ops.batchNorm(xi!, { weight: wi!, bias: bi!, runningMean: rm, runningVar: rv }).square(),
      [x, w, b],
    );
  });

  it('reject a single value per channel in training and the wrong channel count', () => {
    expect(() => new BatchNorm1d(rt, { numFeatures: 3 }).forward(rt.randn([1, 3]))).toThrow(
      /more than 1 value per channel/,
    );
    expect(() => new BatchNorm1d(rt, { numFeatures: 3 }).forward(rt.randn([4, 2]))).toThrow(ShapeError);
    expect(() => new BatchNorm2d(rt, { numFeatures: 3 }).forward(rt.randn([4, 3, 5]))).toThrow(
      /\[B, 3, H, W\]/,
    );
  });
});

describe('LayerNorm', () => {
  it('numbers worked by hand', () => {
    // Each row has mean m and biased variance v: [1, 2, 3] → 2, 2/3; [2, 4, 6] → 4, 8/3.
    const x = rt.tensor([
      [1, 2, 3],
      [2, 4, 6],
    ]);
    const a = 1 / Math.sqrt(2 / 3 + 1e-5);
    const b = 2 / Math.sqrt(8 / 3 + 1e-5);
    expectClose(ops.layerNorm(x, 3).dataSync(), [-a, 0, a, -b, 0, b]);
    const ln = new LayerNorm(rt, { normalizedShape: 3 });
    ln.weight!.assign(rt.tensor([1, 2, 3]));
    ln.bias!.assign(rt.tensor([0, 1, 0]));
    expectClose(ln.forward(x).dataSync(), [-a, 1, 3 * a, -b, 1, 3 * b]);
    // Over the last two axes of [2, 2, 2]: one mean per leading index.
    const y = ops.layerNorm(
      rt.tensor([
        [
          [0, 2],
          [4, 6],
        ],
        [
          [1, 1],
          [1, 1],
        ],
      ]),
      [2, 2],
    );
    const s = Math.sqrt(5 + 1e-5);
    expectClose(y.dataSync(), [-3 / s, -1 / s, 1 / s, 3 / s, 0, 0, 0, 0]);
  });

  it('passes gradcheck and rejects mismatched shapes', () => {
    const x = rt.randn([2, 3, 4], { dtype: 'float64' });
    const w = rt.randn([3, 4], { dtype: 'float64' });
    const b = rt.randn([3, 4], { dtype: 'float64' });
    assertGradcheck(
      'layer_norm',
      (xi, wi, bi) => ops.layerNorm(xi!, [3, 4], { weight: wi!, bias: bi! }).square(),
      [x, w, b],
    );
    expect(() => ops.layerNorm(x, [4, 3])).toThrow(ShapeError);
    expect(new LayerNorm(rt, { normalizedShape: [3, 4], bias: false }).parameters().length).toBe(1);
  });
});

describe('dropout', () => {
  it('scales kept elements, shares masks along chosen axes, and is the identity in eval', () => {
    const x = rt.ones([6, 4, 5]);
    const rng = rt.rng.split();
    const y = ops.dropout(x, 0.5, { rng, sharedAxes: [0] });
    const v = y.dataSync();
    for (const e of v) expect([0, 2]).toContain(e);
    // Time step 0's mask repeats at every step.
    for (let t = 1; t < 6; t++)
      expect(y.slice([t], [t + 1]).dataSync()).toEqual(y.slice([0], [1]).dataSync());
    expect(ops.dropout(x, 0.5, { training: false })).toBe(x);
    expect(ops.dropout(x, 1).sum().itemSync()).toBe(0);
    expect(() => ops.dropout(x, 1.5)).toThrow(/outside/);
  });
});

describe('normalisation layers in the graph form', () => {
  it('round-trip batchnorm1d, batchnorm2d and layernorm with identical outputs', () => {
    const cases = [
      { spec: { type: 'batchnorm1d', numFeatures: 3, momentum: 0.2 }, input: rt.randn([4, 3, 5]) },
      { spec: { type: 'batchnorm2d', numFeatures: 2, eps: 1e-3 }, input: rt.randn([3, 2, 4, 4]) },
      { spec: { type: 'layernorm', normalizedShape: [4, 4] }, input: rt.randn([3, 2, 4, 4]) },
    ];
    for (const { spec, input } of cases) {
      const model = buildModel(rt, spec);
      for (const p of model.parameters()) p.assign(rt.randn(p.shape));
      model.forward(input.mul(2).add(1)); // moves the running statistics away from their start
      model.eval();
      const graph = toModelGraph(model);
      expect(graph.spec).toMatchObject(spec);
      const again = fromModelGraph(rt, graph).eval();
      expect(again.forward(input).dataSync()).toEqual(model.forward(input).dataSync());
    }
  });
});

import { assertGradcheck, createRuntime, NeuriteError, ops, ShapeError, type Tensor } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';

const rt = createRuntime({ seed: 11 });
const x = rt.arange(24).reshape([2, 3, 4]);

describe('reductions: hand-computed values', () => {
  it('sum over one, several, all axes, with keepDims', () => {
    expect(x.sum(2).toArraySync()).toEqual([
      [6, 22, 38],
      [54, 70, 86],
    ]);
    expect(x.sum([0, 2]).toArraySync()).toEqual([60, 92, 124]);
    expect(x.sum(0, true).shape).toEqual([1, 3, 4]);
    expect(x.sum().itemSync()).toBe(276);
  });
  it('mean, max, min, argmax', () => {
    expect(x.mean(1).toArraySync()).toEqual([
      [4, 5, 6, 7],
      [16, 17, 18, 19],
    ]);
    expect(x.max([1, 2]).toArraySync()).toEqual([11, 23]);
    expect(x.min(0).toArraySync()).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9, 10, 11],
    ]);
    const y = rt.tensor([
      [1, 5, 5],
      [7, 2, 0],
    ]);
    expect(y.argmax(1).toArraySync()).toEqual([1, 0]);
    expect(y.argmax(0).dtype).toBe('int32');
  });
  it('softmax, logSoftmax, logsumexp, variance', () => {
    const y = rt.tensor([[1, 2, 3]]);
    const s = Array.from(y.softmax().dataSync());
    for (const [i, v] of [0.090031, 0.244728, 0.665241].entries()) expect(s[i]).toBeCloseTo(v, 5);
    const ls = Array.from(y.logSoftmax().dataSync());
    for (const [i, v] of [-2.407606, -1.407606, -0.407606].entries()) expect(ls[i]).toBeCloseTo(v, 5);
    expect(y.logsumexp().itemSync()).toBeCloseTo(3.407606, 5);
    expect(rt.tensor([1, 2, 3, 4]).variance().itemSync()).toBeCloseTo(1.25, 6);
    expect(rt.tensor([1, 2, 3, 4]).variance(0, false, 1).itemSync()).toBeCloseTo(5 / 3, 6);
  });
  it('softmax is stable for large logits', () => {
    const s = rt.tensor([1000, 1001]).softmax();
    expect(Array.from(s.dataSync()).every(Number.isFinite)).toBe(true);
  });
  it('spike sums are float32 counts', () => {
    const s = rt.tensor([1, 0, 1, 1]).cast('spike');
    expect(s.sum().dtype).toBe('float32');
    expect(s.sum().itemSync()).toBe(3);
  });
});

describe('movement: hand-computed values', () => {
  it('reshape with -1, flatten, squeeze, unsqueeze', () => {
    expect(x.reshape([4, -1]).shape).toEqual([4, 6]);
    expect(x.flatten(1).shape).toEqual([2, 12]);
    expect(x.unsqueeze(1).shape).toEqual([2, 1, 3, 4]);
    expect(x.unsqueeze(1).squeeze(1).shape).toEqual([2, 3, 4]);
    expect(() => x.reshape([5, -1])).toThrow(ShapeError);
  });
  it('permute and transpose', () => {
    const t = rt.arange(6).reshape([2, 3]).transpose();
    expect(t.toArraySync()).toEqual([
      [0, 3],
      [1, 4],
      [2, 5],
    ]);
    const p = x.permute([2, 0, 1]);
    expect(p.shape).toEqual([4, 2, 3]);
    expect(p.toArraySync()).toEqual([
      [
        [0, 4, 8],
        [12, 16, 20],
      ],
      [
        [1, 5, 9],
        [13, 17, 21],
      ],
      [
        [2, 6, 10],
        [14, 18, 22],
      ],
      [
        [3, 7, 11],
        [15, 19, 23],
      ],
    ]);
  });
  it('slice with negative bounds and steps', () => {
    expect(x.slice([1, 0, 1], [2, 3, 4], [1, 2, 2]).toArraySync()).toEqual([
      [
        [13, 15],
        [21, 23],
      ],
    ]);
    expect(x.slice([0, -1]).toArraySync()).toEqual([[[8, 9, 10, 11]], [[20, 21, 22, 23]]]);
  });
  it('indexSelect, gather, concat, stack, pad, flip, broadcastTo', () => {
    const m = rt.arange(6).reshape([2, 3]);
    const idx = rt.tensor([2, 0, 2], { dtype: 'int32' });
    expect(m.indexSelect(1, idx).toArraySync()).toEqual([
      [2, 0, 2],
      [5, 3, 5],
    ]);
    expect(m.gather(1, rt.tensor([[1], [0]], { dtype: 'int32' })).toArraySync()).toEqual([[1], [3]]);
    expect(ops.concat([m, m.mul(10)], 1).toArraySync()).toEqual([
      [0, 1, 2, 0, 10, 20],
      [3, 4, 5, 30, 40, 50],
    ]);
    expect(ops.stack([m, m], 0).shape).toEqual([2, 2, 3]);
    expect(
      m
        .pad(
          [
            [1, 0],
            [0, 2],
          ],
          -1,
        )
        .toArraySync(),
    ).toEqual([
      [-1, -1, -1, -1, -1],
      [0, 1, 2, -1, -1],
      [3, 4, 5, -1, -1],
    ]);
    expect(m.flip(1).toArraySync()).toEqual([
      [2, 1, 0],
      [5, 4, 3],
    ]);
    expect(rt.tensor([1, 2, 3]).broadcastTo([2, 3]).toArraySync()).toEqual([
      [1, 2, 3],
      [1, 2, 3],
    ]);
  });
  it('an out-of-range index is an error, not garbage', () => {
    const m = rt.arange(6).reshape([2, 3]);
    expect(() => m.indexSelect(1, rt.tensor([3], { dtype: 'int32' }))).toThrow(NeuriteError);
    expect(() => m.indexSelect(1, rt.tensor([1]))).toThrow(/int32/);
  });
});

describe('gradcheck of reductions and movement', () => {
  const r = createRuntime({ seed: 5 });
  const a = r.randn([2, 3, 4], { dtype: 'float64' });
  const cases: [string, (t: Tensor) => Tensor][] = [
    ['sum', (t) => t.sum([0, 2])],
    ['mean', (t) => t.mean(1)],
    ['max', (t) => t.max(2)],
    ['min', (t) => t.min([0, 1])],
    ['softmax', (t) => t.softmax(1)],
    ['logSoftmax', (t) => t.logSoftmax(-1)],
    ['logsumexp', (t) => t.logsumexp(2)],
    ['variance', (t) => t.variance([0, 2], false, 1)],
    ['reshape', (t) => t.reshape([6, 4]).mul(t.reshape([6, 4]))],
    ['permute', (t) => t.permute([2, 0, 1]).square()],
    ['slice', (t) => t.slice([0, 1, 0], [2, 3, 4], [1, 1, 3]).square()],
    ['indexSelect', (t) => t.indexSelect(2, r.tensor([3, 0, 3], { dtype: 'int32' })).square()],
    ['gather', (t) => t.gather(2, r.tensor([[[1, 1]], [[3, 0]]], { dtype: 'int32' })).square()],
    ['concat', (t) => ops.concat([t, t.square()], 1)],
    ['stack', (t) => ops.stack([t, t.exp()], 1)],
    [
      'pad',
      (t) =>
        t
          .pad(
            [
              [0, 1],
              [2, 0],
              [1, 1],
            ],
            0.5,
          )
          .square(),
    ],
    ['flip', (t) => t.flip([0, 2]).mul(a.detach())],
    ['broadcastTo', (t) => t.sum(1, true).broadcastTo([2, 3, 4]).square()],
  ];
  for (const [name, f] of cases) it(name, () => assertGradcheck(name, f, [a]));
});

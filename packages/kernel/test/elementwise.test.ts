import { assertGradcheck, createRuntime, ops, ShapeError, type Tensor } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';

const rt = createRuntime({ seed: 7 });
const close = (t: Tensor, expected: number[], digits = 5) => {
  for (const [i, v] of Array.from(t.dataSync()).entries()) expect(v).toBeCloseTo(expected[i]!, digits);
};

describe('unary ops: hand-computed values', () => {
  const x = rt.tensor([-2, -0.5, 0, 0.5, 2.5]);
  const cases: [string, (t: Tensor) => Tensor, number[]][] = [
    ['neg', (t) => t.neg(), [2, 0.5, 0, -0.5, -2.5]],
    ['exp', (t) => t.exp(), [0.135335, 0.606531, 1, 1.648721, 12.182494]],
    ['tanh', (t) => t.tanh(), [-0.964028, -0.462117, 0, 0.462117, 0.986614]],
    ['sigmoid', (t) => t.sigmoid(), [0.119203, 0.377541, 0.5, 0.622459, 0.924142]],
    ['relu', (t) => t.relu(), [0, 0, 0, 0.5, 2.5]],
    ['abs', (t) => t.abs(), [2, 0.5, 0, 0.5, 2.5]],
    ['square', (t) => t.square(), [4, 0.25, 0, 0.25, 6.25]],
    ['sign', (t) => t.sign(), [-1, -1, 0, 1, 1]],
    ['floor', (t) => t.floor(), [-2, -1, 0, 0, 2]],
    // Half to even: -0.5 → -0, 0.5 → 0, 2.5 → 2.
    ['round', (t) => t.round(), [-2, -0, 0, 0, 2]],
    ['sin', (t) => t.sin(), [-0.909297, -0.479426, 0, 0.479426, 0.598472]],
    ['cos', (t) => t.cos(), [-0.416147, 0.877583, 1, 0.877583, -0.801144]],
    ['clamp', (t) => t.clamp(-1, 1), [-1, -0.5, 0, 0.5, 1]],
  ];
  for (const [name, f, expected] of cases) it(name, () => close(f(x), expected));

  it('log, sqrt, reciprocal on positives', () => {
    const p = rt.tensor([0.25, 1, 4]);
    close(p.log(), [-1.386294, 0, 1.386294]);
    close(p.sqrt(), [0.5, 1, 2]);
    close(p.reciprocal(), [4, 1, 0.25]);
  });
});

describe('binary ops and broadcasting', () => {
  const a = rt.tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  it('broadcasts a row, a column and a scalar', () => {
    expect(a.add(rt.tensor([10, 20, 30])).toArraySync()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    expect(a.mul(rt.tensor([[2], [3]])).toArraySync()).toEqual([
      [2, 4, 6],
      [12, 15, 18],
    ]);
    expect(a.sub(1).toArraySync()).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
    expect(ops.sub(10, a).toArraySync()).toEqual([
      [9, 8, 7],
      [6, 5, 4],
    ]);
  });
  it('broadcasts [2,1,3] with [4,1] to [2,4,3]', () => {
    const x = rt.arange(6).reshape([2, 1, 3]);
    const y = rt.arange(4).reshape([4, 1]).mul(100);
    const z = x.add(y);
    expect(z.shape).toEqual([2, 4, 3]);
    expect(z.toArraySync()).toEqual([
      [
        [0, 1, 2],
        [100, 101, 102],
        [200, 201, 202],
        [300, 301, 302],
      ],
      [
        [3, 4, 5],
        [103, 104, 105],
        [203, 204, 205],
        [303, 304, 305],
      ],
    ]);
  });
  it('div, pow, maximum, minimum', () => {
    close(a.div(2), [0.5, 1, 1.5, 2, 2.5, 3]);
    close(a.pow(2), [1, 4, 9, 16, 25, 36]);
    close(a.maximum(3.5), [3.5, 3.5, 3.5, 4, 5, 6]);
    close(a.minimum(rt.tensor([2, 2, 7])), [1, 2, 3, 2, 2, 6]);
  });
  it('comparisons give 0/1 spikes', () => {
    const c = a.gt(3);
    expect(c.dtype).toBe('spike');
    expect(Array.from(c.dataSync())).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(a.eq(rt.tensor([1, 0, 3])).dataSync())).toEqual([1, 0, 1, 0, 0, 0]);
    expect(Array.from(a.le(2).dataSync())).toEqual([1, 1, 0, 0, 0, 0]);
  });
  it('where selects with broadcasting', () => {
    const w = ops.where(rt.tensor([1, 0, 1]).cast('spike'), a, -1);
    expect(w.toArraySync()).toEqual([
      [1, -1, 3],
      [4, -1, 6],
    ]);
  });
  it('spike arithmetic yields float32 and cast to spike is 0/1', () => {
    const s = rt.tensor([0, 2, -3]).cast('spike');
    expect(Array.from(s.dataSync())).toEqual([0, 1, 1]);
    const f = s.mul(0.5);
    expect(f.dtype).toBe('float32');
    expect(Array.from(f.dataSync())).toEqual([0, 0.5, 0.5]);
  });
  it('int32 stays integer, division becomes float', () => {
    const i = rt.tensor([7, -7], { dtype: 'int32' });
    expect(i.add(1).dtype).toBe('int32');
    expect(i.div(2).dtype).toBe('float32');
    close(i.div(2), [3.5, -3.5]);
  });
  it('shape errors name the op and both shapes', () => {
    expect(() => a.add(rt.tensor([1, 2]))).toThrow(ShapeError);
    expect(() => a.add(rt.tensor([1, 2]))).toThrow(/add: cannot broadcast .*\[2, 3\], \[2\]/);
  });
});

describe('gradcheck of every elementwise op', () => {
  const r = createRuntime({ seed: 3 });
  const x = r.rand([2, 3], { low: 0.3, high: 1.7, dtype: 'float64' });
  const y = r.rand([3], { low: 0.4, high: 1.3, dtype: 'float64' });
  const signed = r.rand([2, 3], { low: -1.5, high: 1.5, dtype: 'float64' });
  const unary: [string, (t: Tensor) => Tensor, Tensor][] = [
    ['neg', (t) => t.neg(), signed],
    ['exp', (t) => t.exp(), signed],
    ['log', (t) => t.log(), x],
    ['tanh', (t) => t.tanh(), signed],
    ['sigmoid', (t) => t.sigmoid(), signed],
    ['relu', (t) => t.relu(), signed],
    ['abs', (t) => t.abs(), signed],
    ['sqrt', (t) => t.sqrt(), x],
    ['square', (t) => t.square(), signed],
    ['sin', (t) => t.sin(), signed],
    ['cos', (t) => t.cos(), signed],
    ['reciprocal', (t) => t.reciprocal(), x],
    ['clamp', (t) => t.clamp(-0.5, 0.5), signed],
  ];
  for (const [name, f, input] of unary) it(name, () => assertGradcheck(name, f, [input]));

  const binary: [string, (a: Tensor, b: Tensor) => Tensor][] = [
    ['add', (a, b) => a.add(b)],
    ['sub', (a, b) => a.sub(b)],
    ['mul', (a, b) => a.mul(b)],
    ['div', (a, b) => a.div(b)],
    ['pow', (a, b) => a.pow(b)],
    ['maximum', (a, b) => a.maximum(b)],
    ['minimum', (a, b) => a.minimum(b)],
  ];
  for (const [name, f] of binary) it(`${name} with broadcasting`, () => assertGradcheck(name, f, [x, y]));

  it('where and cast', () => {
    const cond = signed.gt(0);
    assertGradcheck('where', (a, b) => ops.where(cond, a, b), [signed, y]);
    assertGradcheck('cast', (a) => a.cast('float32').cast('float64').mul(a), [signed], {
      eps: 1e-3,
      atol: 2e-3,
    });
  });
  it('sign, floor and round have zero gradient', () => {
    for (const f of [(t: Tensor) => t.sign(), (t: Tensor) => t.floor(), (t: Tensor) => t.round()]) {
      const leaf = signed.detach().requireGrad();
      f(leaf).sum().backward();
      expect(Array.from(leaf.grad!.dataSync()).every((v) => v === 0)).toBe(true);
    }
  });
});

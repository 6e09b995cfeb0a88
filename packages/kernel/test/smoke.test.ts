import { assertGradcheck, createRuntime } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';

describe('smoke', () => {
  it('adds and differentiates', () => {
    const rt = createRuntime();
    const a = rt.tensor([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    const b = rt.tensor([10, 20, 30]);
    expect(a.add(b).toArraySync()).toEqual([
      [11, 22, 33],
      [14, 25, 36],
    ]);
    const w = rt.randn([3, 4], { dtype: 'float64' });
    assertGradcheck('matmul', (x, y) => x.matmul(y).tanh().sum(1), [a.cast('float64'), w]);
  });
});

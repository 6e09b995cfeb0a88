import { createRuntime, defineOp, NeuriteError, Rng, ShapeError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';

describe('autograd', () => {
  const rt = createRuntime({ seed: 4 });

  it('computes a hand-derived gradient and accumulates across backward calls', () => {
    const x = rt.tensor([1, 2, 3]).requireGrad();
    // y = Σ x² + 3x → dy/dx = 2x + 3
    x.square().add(x.mul(3)).sum().backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([5, 7, 9]);
    x.square().sum().backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([7, 11, 15]);
  });

  it('sums gradients of a tensor used twice (diamond)', () => {
    const x = rt.tensor([2]).requireGrad();
    const y = x.mul(x).add(x.exp().mul(x));
    y.sum().backward();
    // d/dx (x² + x eˣ) = 2x + eˣ(1 + x)
    expect(x.grad!.itemSync()).toBeCloseTo(4 + Math.exp(2) * 3, 4);
  });

  it('does not record under noGrad, and detach cuts the tape', () => {
    const x = rt.tensor([1, 2]).requireGrad();
    const y = rt.noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    const z = x.mul(2).detach().mul(x);
    z.sum().backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([2, 4]);
  });

  it('rejects backward without grad, on non-scalars without a seed, and twice without retainGraph', () => {
    expect(() => rt.tensor([1]).sum().backward()).toThrow(NeuriteError);
    const x = rt.tensor([1, 2]).requireGrad();
    expect(() => x.mul(2).backward()).toThrow(ShapeError);
    const y = x.mul(x).sum();
    y.backward();
    expect(() => y.backward()).toThrow(/already freed/);
    const z = x.mul(x).sum();
    z.backward(undefined, { retainGraph: true });
    z.backward();
  });

  it('accepts an explicit seed gradient', () => {
    const x = rt.tensor([1, 2, 3]).requireGrad();
    x.mul(2).backward(rt.tensor([1, 0, -1]));
    expect(Array.from(x.grad!.dataSync())).toEqual([2, 0, -2]);
  });

  it('handles a deep chain without recursion limits', () => {
    const x = rt.tensor([1]).requireGrad();
    let y = x;
    for (let i = 0; i < 20000; i++) y = y.mul(1.0001);
    y.sum().backward();
    expect(x.grad!.itemSync()).toBeCloseTo(1.0001 ** 20000, 0);
  });

  it('runs a custom op with a hand-written backward', () => {
    const r = createRuntime();
    // A straight-through step: forward Heaviside, backward passes the gradient where |x| < 1.
    const step = defineOp({
      name: 'test_step',
      infer: ([x]) => [{ shape: x!.shape, dtype: 'spike' }],
      grad: ({ inputs: [x], grads: [g] }) => [g!.mul(x!.abs().lt(1))],
    });
    r.registry('op').add(step, 'test');
    r.registry('kernel').add(
      {
        name: 'test_step@cpu',
        op: 'test_step',
        backend: 'cpu',
        fn: ({ inputs: [x] }) => [Uint8Array.from(x!.handle as Float32Array, (v) => (v > 0 ? 1 : 0))],
      },
      'test',
    );
    const x = r.tensor([-2, -0.5, 0.5, 3]).requireGrad();
    const s = r.run1('test_step', [x]);
    expect(Array.from(s.dataSync())).toEqual([0, 0, 1, 1]);
    s.mul(r.tensor([1, 2, 3, 4]))
      .sum()
      .backward();
    expect(Array.from(x.grad!.dataSync())).toEqual([0, 2, 3, 0]);
  });
});

describe('randomness', () => {
  it('gives identical tensors for identical seeds and different ones otherwise', () => {
    const a = createRuntime({ seed: 42 }).randn([100]).dataSync();
    const b = createRuntime({ seed: 42 }).randn([100]).dataSync();
    const c = createRuntime({ seed: 43 }).randn([100]).dataSync();
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(Array.from(a)).not.toEqual(Array.from(c));
  });

  it('split streams are independent of the order other streams are drawn in', () => {
    const root1 = new Rng(9);
    const s1 = root1.split();
    const s2 = root1.split();
    const root2 = new Rng(9);
    const t1 = root2.split();
    const t2 = root2.split();
    t2.uniform();
    expect(s1.uniform()).toBe(t1.uniform());
    expect(s2.uniform()).not.toBe(s1.uniform());
  });

  it('restores a stream from its saved state', () => {
    const r = new Rng(5);
    r.normal();
    const state = r.getState();
    const expected = [r.normal(), r.uniform(), r.int(10)];
    const restored = new Rng(0);
    restored.setState(JSON.parse(JSON.stringify(state)));
    expect([restored.normal(), restored.uniform(), restored.int(10)]).toEqual(expected);
  });

  it('draws uniform and normal samples with the right moments', () => {
    const rt = createRuntime({ seed: 1 });
    const u = rt.rand([20000]);
    const n = rt.randn([20000], { mean: 2, std: 3 });
    expect(u.mean().itemSync()).toBeCloseTo(0.5, 1);
    expect(u.variance().itemSync()).toBeCloseTo(1 / 12, 2);
    expect(n.mean().itemSync()).toBeCloseTo(2, 1);
    expect(Math.sqrt(n.variance().itemSync())).toBeCloseTo(3, 1);
    const s = rt.bernoulli(0.2, [20000]);
    expect(s.dtype).toBe('spike');
    expect(s.sum().itemSync() / 20000).toBeCloseTo(0.2, 1);
  });
});

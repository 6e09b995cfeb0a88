import { assertGradcheck, ShapeError, type Tensor } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { dcls1d } from '../src/ops/dcls1d.js';
import { maxAbsDiff, referenceDcls, runtime } from './helpers.js';

const rt = runtime(7);

/** Random inputs: x with a given share of non-zeros (sparse inputs take the event-driven path). */
function inputs(T: number, B: number, Cin: number, Cout: number, K: number, density: number, seed = 1) {
  const r = runtime(seed);
  const lim = Math.floor(K / 2);
  const x = r.rand([T, B, Cin]).mul(r.rand([T, B, Cin]).lt(density).cast('float32'));
  const w = r.randn([Cout, Cin]);
  const p = r.rand([Cout, Cin], { low: -lim, high: lim });
  return {
    x: rt.fromArray(x.dataSync(), x.shape),
    w: rt.fromArray(w.dataSync(), w.shape),
    p: rt.fromArray(p.dataSync(), p.shape),
  };
}

describe('dcls1d op (cpu kernel)', () => {
  for (const [version, sig] of [
    ['gauss', 0.23],
    ['gauss', 4.5],
    ['max', 0.4],
  ] as const) {
    for (const density of [0.1, 1]) {
      it(`${version} SIG ${sig}, ${density < 1 ? 'sparse' : 'dense'} input: equals padding + dense correlation`, () => {
        const [T, B, Cin, Cout, K] = [11, 3, 4, 5, 7];
        const { x, w, p } = inputs(T, B, Cin, Cout, K, density);
        const y = dcls1d(x, w, p, sig, { kernelSize: K, version });
        expect(y.shape).toEqual([T + 3, B, Cout]);
        const ref = referenceDcls(x.dataSync(), x.shape, w.dataSync(), p.dataSync(), Cout, K, version, sig);
        expect(maxAbsDiff(y.dataSync(), ref)).toBeLessThan(2e-6);
      });
    }
  }

  it('spike inputs give the same result as the same 0/1 values in float32', () => {
    const [T, B, Cin, Cout, K] = [20, 4, 6, 3, 9];
    const { w, p } = inputs(T, B, Cin, Cout, K, 1);
    const spikes = rt.rand([T, B, Cin]).lt(0.2);
    expect(spikes.dtype).toBe('spike');
    const a = dcls1d(spikes, w, p, 1.1, { kernelSize: K });
    const b = dcls1d(spikes.cast('float32'), w, p, 1.1, { kernelSize: K });
    expect(maxAbsDiff(a.dataSync(), b.dataSync())).toBe(0);
  });

  it('the truncated kernel agrees with the dense one (truncate = ∞) to float32 resolution', () => {
    const [T, B, Cin, Cout, K] = [30, 2, 5, 4, 25];
    for (const sig of [0, 0.23, 2, 12]) {
      const { x, w, p } = inputs(T, B, Cin, Cout, K, 0.3, 3);
      const cut = dcls1d(x, w, p, sig, { kernelSize: K, truncate: 6 });
      const full = dcls1d(x, w, p, sig, { kernelSize: K, truncate: Number.POSITIVE_INFINITY });
      const scale = Math.max(...Array.from(full.dataSync(), Math.abs));
      expect(maxAbsDiff(cut.dataSync(), full.dataSync())).toBeLessThan(1e-6 * scale);
    }
  });

  it('an impulse at t0 comes out at t0 + lim − p (max, SIG 0, integer positions)', () => {
    const [T, K] = [12, 5];
    const lim = 2;
    for (const pos of [-2, -1, 0, 1, 2]) {
      const impulse = new Float32Array(T);
      impulse[3] = 1;
      const x = rt.fromArray(impulse, [T, 1, 1]);
      const y = dcls1d(x, rt.tensor([[0.75]]), rt.tensor([[pos]]), 0, {
        kernelSize: K,
        version: 'max',
      }).dataSync();
      const expected = new Float32Array(T + lim);
      expected[3 + lim - pos] = 0.75;
      expect(maxAbsDiff(y, expected)).toBeLessThan(1e-6);
    }
  });

  it('an impulse through a Gaussian bump is centred at t0 + lim − p', () => {
    const [T, K] = [40, 25];
    const impulse = new Float32Array(T);
    impulse[5] = 1;
    const y = dcls1d(rt.fromArray(impulse, [T, 1, 1]), rt.tensor([[1]]), rt.tensor([[-3.25]]), 2, {
      kernelSize: K,
    }).dataSync();
    let mass = 0;
    let moment = 0;
    y.forEach((v, t) => {
      mass += v;
      moment += v * t;
    });
    expect(mass).toBeCloseTo(1, 4);
    expect(moment / mass).toBeCloseTo(5 + 12 + 3.25, 2);
  });

  for (const [version, sig, density] of [
    ['gauss', 0.23, 1],
    ['gauss', 2.3, 0.3],
    ['max', 0.35, 1],
    ['max', 0.35, 0.3],
  ] as const) {
    it(`gradcheck (float64) on input, weights and positions: ${version} SIG ${sig}, density ${density}`, () => {
      const [T, B, Cin, Cout, K] = [7, 2, 3, 2, 5];
      const { x, w, p } = inputs(T, B, Cin, Cout, K, density, 11);
      const fn = (xx: Tensor, ww: Tensor, pp: Tensor) => dcls1d(xx, ww, pp, sig, { kernelSize: K, version });
      assertGradcheck(`dcls1d ${version}`, fn, [x, w, p], { atol: 1e-6, rtol: 1e-5 });
    });
  }

  it('gradcheck with only the positions requiring grad (gauss, wide bump, long kernel)', () => {
    const [T, B, Cin, Cout, K] = [16, 1, 2, 2, 11];
    const { x, w, p } = inputs(T, B, Cin, Cout, K, 0.5, 5);
    const fn = (pp: Tensor) => dcls1d(x.cast('float64'), w.cast('float64'), pp, 1.7, { kernelSize: K });
    assertGradcheck('dcls1d positions', fn, [p], { atol: 1e-6, rtol: 1e-5 });
  });

  it('rejects bad shapes and attrs with ShapeError', () => {
    const x = rt.zeros([4, 2, 3]);
    expect(() => dcls1d(x, rt.zeros([5, 2]), rt.zeros([5, 2]), 0, { kernelSize: 5 })).toThrow(ShapeError);
    expect(() => dcls1d(x, rt.zeros([5, 3]), rt.zeros([5, 2]), 0, { kernelSize: 5 })).toThrow(/positions/);
    expect(() => dcls1d(x.reshape([8, 3]), rt.zeros([5, 3]), rt.zeros([5, 3]), 0, { kernelSize: 5 })).toThrow(
      /time-major/,
    );
    expect(() => dcls1d(x, rt.zeros([5, 3]), rt.zeros([5, 3]), 0, { kernelSize: 0 })).toThrow(/kernelSize/);
    expect(() => dcls1d(x, rt.zeros([5, 3]), rt.zeros([5, 3]), rt.zeros([2]), { kernelSize: 5 })).toThrow(
      /sig/,
    );
  });
});

import { assertGradcheck, type Tensor } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { ABSENT } from '../src/ops/attrs.js';
import { membraneStd } from '../src/ops/membrane-std.js';
import { surrogateSpike } from '../src/ops/scan.js';
import { erf } from '../src/surrogates/erf.js';
import { resolveSurrogate, surrogateOf } from '../src/surrogates/resolve.js';
import { runtime } from './helpers.js';

/** z values that avoid the kinks of the triangle (0, ±width) where finite differences are one-sided. */
const GRID = [-2.3, -1.4, -0.83, -0.41, -0.17, -0.033, 0.021, 0.12, 0.29, 0.47, 0.77, 1.3, 2.6];

const SETTINGS: [string, Record<string, number | string>][] = [
  ['atan', {}],
  ['atan', { alpha: 5 }],
  ['fast-sigmoid', {}],
  ['fast-sigmoid', { slope: 3 }],
  ['superspike', {}],
  ['sigmoid', { slope: 4 }],
  ['sigmoid', {}],
  ['triangle', {}],
  ['triangle', { width: 0.5, scale: 0.3 }],
  ['straight-through', {}],
  ['pdsg', {}],
];

describe('surrogate gradients', () => {
  it('every registered surrogate is covered here', () => {
    const rt = runtime();
    expect(new Set(SETTINGS.map(([n]) => n))).toEqual(new Set(rt.registry('surrogate').names()));
  });

  it.each(SETTINGS)(
    'gradcheck: the backward of surrogate_spike (%s %o) is the derivative of its primitive',
    (name, given) => {
      const rt = runtime();
      const spec = resolveSurrogate(rt, { type: name, ...given });
      const { def, params } = surrogateOf(rt, spec);
      const sigmaValue = 0.8;
      const sigma = def.membraneStd ? rt.full([], sigmaValue, { dtype: 'float64' }) : undefined;
      // Forward: the primitive's values (host, double precision); backward: the spike op's surrogate.
      const fn = (z: Tensor) => {
        const primitive = Float64Array.from(z.dataSync(), (v) => def.primitive(v, params, sigmaValue));
        const spikes = surrogateSpike(z, spec, sigma);
        return rt.fromArray(primitive, z.shape, { dtype: 'float64' }).add(spikes.sub(spikes.detach()));
      };
      assertGradcheck(name, fn, [rt.tensor(GRID, { dtype: 'float64' })], { atol: 1e-6, rtol: 1e-5 });
    },
  );

  it('the spike itself is the strict Heaviside step z > 0, as dtype spike', () => {
    const rt = runtime();
    const s = surrogateSpike(rt.tensor([-1, 0, 1e-7, 2]), { name: 'atan', alpha: 2 });
    expect(s.dtype).toBe('spike');
    expect(Array.from(s.dataSync())).toEqual([0, 0, 1, 1]);
  });

  it('atan matches snnTorch/SpikingJelly: φ(0) = α/2, φ(1/(π/2·α)) = α/4', () => {
    const rt = runtime();
    const { def, params } = surrogateOf(rt, resolveSurrogate(rt, 'atan'));
    const phi = def.derivative(rt.tensor([0, 1 / Math.PI], { dtype: 'float64' }), params).dataSync();
    expect(phi[0]).toBeCloseTo(1, 12);
    expect(phi[1]).toBeCloseTo(0.5, 12);
  });

  it('PDSG peaks at z = σ/2 with 1/(√(2π)σ) = 0.49868 for σ = 0.8, and integrates to 1', () => {
    const rt = runtime();
    const { def } = surrogateOf(rt, resolveSurrogate(rt, 'pdsg'));
    const sigma = rt.full([], 0.8, { dtype: 'float64' });
    const z = rt.tensor([0.4, 0.39, 0.41], { dtype: 'float64' });
    const phi = def.derivative(z, {}, sigma).dataSync();
    expect(phi[0]).toBeCloseTo(0.49868, 5);
    expect(phi[0]).toBeGreaterThan(phi[1]!);
    expect(phi[0]).toBeGreaterThan(phi[2]!);
    // Midpoint rule over ±8σ around the mean.
    const n = 4000;
    const grid = Float64Array.from({ length: n }, (_, k) => 0.4 - 6.4 + (12.8 * (k + 0.5)) / n);
    const values = def.derivative(rt.fromArray(grid, [n], { dtype: 'float64' }), {}, sigma).dataSync();
    const integral = values.reduce((a, b) => a + b, 0) * (12.8 / n);
    expect(integral).toBeCloseTo(1, 6);
  });

  it('PDSG in the fused backward kernel gives the same peak (σ passed as an input)', () => {
    const rt = runtime();
    const f = (v: number[]) => rt.tensor(v, { shape: [1, 1, 1] });
    const absent = rt.zeros(ABSENT);
    // One neuron, one step: h = 1.4, θ = 1, so z = 0.4 = σ/2; the loss is the spike.
    const attrs = {
      spiking: true,
      synapse: false,
      adaptive: false,
      reset: 'none',
      vReset: 0,
      detachReset: false,
    };
    const [s, h] = rt.run(
      'lif_scan',
      [f([1.4]), absent, absent, absent, rt.scalar(0.5), absent, rt.scalar(1), absent, absent],
      {
        ...attrs,
        surrogate: { name: 'pdsg', scope: 'layer' },
      },
    );
    const grads = rt.run(
      'lif_scan_grad',
      [
        f([1]),
        absent,
        absent,
        absent,
        absent,
        absent,
        absent,
        s!,
        h!,
        absent,
        absent,
        absent,
        absent,
        absent,
        rt.scalar(0.5),
        absent,
        rt.scalar(1),
        absent,
        absent,
        rt.tensor([0.8]),
      ],
      {
        ...attrs,
        surrogate: { name: 'pdsg' },
        needs: [true, false, false, false, false, false, false, false, false],
      },
    );
    expect(grads[0]!.dataSync()[0]).toBeCloseTo(0.49868, 5);
  });

  it('erf is accurate in double precision', () => {
    // Reference values (Abramowitz & Stegun table 7.1, extended precision).
    expect(erf(0.5)).toBeCloseTo(0.5204998778130465, 13);
    expect(erf(1)).toBeCloseTo(0.8427007929497149, 13);
    expect(erf(2.5)).toBeCloseTo(0.999593047982555, 13);
    expect(erf(3.5)).toBeCloseTo(0.9999992569016276, 13);
    expect(erf(-1.7)).toBeCloseTo(-0.9837904585907746, 13);
  });

  it('membraneStd is the running unbiased std per channel (over batch and positions) or per layer', () => {
    const rt = runtime();
    const [T, B, C, W] = [4, 3, 2, 5];
    const h = rt.randn([T, B, C, W], { std: 1.3, mean: 0.2 });
    const data = h.dataSync();
    const naive = (t: number, c: number | null) => {
      const vals: number[] = [];
      for (let u = 0; u <= t; u++)
        for (let b = 0; b < B; b++)
          for (let cc = 0; cc < C; cc++)
            for (let w = 0; w < W; w++)
              if (c === null || cc === c) vals.push(data[((u * B + b) * C + cc) * W + w]!);
      const m = vals.reduce((a, v) => a + v, 0) / vals.length;
      return Math.sqrt(vals.reduce((a, v) => a + (v - m) ** 2, 0) / (vals.length - 1));
    };
    const perChannel = membraneStd(h, 'channel').dataSync();
    expect(perChannel.length).toBe(T * C * W);
    for (let t = 0; t < T; t++)
      for (let c = 0; c < C; c++)
        for (let w = 0; w < W; w++) expect(perChannel[(t * C + c) * W + w]).toBeCloseTo(naive(t, c), 4);
    const perLayer = membraneStd(h, 'layer').dataSync();
    expect(perLayer.length).toBe(T);
    for (let t = 0; t < T; t++) expect(perLayer[t]).toBeCloseTo(naive(t, null), 4);
    // A single value has no spread: σ falls back to 1.
    expect(membraneStd(rt.tensor([[[0.3]]]), 'layer').dataSync()[0]).toBe(1);
  });

  it('an unknown surrogate or a bad parameter is a validation error naming the path', () => {
    const rt = runtime();
    expect(() => resolveSurrogate(rt, 'nope', 'model.layers.1.surrogate')).toThrow(
      /model\.layers\.1\.surrogate\.type: unknown surrogate 'nope'/,
    );
    expect(() => resolveSurrogate(rt, { type: 'atan', alpha: -1 }, 's')).toThrow(/s\.alpha/);
  });
});

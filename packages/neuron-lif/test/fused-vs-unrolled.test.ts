import { definePlugin, type Runtime, type Tensor } from '@neurite/kernel';
import { type } from 'arktype';
import { describe, expect, it } from 'vitest';
import type { ResetMode, SurrogateSpec } from '../src/ops/attrs.js';
import { lifScan } from '../src/ops/scan.js';
import { closeness, runtime } from './helpers.js';
import { type RefParams, unrolledScan } from './reference.js';

type Kind = 'if' | 'lif' | 'cuba' | 'alif' | 'li' | 'cuba-li';
const T = 7;
const B = 3;
const F = [2, 3];
const P = 6;

function params(rt: Runtime, kind: Kind, perNeuron: boolean): RefParams {
  const shape = perNeuron ? F : [];
  const u = (low: number, high: number) => rt.rand(shape, { low, high }).requireGrad();
  const p: RefParams = { beta: kind === 'if' ? rt.ones(shape).requireGrad() : u(0.6, 0.95) };
  if (kind !== 'li' && kind !== 'cuba-li') p.threshold = u(0.4, 0.8);
  if (kind === 'cuba' || kind === 'cuba-li') p.alpha = u(0.5, 0.9);
  if (kind === 'alif') {
    p.rho = u(0.7, 0.95);
    p.kappa = u(0.1, 0.5);
  }
  return p;
}

const leaves = (p: RefParams) => Object.values(p).filter((t): t is Tensor => t !== undefined);

function loss(rt: Runtime, r: ReturnType<typeof lifScan>, weights: Tensor[]): Tensor {
  const parts = [r.spikes, r.membrane, r.current, r.adaptation, r.state.v, r.state.i, r.state.a];
  let total = rt.scalar(0);
  parts.forEach((t, k) => {
    if (t) total = total.add(t.mul(weights[k]!.slice([0], [t.size]).reshape(t.shape)).sum());
  });
  return total;
}

const cases: { kind: Kind; reset: ResetMode; detachReset: boolean; perNeuron: boolean }[] = [];
for (const kind of ['if', 'lif', 'cuba', 'alif'] as Kind[]) {
  for (const reset of ['subtract', 'zero', 'none'] as ResetMode[]) {
    for (const detachReset of [false, true])
      cases.push({ kind, reset, detachReset, perNeuron: reset !== 'none' });
  }
}
cases.push({ kind: 'li', reset: 'none', detachReset: false, perNeuron: true });
cases.push({ kind: 'cuba-li', reset: 'none', detachReset: false, perNeuron: false });

describe('lif_scan equals the unrolled autograd recurrence', () => {
  it.each(cases)(
    '$kind, reset $reset, detachReset $detachReset, per-neuron $perNeuron',
    ({ kind, reset, detachReset, perNeuron }) => {
      const rt = runtime(7);
      const x = rt.randn([T, B, ...F], { std: 0.6, mean: 0.25 }).requireGrad();
      const p = params(rt, kind, perNeuron);
      const v0 = rt.randn([B, ...F], { std: 0.3 }).requireGrad();
      const i0 = p.alpha ? rt.randn([B, ...F], { std: 0.3 }).requireGrad() : undefined;
      const a0 = p.rho ? rt.rand([B, ...F]).requireGrad() : undefined;
      const surrogate: SurrogateSpec = { name: 'atan', alpha: 2 };
      const vReset = reset === 'zero' ? 0.1 : 0;
      const weights = Array.from({ length: 7 }, () => rt.randn([T * B * P]));

      const fused = lifScan(
        x,
        p,
        { v: v0, i: i0 ?? null, a: a0 ?? null },
        { reset, detachReset, surrogate, vReset },
      );
      const ref = unrolledScan(
        x,
        p,
        { v: v0, ...(i0 && { i: i0 }), ...(a0 && { a: a0 }) },
        { reset, detachReset, surrogate, vReset },
      );

      // Forward: the same float32 operations in the same order, so equal bit for bit.
      for (const key of ['spikes', 'membrane', 'current', 'adaptation'] as const) {
        const a = fused[key];
        const b = ref[key];
        expect(a === null).toBe(b === null);
        if (a && b) expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
      }
      expect(Array.from(fused.state.v.dataSync())).toEqual(Array.from(ref.state.v.dataSync()));
      if (kind !== 'li' && kind !== 'cuba-li') expect(fused.spikes!.dtype).toBe('spike');

      const wrt = [x, v0, ...(i0 ? [i0] : []), ...(a0 ? [a0] : []), ...leaves(p)];
      loss(rt, fused, weights).backward();
      const fusedGrads = wrt.map((t) => t.grad!);
      for (const t of wrt) t.grad = null;
      loss(rt, ref, weights).backward();
      wrt.forEach((t, k) => {
        expect(t.grad, `gradient ${k}`).not.toBeNull();
        expect(closeness(fusedGrads[k]!, t.grad!), `gradient ${k}`).toBeLessThan(1);
      });
    },
  );
});

/** Naive PDSG σ per step and neuron ([T, P] after [T, B, P] membranes), per neuron as the paper's code. */
function naiveSigma(h: Tensor): number[][] {
  const [T, Bn, Pn] = [h.shape[0]!, h.shape[1]!, h.size / (h.shape[0]! * h.shape[1]!)];
  const d = h.dataSync();
  const out: number[][] = [];
  for (let t = 0; t < T; t++) {
    out.push(
      Array.from({ length: Pn }, (_, f) => {
        const vals: number[] = [];
        for (let u = 0; u <= t; u++) for (let b = 0; b < Bn; b++) vals.push(d[(u * Bn + b) * Pn + f]!);
        const m = vals.reduce((a, v) => a + v, 0) / vals.length;
        const sd = Math.sqrt(vals.reduce((a, v) => a + (v - m) ** 2, 0) / (vals.length - 1));
        return sd > 0 ? sd : 1;
      }),
    );
  }
  return out;
}

describe('surrogates inside the fused scan', () => {
  it('PDSG: σ is the running std of the pre-reset membrane per neuron; fused equals unrolled', () => {
    const rt = runtime(3);
    const N = 5;
    const x = rt.randn([T, B, N], { std: 0.8, mean: 0.3 }).requireGrad();
    const p = { beta: rt.scalar(0.8).requireGrad(), threshold: rt.scalar(0.5).requireGrad() };
    const surrogate: SurrogateSpec = { name: 'pdsg', scope: 'channel' };
    const fused = lifScan(x, p, {}, { reset: 'zero', surrogate });
    const sigma = naiveSigma(fused.membrane);
    const ref = unrolledScan(x, p, {}, { reset: 'zero', surrogate, sigma: (t) => rt.tensor(sigma[t]!) });
    const w = rt.randn([T, B, N]);
    fused.spikes!.mul(w).sum().backward();
    const g = [x.grad!, p.beta.grad!, p.threshold.grad!];
    x.grad = p.beta.grad = p.threshold.grad = null;
    ref.spikes!.mul(w).sum().backward();
    expect(closeness(g[0]!, x.grad!)).toBeLessThan(1);
    expect(closeness(g[1]!, p.beta.grad!)).toBeLessThan(1);
    expect(closeness(g[2]!, p.threshold.grad!)).toBeLessThan(1);
  });

  it('a surrogate registered by another plugin (no fused form) runs through precomputed φ', () => {
    const rt = runtime(4).use(
      definePlugin({
        name: 'test-surrogates',
        version: '1.0.0',
        apiVersion: '^1.0.0',
        setup(ctx) {
          ctx.register('surrogate', {
            name: 'gaussian',
            description: 'exp(−z²/2w²)',
            options: type({ width: 'number > 0 = 0.5' }),
            derivative: (z: Tensor, { width }: { width: number }) =>
              z
                .square()
                .mul(-1 / (2 * width * width))
                .exp(),
            primitive: () => 0,
          });
        },
      }),
    );
    const x = rt.randn([T, B, ...F], { std: 0.6, mean: 0.3 }).requireGrad();
    const p = params(rt, 'alif', true);
    const a0 = rt.rand([B, ...F]);
    const surrogate: SurrogateSpec = { name: 'gaussian', width: 0.5 };
    const fused = lifScan(x, p, { a: a0 }, { reset: 'subtract', surrogate });
    const ref = unrolledScan(x, p, { a: a0 }, { reset: 'subtract', surrogate });
    const w = rt.randn([T, B, ...F]);
    fused.spikes!.mul(w).sum().backward();
    const g = [x, ...leaves(p)].map((t) => t.grad!);
    for (const t of [x, ...leaves(p)]) t.grad = null;
    ref.spikes!.mul(w).sum().backward();
    for (const [k, t] of [x, ...leaves(p)].entries())
      expect(closeness(g[k]!, t.grad!), `gradient ${k}`).toBeLessThan(1);
  });
});

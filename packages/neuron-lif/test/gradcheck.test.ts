import { assertGradcheck, type Tensor } from '@neurite/kernel';
import { describe, it } from 'vitest';
import type { ResetMode } from '../src/ops/attrs.js';
import { lifScan } from '../src/ops/scan.js';
import { runtime } from './helpers.js';

/**
 * Finite differences of the fused scan itself, in float64, where the true derivative exists: the
 * membrane (pre-reset and final) of neurons whose spikes do not feed back into the gradient (leaky
 * integrators, and spiking neurons with a detached reset, whose spikes are locally constant). This checks
 * the kernels' float64 path and every parameter gradient against the kernel's gradcheck, independently of
 * the unrolled reference.
 */
describe('gradcheck of lif_scan (float64)', () => {
  const T = 5;
  const B = 2;
  const N = 3;
  const cases: { name: string; synapse: boolean; spiking: boolean; reset: ResetMode; leak: boolean }[] = [
    { name: 'li', synapse: false, spiking: false, reset: 'none', leak: true },
    { name: 'cuba-li', synapse: true, spiking: false, reset: 'none', leak: true },
    { name: 'lif, subtract', synapse: false, spiking: true, reset: 'subtract', leak: true },
    { name: 'lif, zero to −0.2', synapse: false, spiking: true, reset: 'zero', leak: true },
    { name: 'if, subtract', synapse: false, spiking: true, reset: 'subtract', leak: false },
    { name: 'cuba-lif, subtract', synapse: true, spiking: true, reset: 'subtract', leak: true },
  ];
  it.each(cases)('$name', ({ synapse, spiking, reset, leak }) => {
    const rt = runtime(31);
    const x = rt.rand([T, B, N], { low: -0.2, high: 1.2, dtype: 'float64' });
    const v0 = rt.rand([B, N], { high: 0.5, dtype: 'float64' });
    const beta = rt.tensor(leak ? [0.7, 0.8, 0.9] : [1, 1, 1], { dtype: 'float64' });
    const threshold = rt.tensor([0.6, 0.5, 0.7], { dtype: 'float64' });
    const alpha = rt.full([], 0.6, { dtype: 'float64' });
    const fn = (xx: Tensor, vv: Tensor, bb: Tensor, th: Tensor, al: Tensor) => {
      const r = lifScan(
        xx,
        { beta: bb, ...(spiking && { threshold: th }), ...(synapse && { alpha: al }) },
        { v: vv },
        { reset, vReset: -0.2, detachReset: true, surrogate: { name: 'atan', alpha: 2 } },
      );
      return r.membrane.sum(0).add(r.state.v.mul(2));
    };
    assertGradcheck('lif_scan', fn, [x, v0, beta, threshold, alpha], { atol: 1e-6, rtol: 1e-5 });
  });
});

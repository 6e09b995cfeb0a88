import { arrayFor, type DataArray, type FloatArray, type KernelFn } from '@neurite/kernel';
import type { IzhikevichAttrs } from './params.js';

/**
 * Forward Euler over all T steps in one pass: inputs x [T, …S], v0 and u0 [S]; outputs the spikes s,
 * the membrane h before each step's reset (both [T, …S]), and the final v and u [S]. Per step, from the
 * previous v and u (explicit Euler, both updated from the old state):
 *   h = v + dt·(0.04v² + 5v + 140 − u + x_t),  m = u + dt·a·(b·v − u),  s = [h ≥ v_peak],
 *   v ← s ? c : h,  u ← m + d·s.
 */
export const izhikevichScanCpu: KernelFn<DataArray, IzhikevichAttrs> = ({ inputs, attrs, outputs }) => {
  const [x, v0, u0] = inputs.map((i) => i.handle as FloatArray) as [FloatArray, FloatArray, FloatArray];
  const { a, b, c, d, dt, vPeak } = attrs;
  const n = v0.length;
  const steps = n === 0 ? 0 : x.length / n;
  const spikes = arrayFor('spike', x.length);
  const membrane = arrayFor(outputs[1]!.dtype, x.length) as FloatArray;
  const v = arrayFor(outputs[2]!.dtype, n) as FloatArray;
  const u = arrayFor(outputs[3]!.dtype, n) as FloatArray;
  v.set(v0);
  u.set(u0);
  for (let t = 0; t < steps; t++) {
    const offset = t * n;
    for (let j = 0; j < n; j++) {
      const vj = v[j]!;
      const uj = u[j]!;
      const h = vj + dt * (0.04 * vj * vj + 5 * vj + 140 - uj + x[offset + j]!);
      const m = uj + dt * a * (b * vj - uj);
      membrane[offset + j] = h;
      if (h >= vPeak) {
        spikes[offset + j] = 1;
        v[j] = c;
        u[j] = m + d;
      } else {
        v[j] = h;
        u[j] = m;
      }
    }
  }
  return [spikes, membrane, v, u];
};

/**
 * Backpropagation through time of the scan, last step first. Inputs v0 [S], the forward's h and s
 * [T, …S], φ = surrogate′(h − v_peak) [T, …S], and the gradients of the four outputs (zeros where
 * none). With gv, gu the gradients reaching v_t and u_t (after the reset):
 *   ∂v_t/∂h = 1 − s + (c − h)·φ,  ∂u_t/∂h = d·φ   (only 1 − s and 0 with a detached reset)
 *   g_h = gH + gS·φ + gv·∂v_t/∂h + gu·∂u_t/∂h,  g_m = gu
 *   gx_t = dt·g_h
 *   gv ← g_h·(1 + dt·(0.08·v_{t−1} + 5)) + g_m·dt·a·b,  gu ← −dt·g_h + g_m·(1 − dt·a)
 * where v_{t−1} is rebuilt from the forward: c after a spike, else h_{t−1} (v0 at t = 0).
 */
export const izhikevichScanGradCpu: KernelFn<DataArray, IzhikevichAttrs> = ({ inputs, attrs, outputs }) => {
  const [v0, h, s, phi, gS, gH, gVT, gUT] = inputs.map((i) => i.handle) as [
    FloatArray,
    FloatArray,
    Uint8Array,
    FloatArray,
    FloatArray,
    FloatArray,
    FloatArray,
    FloatArray,
  ];
  const { a, b, c, d, dt, detachReset } = attrs;
  const n = v0.length;
  const steps = n === 0 ? 0 : h.length / n;
  const gx = arrayFor(outputs[0]!.dtype, h.length) as FloatArray;
  const gv = arrayFor(outputs[1]!.dtype, n) as FloatArray;
  const gu = arrayFor(outputs[2]!.dtype, n) as FloatArray;
  gv.set(gVT);
  gu.set(gUT);
  for (let t = steps - 1; t >= 0; t--) {
    const offset = t * n;
    for (let j = 0; j < n; j++) {
      const i = offset + j;
      const spiked = s[i]!;
      const p = phi[i]!;
      const dvdh = 1 - spiked + (detachReset ? 0 : (c - h[i]!) * p);
      const dudh = detachReset ? 0 : d * p;
      const gh = gH[i]! + gS[i]! * p + gv[j]! * dvdh + gu[j]! * dudh;
      const gm = gu[j]!;
      const vPrev = t === 0 ? v0[j]! : s[i - n] ? c : h[i - n]!;
      gx[i] = dt * gh;
      gv[j] = gh * (1 + dt * (0.08 * vPrev + 5)) + gm * dt * a * b;
      gu[j] = -dt * gh + gm * (1 - dt * a);
    }
  }
  return [gx, gv, gu];
};

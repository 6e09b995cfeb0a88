import { ops, type Tensor } from '@neurite/kernel';

/**
 * PDSG's σ for every step: the standard deviation (unbiased) of the pre-reset membranes of steps 0…t,
 * taken over the batch and, per `scope`, over the positions of each channel ('channel': axis 2 of
 * [T, B, C, …]; for linear layers each neuron is its own channel) or over all neurons ('layer').
 * Where it is 0 or undefined (fewer than two values) it is 1, as in the paper's code. Written with tensor
 * ops (the cumulative sums over time are one product with a lower-triangular matrix), so it runs on every
 * backend. Returns size T ('layer') or T·P ('channel', expanded to every neuron), as `lif_scan_grad` takes.
 */
export function membraneStd(h: Tensor, scope: 'channel' | 'layer'): Tensor {
  const rt = h.runtime;
  const [T, B, ...F] = h.shape as [number, number, ...number[]];
  const C = scope === 'layer' || F.length === 0 ? 1 : F[0]!;
  const per = (F.reduce((a, b) => a * b, 1) / C) * B;
  // [T, B, C, rest] → per-step sums over batch and positions: [T, C].
  const grouped = h.reshape([T, B, C, -1]);
  const s1 = grouped.sum([1, 3]);
  const s2 = grouped.square().sum([1, 3]);
  const dtype = h.dtype === 'float64' ? 'float64' : 'float32';
  const lower = new (dtype === 'float64' ? Float64Array : Float32Array)(T * T);
  const count = new (dtype === 'float64' ? Float64Array : Float32Array)(T);
  const denom = new (dtype === 'float64' ? Float64Array : Float32Array)(T);
  for (let t = 0; t < T; t++) {
    for (let u = 0; u <= t; u++) lower[t * T + u] = 1;
    const n = (t + 1) * per;
    count[t] = n;
    denom[t] = n > 1 ? n - 1 : 0;
  }
  const L = rt.fromArray(lower, [T, T], { dtype, backend: h.backend });
  const c1 = L.matmul(s1);
  const c2 = L.matmul(s2);
  const n = rt.fromArray(count, [T, 1], { dtype, backend: h.backend });
  const d = rt.fromArray(denom, [T, 1], { dtype, backend: h.backend });
  const variance = c2.sub(c1.square().div(n)).div(d).relu();
  const sd = variance.sqrt();
  // 0/0 for a single value gives NaN; NaN > 0 is false, so both cases fall back to 1.
  const sigma = ops.where(sd.gt(0), sd, 1);
  if (scope === 'layer' || F.length === 0) return sigma.reshape([T]);
  const expanded = sigma.reshape([T, C, ...F.slice(1).map(() => 1)]).broadcastTo([T, ...F]);
  return expanded.reshape([-1]);
}

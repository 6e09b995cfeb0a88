import {
  type BenchmarkDef,
  type BenchmarkWorkload,
  measure,
  ops,
  type Runtime,
  type Tensor,
} from '@neurite/kernel';
import { dcls1d } from './ops/dcls1d.js';

/**
 * One hidden DCLS layer, forward and backward (gradients to the input, weights and positions), against
 * what the reference computes: the dense K-long kernel through the kernel's GEMM `conv1d` (forward, input
 * and weight gradients). Three kernel widths: σ ≈ K/2 at the start of training (every tap counts), σ = 0.5
 * after the decay (≤ 7 taps), and integer delays ('max', SIG = 0: one tap). Input: dropout-scaled spikes
 * at 8 % density, as a hidden layer receives them.
 */
export const dcls1dBenchmark: BenchmarkDef = {
  name: 'dcls1d',
  description: 'DCLS layer forward+backward, kept taps only, vs the dense K-long kernel through GEMM conv1d',
  async run({ quick, runtime, log }: { quick?: boolean; runtime: Runtime; log?: (line: string) => void }) {
    const [T, B, Cin, Cout, K] = quick ? [80, 32, 128, 128, 25] : [80, 64, 128, 128, 25];
    const lim = (K - 1) / 2;
    const runs = quick ? 3 : 5;
    const x = runtime
      .rand([T, B, Cin])
      .lt(0.08)
      .cast('float32')
      .mul(1 / 0.6)
      .requireGrad();
    const w = runtime.randn([Cout, Cin]).requireGrad();
    const p = runtime.rand([Cout, Cin], { low: -lim, high: lim }).requireGrad();
    const gy = runtime.randn([T + lim, B, Cout]);
    const clear = (...ts: Tensor[]) => {
      for (const t of ts) t.grad = null;
    };

    const xc = x.detach().permute([1, 2, 0]).requireGrad(); // [B, Cin, T]
    const kernel = runtime.randn([Cout, Cin, K]).requireGrad();
    const gc = gy.permute([1, 2, 0]);
    const dense = await measure(
      () => {
        ops.conv1d(xc, kernel, null, { padding: [[K - 1, lim]] }).backward(gc);
        clear(xc, kernel);
      },
      { repeats: runs },
    );

    const out: BenchmarkWorkload[] = [];
    for (const [label, version, sig] of [
      ['σ = K/2 (every tap)', 'gauss', lim],
      ['σ = 0.5 (after the decay)', 'gauss', 0.23],
      ['integer delays (max, SIG = 0)', 'max', 0],
    ] as const) {
      // Integer delays are the fixed modes: positions rounded and without gradient.
      const positions = version === 'max' ? p.detach().round() : p;
      const sparse = await measure(
        () => {
          dcls1d(x, w, positions, sig, { kernelSize: K, version }).backward(gy);
          clear(x, w, p);
        },
        { repeats: runs },
      );
      log?.(
        `dcls1d ${label}: ${sparse.medianMs.toFixed(0)} ms, dense conv1d ${dense.medianMs.toFixed(0)} ms`,
      );
      out.push({
        name: `dcls1d forward+backward, ${label}, T=${T} B=${B} ${Cin}→${Cout} K=${K}`,
        params: { T, B, Cin, Cout, K, version, sig, backend: x.backend },
        neurite: sparse,
        peer: {
          name: 'dense K-long kernel through the GEMM conv1d (forward, input and weight gradients)',
          ...dense,
        },
        ratio: sparse.medianMs / dense.medianMs,
      });
    }
    return out;
  },
};

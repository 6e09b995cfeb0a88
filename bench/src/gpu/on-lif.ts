import type { BenchmarkDef, BenchmarkWorkload } from '@neurite/kernel';
import { measure } from '@neurite/kernel';
import { linearLif } from '../models.js';
import { gpuRuntime, H200_REFERENCE } from './runtime.js';

/** PyTorch on an H200 (issue #7), seconds: per-step loop and Linear over all T at once. */
const PYTORCH_H200_S: Record<number, readonly [number, number]> = {
  4096: [0.239, 0.174],
  8192: [0.294, 0.225],
  16384: [0.981, 0.466],
};

/**
 * The Open Neuromorphic LIF benchmark at GPU scale: Linear(n, n) then LIF (fused scan) over T = 500
 * steps of B = 16 samples, loss = sum of the spikes, forward + backward, n = 4096/8192/16384. A run
 * ends when the device is idle. Target from the issue: ≤ 1.0× the better PyTorch figure.
 */
export const gpuOnLifBenchmark: BenchmarkDef = {
  name: 'gpu-on-lif',
  description:
    'Open Neuromorphic LIF benchmark on the GPU through WebGPU (Linear(n,n)+LIF, T 500, B 16, n 4096/8192/16384)',
  async run({ quick, log = () => {} }) {
    const opened = await gpuRuntime(2, Boolean(quick));
    if (!opened.ok) {
      log(`gpu-on-lif: skipped: ${opened.reason}`);
      return [];
    }
    const { rt, gpu, device, dispose } = opened;
    const { steps, batch, sizes } = quick
      ? { steps: 20, batch: 4, sizes: [64] }
      : { steps: 500, batch: 16, sizes: [4096, 8192, 16384] };
    const repeats = quick ? { warmup: 1, repeats: 3 } : { warmup: 1, repeats: 5 };
    const out: BenchmarkWorkload[] = [];
    try {
      for (const n of sizes) {
        const model = linearLif(rt, n);
        const x = rt.rand([steps, batch, n]);
        const timing = await measure(async () => {
          for (const p of model.parameters()) p.grad = null;
          model.forward(x).sum().backward();
          await gpu.flush();
        }, repeats);
        const reference = PYTORCH_H200_S[n];
        out.push({
          name: 'gpu-on-lif',
          params: { n, steps, batch, backend: 'webgpu', device },
          neurite: { ...timing },
          peer: null,
          ratio: null,
          ...(reference
            ? {
                note: `${H200_REFERENCE}: PyTorch ${reference[0]} s (per-step loop), ${reference[1]} s (Linear over all T); target ≤ ${Math.min(...reference)} s`,
              }
            : {}),
        });
        log(`gpu-on-lif n=${n} on ${device}: ${timing.medianMs.toFixed(1)} ms`);
      }
    } finally {
      dispose();
    }
    return out;
  },
};

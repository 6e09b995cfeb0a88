import type { BenchmarkDef, BenchmarkWorkload } from '@neurite/kernel';
import { measure } from '@neurite/kernel';
import { linearLif } from '../models.js';
import type { OnLifPeer } from '../peers.js';
import { gpuPeer, gpuRuntime, H200_REFERENCE } from './runtime.js';

/** PyTorch on an H200 (issue #7), seconds: per-step loop and Linear over all T at once. */
const PYTORCH_H200_S: Record<number, readonly [number, number]> = {
  4096: [0.239, 0.174],
  8192: [0.294, 0.225],
  16384: [0.981, 0.466],
};

/**
 * The Open Neuromorphic LIF benchmark at GPU scale: Linear(n, n) then LIF (fused scan) over T = 500
 * steps of B = 16 samples, loss = sum of the spikes, forward + backward, n = 4096/8192/16384. A run
 * ends when the device is idle. Target from the issue: ≤ 1.0× the better PyTorch figure. Peer: PyTorch on
 * the same GPU in this run, both ways (per-step loop, Linear over all T), the ratio against the faster;
 * without a CUDA build of PyTorch the issue's published figures are noted.
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
    const peer = gpuPeer<OnLifPeer>(
      'on_lif.py',
      { steps, batch, sizes, allSteps: true, ...repeats },
      { quick: Boolean(quick), log },
    );
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
        const published = reference
          ? `${H200_REFERENCE}: PyTorch ${reference[0]} s (per-step loop), ${reference[1]} s (Linear over all T); target ≤ ${Math.min(...reference)} s`
          : '';
        const perStep = peer.ok ? peer.result.sizes[String(n)] : undefined;
        const allSteps = peer.ok ? peer.result.sizesAllSteps?.[String(n)] : undefined;
        const faster =
          perStep && allSteps
            ? perStep.medianMs <= allSteps.medianMs
              ? { way: 'per-step loop', timing: perStep, other: ['Linear over all T', allSteps] as const }
              : { way: 'Linear over all T', timing: allSteps, other: ['per-step loop', perStep] as const }
            : null;
        out.push({
          name: 'gpu-on-lif',
          params: { n, steps, batch, backend: 'webgpu', device },
          neurite: { ...timing },
          peer:
            peer.ok && faster
              ? {
                  name: `${peer.result.name} ${peer.result.version} (${peer.result.device}), ${faster.way}`,
                  ...faster.timing,
                }
              : null,
          ratio: faster ? timing.medianMs / faster.timing.medianMs : null,
          ...(faster
            ? {
                note: `PyTorch ${faster.other[0]} in this run: ${faster.other[1].medianMs.toFixed(1)} ms${published && `; ${published}`}`,
              }
            : {
                note: [`peer skipped: ${peer.ok ? `no result for n = ${n}` : peer.reason}`, published]
                  .filter(Boolean)
                  .join('; '),
              }),
        });
        log(`gpu-on-lif n=${n} on ${device}: ${timing.medianMs.toFixed(1)} ms`);
      }
    } finally {
      dispose();
    }
    return out;
  },
};

import type { BenchmarkDef, BenchmarkWorkload } from '@neurite/kernel';
import { measure } from '@neurite/kernel';
import { linearLif } from '../models.js';
import { type OnLifPeer, runPeer } from '../peers.js';
import { label, runtimeFor, type Target } from '../runtimes.js';

/**
 * The Open Neuromorphic SNN library benchmark at CPU scale: Linear(n, n) then LIF over T = 500 steps of
 * B = 16 samples, loss = sum of the output spikes, forward + backward (weight gradients), against
 * PyTorch stepped per timestep on one thread. The pure-TypeScript cpu backend runs only the smallest n.
 */
export const onLifBenchmark: BenchmarkDef = {
  name: 'on-lif',
  description:
    'Open Neuromorphic LIF benchmark (Linear(n,n)+LIF, T 500, B 16, n 512/1024/2048) forward+backward vs PyTorch, 1 thread',
  async run({ quick, log = () => {} }) {
    const { steps, batch, sizes } = quick
      ? { steps: 20, batch: 4, sizes: [64] }
      : { steps: 500, batch: 16, sizes: [512, 1024, 2048] };
    const repeats = quick ? { warmup: 1, repeats: 3 } : { warmup: 1, repeats: 5 };
    log('on-lif: PyTorch on 1 thread …');
    const peer = runPeer<OnLifPeer>(
      'on_lif.py',
      { steps, batch, sizes, ...repeats },
      { modules: ['torch'], threads: 1, log, install: !quick },
    );
    const out: BenchmarkWorkload[] = [];
    // cpu last, so its garbage is not collected during the wasm target's timed runs.
    const targets: Target[] = [
      { backend: 'wasm', threads: 1 },
      { backend: 'cpu', threads: 1 },
    ];
    for (const target of targets) {
      const { rt, dispose } = await runtimeFor(target, 2);
      try {
        for (const n of target.backend === 'cpu' ? sizes.slice(0, 1) : sizes) {
          const model = linearLif(rt, n);
          const x = rt.rand([steps, batch, n]);
          const timing = await measure(() => {
            for (const p of model.parameters()) p.grad = null;
            model.forward(x).sum().backward();
          }, repeats);
          const peerTiming = peer.ok ? peer.result.sizes[String(n)] : undefined;
          out.push({
            name: 'on-lif',
            params: { n, steps, batch, backend: target.backend, threads: target.threads },
            neurite: { ...timing },
            peer:
              peer.ok && peerTiming
                ? {
                    name: `${peer.result.name} ${peer.result.version} (${peer.result.device})`,
                    ...peerTiming,
                  }
                : null,
            ratio: peerTiming ? timing.medianMs / peerTiming.medianMs : null,
            ...(peer.ok ? {} : { note: `peer skipped: ${peer.reason}` }),
          });
          log(`on-lif n=${n} ${label(target)}: ${timing.medianMs.toFixed(1)} ms`);
        }
      } finally {
        dispose();
      }
    }
    return out;
  },
};

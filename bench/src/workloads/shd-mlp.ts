import { type BenchmarkDef, type BenchmarkWorkload, measure } from '@neurite/kernel';
import { shdMlpTrainingStep } from '../models.js';
import { runPeer, type StepPeer } from '../peers.js';
import { label, runtimeFor, type Target } from '../runtimes.js';

/**
 * One training step of the Spiking Heidelberg Digits MLP: B = 32, T = 100, 700→256→256→20, Bernoulli(0.05)
 * input spikes, LIF layers, leaky readout, cross-entropy on the time-mean readout membrane, Adam lr 1e-3;
 * forward + backward + optimiser step. Peer: the same network in PyTorch, stepped timestep by timestep
 * as snnTorch runs it, on one thread.
 */
export const shdMlpBenchmark: BenchmarkDef = {
  name: 'shd-mlp',
  description:
    'SHD-MLP training step (B 32, T 100, 700→256→256→20, LIF, Adam) vs PyTorch snnTorch-style, 1 thread',
  async run({ quick, log = () => {} }) {
    const params = quick
      ? { batch: 4, steps: 10, sizes: [70, 32, 32, 20], inputRate: 0.05 }
      : { batch: 32, steps: 100, sizes: [700, 256, 256, 20], inputRate: 0.05 };
    const repeats = quick ? { warmup: 1, repeats: 3 } : { warmup: 3, repeats: 10 };
    log('shd-mlp: PyTorch on 1 thread …');
    const peer = runPeer<StepPeer>(
      'shd_mlp.py',
      { ...params, ...repeats },
      { modules: ['torch'], threads: 1, log, install: !quick },
    );
    const out: BenchmarkWorkload[] = [];
    // The slow cpu target runs last: its garbage would otherwise be collected during the faster
    // targets' timed steps (measured: 60 ms per wasm step after it, 35–38 ms before it or alone).
    for (const target of [
      { backend: 'wasm', threads: 1 },
      { backend: 'wasm', threads: 2 },
      { backend: 'cpu', threads: 1 },
    ] as Target[]) {
      const { rt, dispose } = await runtimeFor(target, 1);
      try {
        const trainingStep = shdMlpTrainingStep(rt, params);
        let loss = 0;
        const step = () => {
          loss = trainingStep().itemSync();
        };
        const timing = await measure(step, repeats);
        const peerTiming = peer.ok ? peer.result.timing : null;
        out.push({
          name: 'shd-mlp',
          params: { ...params, backend: target.backend, threads: target.threads },
          neurite: { ...timing, loss },
          peer: peer.ok
            ? {
                name: `${peer.result.name} ${peer.result.version} (${peer.result.device})`,
                ...peer.result.timing,
                loss: peer.result.loss,
              }
            : null,
          ratio: peerTiming ? timing.medianMs / peerTiming.medianMs : null,
          ...(peer.ok ? {} : { note: `peer skipped: ${peer.reason}` }),
        });
        log(`shd-mlp ${label(target)}: ${timing.medianMs.toFixed(1)} ms per step`);
      } finally {
        dispose();
      }
    }
    return out;
  },
};

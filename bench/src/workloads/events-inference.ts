import { readAtisBin, toFrame } from '@neurite/datasets';
import {
  type BenchmarkDef,
  type BenchmarkWorkload,
  Linear,
  measure,
  type Runtime,
  type Tensor,
} from '@neurite/kernel';
import { readShared } from '../data.js';
import { lifLayer } from '../models.js';
import { label, runtimeFor, type Target } from '../runtimes.js';

const FIXTURE = 'events/tonic_sample_nmnist.bin';

/** A two-layer SNN for 34×34×2 event frames: Linear → LIF → Linear → LIF, no gradients. */
function twoLayerSnn(rt: Runtime, inputs: number, hidden: number, classes: number) {
  const fc1 = new Linear(rt, { inFeatures: inputs, outFeatures: hidden });
  const fc2 = new Linear(rt, { inFeatures: hidden, outFeatures: classes });
  const lif1 = lifLayer(rt, 0.5);
  const lif2 = lifLayer(rt, 0.5);
  /**
   * Spike counts of the output layer. `dense`: the hidden spikes go to the next layer as float32 (the
   * GEMM path, as a framework without spike tensors runs it); otherwise as spikes (event-driven).
   */
  return (x: Tensor, dense: boolean) =>
    rt.noGrad(() => {
      const s1 = lif1.forward(fc1.forward(x));
      return lif2.forward(fc2.forward(dense ? s1.cast('float32') : s1)).sum(0);
    });
}

/**
 * Inference on the N-MNIST sample of the shared data (4,325 events): 1 ms frames, ON/OFF pixels as
 * inputs, through 2312 → 256 → 10 LIF layers with batch 1. The same network runs with its inputs as
 * spike tensors (event-driven matmul) and as float32 (dense GEMM); the peer is the dense run.
 */
export const eventsInferenceBenchmark: BenchmarkDef = {
  name: 'events-inference',
  description: 'N-MNIST sample through a 2-layer SNN, events per second: event-driven vs dense, same backend',
  async run({ quick, log = () => {} }) {
    const events = readAtisBin(await readShared(FIXTURE));
    const frames = toFrame(events, { timeWindow: quick ? 10_000 : 1_000 });
    const [T, P, H, W] = frames.shape as [number, number, number, number];
    const inputs = P * H * W;
    const binary = Uint8Array.from(frames.data, (count) => (count > 0 ? 1 : 0));
    let active = 0;
    for (const v of binary) active += v;
    const repeats = quick ? { warmup: 1, repeats: 3 } : { warmup: 3, repeats: 15 };
    const eventCount = events.t.length;
    const params = {
      events: eventCount,
      frames: T,
      frameMs: quick ? 10 : 1,
      inputs,
      activeInputs: active,
      density: active / binary.length,
    };
    const out: BenchmarkWorkload[] = [];
    for (const target of [
      { backend: 'wasm', threads: 1 },
      { backend: 'cpu', threads: 1 },
    ] as Target[]) {
      const { rt, dispose } = await runtimeFor(target, 4);
      try {
        const net = twoLayerSnn(rt, inputs, 256, 10);
        const spikes = rt.fromArray(binary, [T, 1, inputs], { dtype: 'spike' });
        const floats = rt.fromArray(binary, [T, 1, inputs], { dtype: 'float32' });
        const denseCounts = net(floats, true).dataSync();
        const same = net(spikes, false)
          .dataSync()
          .every((v, k) => v === denseCounts[k]);
        const eventDriven = await measure(() => net(spikes, false).dataSync(), repeats);
        const dense = await measure(() => net(floats, true).dataSync(), repeats);
        const perSecond = (ms: number) => Math.round(eventCount / (ms / 1000));
        out.push({
          name: 'events-inference',
          params: { ...params, backend: target.backend, threads: target.threads },
          neurite: {
            ...eventDriven,
            eventsPerSecond: perSecond(eventDriven.medianMs),
            sameOutputAsDense: same,
          },
          peer: {
            name: `dense float32 GEMM on ${label(target)}`,
            ...dense,
            eventsPerSecond: perSecond(dense.medianMs),
          },
          ratio: eventDriven.medianMs / dense.medianMs,
        });
        log(
          `events-inference ${label(target)}: event-driven ${eventDriven.medianMs.toFixed(2)} ms, dense ${dense.medianMs.toFixed(2)} ms (${(dense.medianMs / eventDriven.medianMs).toFixed(1)}× faster)`,
        );
      } finally {
        dispose();
      }
    }
    return out;
  },
};

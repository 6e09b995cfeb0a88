import {
  type BenchmarkDef,
  type BenchmarkWorkload,
  measure,
  type Runtime,
  type Tensor,
} from '@neurite/kernel';
import { lifScan, surrogateSpike } from './ops/scan.js';

/** The same LIF step by step with the kernel's autograd ops: what a neuron without a fused scan costs. */
function unrolledLif(x: Tensor, beta: Tensor, threshold: Tensor): Tensor {
  const [T] = x.shape as [number];
  const stateShape = x.shape.slice(1);
  let v = x.runtime.zeros(stateShape);
  const spikes: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const h = beta.mul(v).add(x.slice([t], [t + 1]).reshape(stateShape));
    const s = surrogateSpike(h.sub(threshold), { name: 'atan', alpha: 2 });
    v = h.sub(s.mul(threshold));
    spikes.push(s.reshape([1, ...stateShape]));
  }
  return x.runtime.run1('concat', spikes, { axis: 0 });
}

/**
 * Forward and backward of one LIF layer over a long sequence: the fused `lif_scan` against the same
 * neuron unrolled into T steps of kernel ops (the shape of the public snn-library-benchmarks workload,
 * scaled to a CPU).
 */
export const lifScanBenchmark: BenchmarkDef = {
  name: 'lif-scan',
  description: 'LIF layer forward+backward, fused scan vs the same recurrence unrolled into per-step ops',
  async run({ quick, runtime, log }: { quick?: boolean; runtime: Runtime; log?: (line: string) => void }) {
    const shapes = quick
      ? [[100, 16, 512]]
      : [
          [100, 16, 512],
          [500, 16, 1024],
        ];
    const out: BenchmarkWorkload[] = [];
    for (const [T, B, N] of shapes as [number, number, number][]) {
      const x = runtime.randn([T, B, N], { mean: 0.3 }).requireGrad();
      const beta = runtime.scalar(0.9);
      const threshold = runtime.scalar(1);
      const gradOut = runtime.randn([T, B, N]);
      const runs = quick ? 3 : 7;
      const fused = await measure(
        () => {
          lifScan(x, { beta, threshold }, {}, { surrogate: { name: 'atan', alpha: 2 } }).spikes!.backward(
            gradOut,
          );
          x.grad = null;
        },
        { repeats: runs },
      );
      const unrolled = await measure(
        () => {
          unrolledLif(x, beta, threshold).backward(gradOut);
          x.grad = null;
        },
        { repeats: runs },
      );
      log?.(
        `lif-scan T=${T} B=${B} N=${N}: fused ${fused.medianMs.toFixed(1)} ms, unrolled ${unrolled.medianMs.toFixed(1)} ms`,
      );
      out.push({
        name: `lif forward+backward T=${T} B=${B} N=${N}`,
        params: { T, B, N, backend: x.backend },
        neurite: fused,
        peer: { name: 'the same LIF unrolled into per-step kernel ops', ...unrolled },
        ratio: fused.medianMs / unrolled.medianMs,
      });
    }
    return out;
  },
};

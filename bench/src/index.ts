// @neurite/bench — the benchmark suite as a plugin: `pnpm bench` and `neurite bench [name]` run what it registers.
import { definePlugin } from '@neurite/kernel';
import { GPU_BENCHMARKS } from './gpu/index.js';
import { eventsInferenceBenchmark } from './workloads/events-inference.js';
import { onLifBenchmark } from './workloads/on-lif.js';
import { sgemmBenchmark } from './workloads/sgemm.js';
import { shdMlpBenchmark } from './workloads/shd-mlp.js';

export { linearLif, type ShdMlpParams, shdMlpTrainingStep, spikingMlp } from './models.js';
export { type BenchReport, formatWorkload, runBenchmarks } from './report.js';

export const BENCHMARKS = [
  sgemmBenchmark,
  shdMlpBenchmark,
  onLifBenchmark,
  eventsInferenceBenchmark,
  ...GPU_BENCHMARKS,
];

export const benchPlugin = definePlugin({
  name: '@neurite/bench',
  version: '0.0.0',
  apiVersion: '^1.0.0',
  description: 'benchmarks against Python peers: sgemm, shd-mlp, on-lif, events-inference',
  setup(ctx) {
    for (const b of BENCHMARKS) ctx.register('benchmark', b);
  },
});

export default benchPlugin;

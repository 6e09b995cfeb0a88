import { gpuOnLifBenchmark } from './on-lif.js';
import { gpuSgemmBenchmark } from './sgemm.js';
import { gpuShdMlpBenchmark } from './shd-mlp.js';

/** The GPU workloads (WebGPU backend); each skips with its reason where only a software adapter exists. */
export const GPU_BENCHMARKS = [gpuSgemmBenchmark, gpuShdMlpBenchmark, gpuOnLifBenchmark];

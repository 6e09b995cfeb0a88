import type { BenchmarkDef, BenchmarkWorkload } from '@neurite/kernel';
import { measure } from '@neurite/kernel';
import { gpuRuntime, H200_REFERENCE } from './runtime.js';

const gflops = (n: number, ms: number) => Math.round(((2 * n ** 3) / ms / 1e6) * 10) / 10;

/**
 * n×n float32 products on the GPU (WebGPU). Each timed run queues `count` products and waits for the
 * device once, so the figure is the kernel's throughput rather than one submission's latency; times
 * are per product. GFLOP/s count 2n³ operations.
 */
export const gpuSgemmBenchmark: BenchmarkDef = {
  name: 'gpu-sgemm',
  description: 'float32 n×n matmul on the GPU through WebGPU (n 1024/4096), GFLOP/s',
  async run({ quick, log = () => {} }) {
    const opened = await gpuRuntime(0, Boolean(quick));
    if (!opened.ok) {
      log(`gpu-sgemm: skipped: ${opened.reason}`);
      return [];
    }
    const { rt, gpu, device, dispose } = opened;
    const sizes = quick ? [64, 128] : [1024, 4096];
    const repeats = quick ? { warmup: 1, repeats: 3 } : { warmup: 2, repeats: 7 };
    const out: BenchmarkWorkload[] = [];
    try {
      for (const n of sizes) {
        const count = n >= 4096 ? 4 : 32;
        const a = rt.randn([n, n]);
        const b = rt.randn([n, n]);
        await gpu.flush();
        const run = await measure(async () => {
          for (let k = 0; k < count; k++) a.matmul(b);
          await gpu.flush();
        }, repeats);
        const timing = {
          ...run,
          medianMs: run.medianMs / count,
          minMs: run.minMs / count,
          maxMs: run.maxMs / count,
        };
        out.push({
          name: 'gpu-sgemm',
          params: { n, backend: 'webgpu', device, productsPerRun: count },
          neurite: { ...timing, gflops: gflops(n, timing.medianMs) },
          peer: null,
          ratio: null,
          note: `${H200_REFERENCE}: simple WGSL sgemm 7.9 TFLOP/s (16×16 tiles), 18.6 TFLOP/s (4×4 register tiles)`,
        });
        log(
          `gpu-sgemm n=${n} on ${device}: ${timing.medianMs.toFixed(3)} ms (${gflops(n, timing.medianMs)} GFLOP/s)`,
        );
      }
    } finally {
      dispose();
    }
    return out;
  },
};

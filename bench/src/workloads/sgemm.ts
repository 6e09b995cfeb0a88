import type { BenchmarkDef, BenchmarkWorkload, Timing } from '@neurite/kernel';
import { measure } from '@neurite/kernel';
import { runPeer } from '../peers.js';
import { label, runtimeFor, type Target } from '../runtimes.js';

interface SgemmPeer {
  readonly name: string;
  readonly version: string;
  readonly blas: string;
  readonly sizes: Record<string, Timing>;
}

const gflops = (n: number, ms: number) => Math.round(((2 * n ** 3) / ms / 1e6) * 10) / 10;

/**
 * n×n float32 products on cpu, wasm on one thread and wasm on two, against numpy on the same number of
 * BLAS threads. GFLOP/s count 2n³ operations.
 */
export const sgemmBenchmark: BenchmarkDef = {
  name: 'sgemm',
  description:
    'float32 n×n matmul (256/512/1024): cpu, wasm 1 and 2 threads, vs numpy (OpenBLAS) on as many threads',
  async run({ quick, log = () => {} }) {
    const sizes = quick ? [64, 128] : [256, 512, 1024];
    const repeats = quick ? { warmup: 1, repeats: 3 } : { warmup: 2, repeats: 7 };
    const targets: Target[] = [
      { backend: 'cpu', threads: 1 },
      { backend: 'wasm', threads: 1 },
      { backend: 'wasm', threads: 2 },
    ];
    const peers = new Map<number, ReturnType<typeof runPeer<SgemmPeer>>>();
    for (const threads of [1, 2]) {
      log(`sgemm: numpy on ${threads} thread(s) …`);
      peers.set(
        threads,
        runPeer<SgemmPeer>(
          'sgemm.py',
          { sizes, ...repeats },
          { modules: ['numpy'], threads, log, install: !quick },
        ),
      );
    }
    const out: BenchmarkWorkload[] = [];
    const single = new Map<number, number>();
    for (const target of targets) {
      const { rt, dispose } = await runtimeFor(target);
      try {
        for (const n of sizes) {
          const a = rt.randn([n, n]);
          const b = rt.randn([n, n]);
          const timing = await measure(() => a.matmul(b), repeats);
          if (target.backend === 'wasm' && target.threads === 1) single.set(n, timing.medianMs);
          const peer = peers.get(target.threads)!;
          const peerTiming = peer.ok ? peer.result.sizes[String(n)] : undefined;
          const speedup = target.threads > 1 && single.has(n) ? single.get(n)! / timing.medianMs : undefined;
          out.push({
            name: 'sgemm',
            params: { n, backend: target.backend, threads: target.threads },
            neurite: {
              ...timing,
              gflops: gflops(n, timing.medianMs),
              ...(speedup ? { speedupOverOneThread: Math.round(speedup * 100) / 100 } : {}),
            },
            peer:
              peer.ok && peerTiming
                ? {
                    name: `numpy (${peer.result.blas}, ${target.threads} thread${target.threads > 1 ? 's' : ''})`,
                    ...peerTiming,
                    gflops: gflops(n, peerTiming.medianMs),
                  }
                : null,
            ratio: peerTiming ? timing.medianMs / peerTiming.medianMs : null,
            ...(peer.ok ? {} : { note: `peer skipped: ${peer.reason}` }),
          });
          log(
            `sgemm n=${n} ${label(target)}: ${timing.medianMs.toFixed(2)} ms (${gflops(n, timing.medianMs)} GFLOP/s)`,
          );
        }
      } finally {
        dispose();
      }
    }
    return out;
  },
};

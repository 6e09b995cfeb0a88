import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type CochleaParams, type CochleaSpikes, cochleaKernel } from '../audio/cochlea.js';

export interface CochleaJob {
  readonly signal: Float32Array;
  readonly sampleRate: number;
}

/**
 * Runs the cochlear model on many recordings over worker threads. Each worker evaluates the source
 * text of `cochleaKernel` itself (the function is self-contained), so the workers run exactly the code
 * the main thread would, from the TypeScript sources in tests and from `dist` when installed.
 */
export async function encodeAll(
  jobs: readonly CochleaJob[],
  params: CochleaParams,
  options: { workers?: number; onDone?: (done: number) => void } = {},
): Promise<CochleaSpikes[]> {
  const results: CochleaSpikes[] = new Array(jobs.length);
  const workers = Math.max(0, Math.min(options.workers ?? Math.min(2, availableParallelism()), jobs.length));
  let done = 0;
  if (workers === 0) {
    jobs.forEach((job, i) => {
      results[i] = cochleaKernel(job.signal, job.sampleRate, params);
      options.onDone?.(++done);
    });
    return results;
  }
  const source = `
const { parentPort } = require('node:worker_threads');
const cochleaKernel = ${cochleaKernel.toString()};
parentPort.on('message', (job) => {
  const out = cochleaKernel(job.signal, job.sampleRate, job.params);
  parentPort.postMessage({ index: job.index, times: out.times, units: out.units }, [out.times.buffer, out.units.buffer]);
});`;
  let next = 0;
  const pool = Array.from({ length: workers }, () => new Worker(source, { eval: true }));
  try {
    await Promise.all(
      pool.map(
        (worker) =>
          new Promise<void>((resolve, reject) => {
            const send = () => {
              if (next >= jobs.length) return resolve();
              const index = next++;
              const job = jobs[index]!;
              worker.postMessage({ index, signal: job.signal, sampleRate: job.sampleRate, params });
            };
            worker.on('message', (m: { index: number; times: Float32Array; units: Uint16Array }) => {
              results[m.index] = { times: m.times, units: m.units };
              options.onDone?.(++done);
              send();
            });
            worker.on('error', reject);
            worker.on('exit', (code) =>
              code === 0 ? resolve() : reject(new Error(`cochlea worker exited with code ${code}`)),
            );
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(pool.map((w) => w.terminate()));
  }
  return results;
}

import type { Timing } from '../plugin/kinds.js';

export interface Repeats {
  /** Untimed runs first (JIT warm-up, arena growth, caches). */
  readonly warmup?: number;
  /** Timed runs; the median, minimum and maximum are reported. */
  readonly repeats: number;
}

export type Measured = Timing & {
  /**
   * Median CPU time of this process per run (all its threads, the garbage collector's included), where
   * the platform reports it (Node). Beside the wall-clock figures it shows how much of a run went to
   * waiting on a busy machine: on an idle one a single-threaded run's CPU time is about its wall time.
   */
  readonly cpuMedianMs: number | null;
};

const cpuMs: (() => number) | null =
  typeof process !== 'undefined' && typeof process.cpuUsage === 'function'
    ? () => {
        const u = process.cpuUsage();
        return (u.user + u.system) / 1000;
      }
    : null;

/**
 * Times `fn` for benchmarks (never for tests): `warmup` untimed runs, then `repeats` timed runs with
 * `performance.now()`. Async functions are awaited, so device work that ends in a read is included.
 */
export async function measure(fn: () => unknown, { warmup = 1, repeats }: Repeats): Promise<Measured> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const cpuStart = cpuMs?.() ?? 0;
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
    if (cpuMs) cpu.push(cpuMs() - cpuStart);
  }
  return { ...summarize(times), cpuMedianMs: cpu.length ? round(median(cpu)) : null };
}

/** Median, minimum and maximum of some durations in milliseconds. */
export function summarize(times: readonly number[]): Timing {
  const sorted = [...times].sort((a, b) => a - b);
  return {
    medianMs: round(median(sorted)),
    minMs: round(sorted[0]!),
    maxMs: round(sorted.at(-1)!),
    runs: sorted.length,
  };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Three decimals of a millisecond are more than the noise of any run. */
const round = (ms: number) => Math.round(ms * 1000) / 1000;

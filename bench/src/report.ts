import { cpus } from 'node:os';
import type { BenchmarkWorkload, Runtime } from '@neurite/kernel';

export interface BenchReport {
  readonly workloads: BenchmarkWorkload[];
  readonly quick: boolean;
  readonly date: string;
  readonly machine: {
    readonly cpu: string;
    readonly cores: number;
    readonly node: string;
    readonly platform: string;
  };
}

/**
 * Runs the named benchmarks of the runtime's `benchmark` registry (all of them when `names` is empty),
 * in registration order. Unknown names fail before anything runs.
 */
export async function runBenchmarks(
  rt: Runtime,
  options: { names?: readonly string[]; quick?: boolean; log?: (line: string) => void } = {},
): Promise<BenchReport> {
  const registry = rt.registry('benchmark');
  const names = options.names?.length ? options.names : registry.names();
  const defs = names.map((name) => registry.require(name));
  const log = options.log ?? (() => {});
  const workloads: BenchmarkWorkload[] = [];
  for (const def of defs) {
    log(`▶ ${def.name}: ${def.description}`);
    const results = await def.run({
      quick: options.quick ?? false,
      runtime: rt,
      log: (line) => log(`  ${line}`),
    });
    for (const w of results) log(`  ${formatWorkload(w)}`);
    workloads.push(...results);
  }
  return {
    workloads,
    quick: options.quick ?? false,
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      node: process.version,
      platform: `${process.platform}-${process.arch}`,
    },
  };
}

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));

/**
 * `median ms (min–max, ±spread%, cpu ms)`: the spread is half the range relative to the median; the CPU
 * time per run is shown when it was measured.
 */
function timing(t: { medianMs: number; minMs: number; maxMs: number; cpuMedianMs?: unknown }): string {
  const spread = t.medianMs > 0 ? ((t.maxMs - t.minMs) / 2 / t.medianMs) * 100 : 0;
  const cpu = typeof t.cpuMedianMs === 'number' ? `, cpu ${ms(t.cpuMedianMs)} ms` : '';
  return `${ms(t.medianMs)} ms (${ms(t.minMs)}–${ms(t.maxMs)}, ±${spread.toFixed(0)}%${cpu})`;
}

/** One line per workload: parameters, neurite's timing, the peer's, and the ratio of the medians. */
export function formatWorkload(w: BenchmarkWorkload): string {
  const params = Object.entries(w.params)
    .filter(([, v]) => typeof v !== 'object')
    .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toPrecision(3) : v}`)
    .join(' ');
  const head = `${w.name} ${params}: neurite ${timing(w.neurite)}`;
  if (!w.peer) return `${head}; no peer${w.note ? ` (${w.note})` : ''}`;
  const ratio =
    w.ratio === null
      ? ''
      : `; ratio ${w.ratio.toFixed(3)} (${w.ratio < 1 ? `${(1 / w.ratio).toFixed(2)}× faster` : `${w.ratio.toFixed(2)}× slower`})`;
  return `${head}; ${w.peer.name} ${timing(w.peer)}${ratio}`;
}

import { resolve } from 'node:path';
import type { BenchmarkWorkload, CommandDef } from '@neurite/kernel';
import { writeFileAtomic } from '@neurite/kernel/node';
import { UsageError } from '../errors.js';

const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 1 ? v.toFixed(2) : v.toFixed(3));

function line(w: BenchmarkWorkload): string {
  const n = w.neurite;
  const ours = `${ms(n.medianMs)} ms [${ms(n.minMs)}–${ms(n.maxMs)}]`;
  const peer = w.peer
    ? `${w.peer.name} ${ms(w.peer.medianMs)} ms [${ms(w.peer.minMs)}–${ms(w.peer.maxMs)}]`
    : 'no peer';
  const ratio = w.ratio === null ? '' : `  ratio ${w.ratio.toFixed(3)}`;
  return `${w.name} ${JSON.stringify(w.params)}: neurite ${ours} vs ${peer}${ratio}${w.note ? `  (${w.note})` : ''}`;
}

export const benchCommand: CommandDef = {
  name: 'bench',
  summary: 'run the registered benchmarks: median and spread, and the ratio against a peer run alongside',
  args: [{ name: 'name', description: 'one benchmark (default: all registered)' }],
  options: [
    { name: 'json', type: 'boolean', description: 'print {"workloads": [...]} as one JSON object' },
    {
      name: 'quick',
      type: 'boolean',
      description: 'fewer repeats and smaller sizes (checks the plumbing, not the numbers)',
    },
    { name: 'out', type: 'string', description: 'also write the JSON result to this file (atomically)' },
  ],
  examples: ['neurite bench', 'neurite bench sgemm --json', 'neurite bench shd-mlp --quick'],
  async run({ runtime, args, options, stdout, stderr, cwd }) {
    const registry = runtime.registry('benchmark');
    const names = args[0] ? [args[0]] : registry.names();
    if (names.length === 0)
      throw new UsageError('no benchmark is registered', {
        hint: 'install a plugin that registers benchmarks (e.g. @neurite/bench in the repository)',
      });
    const log = options.json ? stderr : stdout;
    const workloads: BenchmarkWorkload[] = [];
    for (const name of names) {
      const bench = registry.require(name);
      log.write(`bench ${name}: ${bench.description}\n`);
      const results = await bench.run({
        runtime,
        quick: Boolean(options.quick),
        log: (l) => log.write(`  ${l}\n`),
      });
      for (const w of results) {
        workloads.push(w);
        if (!options.json) stdout.write(`${line(w)}\n`);
      }
    }
    const result = { workloads };
    if (options.out)
      await writeFileAtomic(resolve(cwd, options.out as string), `${JSON.stringify(result, null, 2)}\n`);
    if (options.json) stdout.write(`${JSON.stringify(result)}\n`);
    return 0;
  },
};

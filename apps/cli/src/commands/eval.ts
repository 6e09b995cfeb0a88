import { resolve } from 'node:path';
import type { CommandDef } from '@neurite/kernel';
import { openRun } from '../session-files.js';

export const evalCommand: CommandDef = {
  name: 'eval',
  summary: "reload a run's latest checkpoint and report its test metrics",
  args: [{ name: 'run-dir', description: 'a run folder written by neurite train', required: true }],
  options: [{ name: 'json', type: 'boolean', description: 'print one JSON object' }],
  examples: ['neurite eval runs/mnist-mlp --json'],
  async run({ runtime, args, options, stdout, cwd }) {
    const dir = resolve(cwd, args[0]!);
    const { session, checkpoint } = await openRun(runtime, dir, cwd);
    const metrics = await session.trainer.evaluate();
    if (options.json) stdout.write(`${JSON.stringify({ metrics, epoch: checkpoint.epoch, out: dir })}\n`);
    else {
      stdout.write(
        `epoch ${checkpoint.epoch}: test accuracy ${(100 * metrics.accuracy).toFixed(2)} %, loss ${metrics.loss.toFixed(4)} (${metrics.examples} examples)\n`,
      );
    }
    return 0;
  },
};

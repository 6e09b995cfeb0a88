import { join, resolve } from 'node:path';
import { type CommandDef, DataLoader, type Runtime, type TrainingSession } from '@neurite/kernel';
import { writeFileAtomic } from '@neurite/kernel/node';
import { captureSpikes, reportHtml } from '../report-html.js';
import { openRun } from '../session-files.js';

/** Builds report.html for a session that holds trained weights; returns its path. */
export async function writeReport(
  rt: Runtime,
  session: TrainingSession,
  dir: string,
  title: string,
): Promise<string> {
  const { data } = session;
  const loader = new DataLoader(rt, data.test, data.info, { batchSize: Math.min(64, data.test.size) });
  const first = loader.collate(Array.from({ length: Math.min(64, data.test.size) }, (_, i) => i));
  const layers = await Promise.all(
    captureSpikes(session.model, first.input).map(async ({ layer, spikes }) => {
      const [steps, batch] = spikes.shape as [number, number];
      const neurons = spikes.size / (steps * batch);
      const values = (await spikes.data()) as Uint8Array;
      const raster = new Uint8Array(steps * neurons);
      for (let t = 0; t < steps; t++)
        raster.set(values.subarray(t * batch * neurons, (t * batch + 1) * neurons), t * neurons);
      const rates = new Float64Array(neurons);
      for (let i = 0; i < values.length; i++) if (values[i]) rates[i % neurons]! += 1 / (steps * batch);
      return { layer, steps, neurons, raster, rates };
    }),
  );
  const last = session.trainer.history.at(-1);
  const html = reportHtml({
    title: `neurite run: ${title}`,
    config: session.config,
    history: session.trainer.history,
    test: last ? last.test : null,
    layers,
  });
  const path = join(dir, 'report.html');
  await writeFileAtomic(path, html);
  return path;
}

export const reportCommand: CommandDef = {
  name: 'report',
  summary: 'write a self-contained report.html (training curves, spike rasters, firing rates) for a run',
  args: [{ name: 'run-dir', description: 'a run folder written by neurite train', required: true }],
  examples: ['neurite report runs/mnist-mlp'],
  async run({ runtime, args, stdout, cwd }) {
    const dir = resolve(cwd, args[0]!);
    const { session } = await openRun(runtime, dir, cwd);
    const path = await writeReport(runtime, session, dir, dir.split('/').at(-1) ?? 'run');
    stdout.write(`${path}\n`);
    return 0;
  },
};

import { type CommandDef, ValidationError } from '@neurite/kernel';
import { loadRecording } from '../formats/load.js';
import { evaluateMotorImagery, motorImageryTrials } from '../mi/pipeline.js';
import { nodeFileSource } from './node-file.js';
import { listOption, numberOption, rangeOption, requireArg } from './options.js';

export const decodeMiCommand: CommandDef = {
  name: 'decode mi',
  summary: 'cross-validated motor-imagery decoding with Riemannian pipelines and permutation p-values',
  args: [
    {
      name: 'file',
      description: 'EEG recording with cue events (GDF 0x301/0x302… or --events)',
      required: true,
    },
  ],
  options: [
    { name: 'band', type: 'string', description: 'band-pass LO:HI in Hz', default: '8:30' },
    { name: 'tmin', type: 'number', description: 'window start after the cue (s)', default: 0.5 },
    { name: 'tmax', type: 'number', description: 'window end after the cue (s)', default: 2.5 },
    {
      name: 'events',
      type: 'list',
      description: 'event labels or codes of the classes (default: GDF cues present)',
    },
    { name: 'order', type: 'number', description: 'augmented covariance embedding order', default: 4 },
    { name: 'lag', type: 'number', description: 'augmented covariance lag (samples)', default: 4 },
    { name: 'folds', type: 'number', description: 'cross-validation folds', default: 5 },
    {
      name: 'permutations',
      type: 'number',
      description: 'label permutations for the p-values',
      default: 100,
    },
    { name: 'seed', type: 'number', description: 'seed of folds and permutations', default: 0 },
    { name: 'json', type: 'boolean', description: 'print JSON' },
  ],
  examples: ['neurite decode mi biosig_sample.gdf --json'],
  async run(ctx) {
    const file = requireArg(ctx.args, 0, 'file');
    const band = rangeOption(ctx.options, 'band', 2) ?? [8, 30];
    if (!(band[0]! > 0 && band[1]! > band[0]!))
      throw new ValidationError('--band', [{ path: 'band', message: 'needs 0 < LO < HI' }]);
    const integer = (v: number) => Number.isInteger(v) && v >= 0;
    const options = {
      band: [band[0]!, band[1]!] as const,
      tmin: numberOption(ctx.options, 'tmin', 0.5),
      tmax: numberOption(ctx.options, 'tmax', 2.5),
      order: numberOption(ctx.options, 'order', 4, (v) => integer(v) && v >= 1),
      lag: numberOption(ctx.options, 'lag', 4, (v) => integer(v) && v >= 1),
      folds: numberOption(ctx.options, 'folds', 5, (v) => integer(v) && v >= 2),
      permutations: numberOption(ctx.options, 'permutations', 100, integer),
      seed: numberOption(ctx.options, 'seed', 0, integer),
    };
    const events = listOption(ctx.options, 'events');
    const rec = await loadRecording(await nodeFileSource(file, ctx.cwd));
    const data = motorImageryTrials(rec, events ? { ...options, events } : options);
    const pipelines = evaluateMotorImagery(data, options).map((p) => ({
      name: p.name,
      accuracy: p.accuracy,
      folds: p.folds,
      pValue: p.pValue,
      chance: p.chance,
    }));
    const counts = data.classNames.map((_, k) => data.labels.filter((l) => l === k).length);
    const out = { trials: data.trials.length, classes: data.classNames, trialsPerClass: counts, pipelines };
    if (ctx.options.json) ctx.stdout.write(`${JSON.stringify(out)}\n`);
    else {
      ctx.stdout.write(
        `${out.trials} trials (${data.classNames.map((c, k) => `${c} ${counts[k]}`).join(', ')}), ${options.folds}-fold CV\n`,
      );
      for (const p of pipelines)
        ctx.stdout.write(
          `${p.name.padEnd(40)} accuracy ${p.accuracy.toFixed(3)}  p = ${p.pValue.toFixed(4)}  (chance ${p.chance.toFixed(3)})\n`,
        );
    }
    return 0;
  },
};

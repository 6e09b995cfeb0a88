import { type CommandDef, FormatError } from '@neurite/kernel';
import { readMat } from '../formats/mat.js';
import { spikeTrainsFromMat } from '../formats/mat-content.js';
import { isNwb, readNwbUnits } from '../formats/nwb.js';
import { readTracker } from '../formats/tracker.js';
import type { SpikeTrains } from '../spike-trains.js';
import { linearizeTrack } from '../spikes/linear-track.js';
import { decodePlaceCells } from '../spikes/place-decoding.js';
import { nodeFileSource } from './node-file.js';
import { numberOption, requireArg } from './options.js';

export const decodePositionCommand: CommandDef = {
  name: 'decode position',
  summary: 'Bayesian position decoding from place cells on held-out laps, against shuffled spikes',
  args: [
    {
      name: 'spikes',
      description: 'spike trains: MAT-file with unit structs (time field) or NWB units',
      required: true,
    },
    { name: 'trajectory', description: 'position-tracker file (<Start settings> … records)', required: true },
  ],
  options: [
    { name: 'bin', type: 'number', description: 'decoding time bin (s)', default: 0.5 },
    { name: 'position-bins', type: 'number', description: 'spatial bins along the track', default: 40 },
    { name: 'shuffles', type: 'number', description: 'shuffled-spike baseline repetitions', default: 20 },
    { name: 'seed', type: 'number', description: 'seed of the shuffles', default: 0 },
    { name: 'json', type: 'boolean', description: 'print JSON' },
  ],
  examples: ['neurite decode position nelpy_lineartrack_spikes.mat nelpy_lineartrack_trajectory.bin --json'],
  async run(ctx) {
    const spikesFile = await nodeFileSource(requireArg(ctx.args, 0, 'spikes'), ctx.cwd);
    const trajectoryFile = await nodeFileSource(requireArg(ctx.args, 1, 'trajectory'), ctx.cwd);
    const bytes = await spikesFile.bytes();
    let spikes: SpikeTrains | null;
    if (isNwb(bytes.subarray(0, 4096), spikesFile.name)) spikes = await readNwbUnits(bytes, spikesFile.path);
    else spikes = spikeTrainsFromMat(readMat(bytes, spikesFile.path), spikesFile.path);
    if (!spikes || spikes.units.length === 0)
      throw new FormatError(
        'spikes',
        spikesFile.path,
        'units',
        'spike trains (MAT unit structs with a time field, or NWB units)',
        'none',
      );
    const tracker = readTracker(await trajectoryFile.bytes(), trajectoryFile.path);
    const names = Object.keys(tracker.fields);
    const x = tracker.fields.xloc ?? tracker.fields[names[0]!];
    const y = tracker.fields.yloc ?? tracker.fields[names[1]!];
    if (!x || !y)
      throw new FormatError(
        'tracker',
        trajectoryFile.path,
        'Fields',
        'two coordinate fields',
        names.join(', ') || 'none',
      );
    const track = linearizeTrack(tracker.times, x, y);
    const result = decodePlaceCells(spikes, track, {
      binSeconds: numberOption(ctx.options, 'bin', 0.5, (v) => v > 0),
      positionBins: numberOption(ctx.options, 'position-bins', 40, (v) => Number.isInteger(v) && v >= 2),
      shuffles: numberOption(ctx.options, 'shuffles', 20, (v) => Number.isInteger(v) && v >= 0),
      seed: numberOption(ctx.options, 'seed', 0, Number.isInteger),
    });
    if (ctx.options.json) ctx.stdout.write(`${JSON.stringify(result)}\n`);
    else {
      ctx.stdout.write(
        `${result.units} units, ${result.laps} laps, track ${result.trackLength.toFixed(1)} units long\n`,
      );
      ctx.stdout.write(
        `median error ${result.medianError.toFixed(1)} (shuffled spikes ${result.shuffledMedianError.toFixed(1)}), p = ${result.pValue.toFixed(3)}\n`,
      );
    }
    return 0;
  },
};

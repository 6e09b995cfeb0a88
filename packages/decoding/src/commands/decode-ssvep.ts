import { type CommandDef, ValidationError } from '@neurite/kernel';
import { loadRecording } from '../formats/load.js';
import { findChannel, type Recording, recordingRate, signalChannels } from '../recording.js';
import { epoch } from '../signal/epochs.js';
import { decodeSsvep, mode } from '../ssvep/detectors.js';
import { frequencyRange } from '../ssvep/references.js';
import { Trca } from '../ssvep/trca.js';
import { nodeFileSource } from './node-file.js';
import { listOption, numberOption, rangeOption, requireArg, stringOption } from './options.js';

const METHODS = ['cca', 'fbcca', 'trca', 'snr'] as const;
type Method = (typeof METHODS)[number];

function pickChannels(rec: Recording, names: string[] | undefined): number[] {
  const rate = recordingRate(rec);
  if (!names) return signalChannels(rec).filter((i) => rec.channels[i]!.sampleRate === rate);
  return names.map((name) => {
    const i = findChannel(rec, name);
    if (i < 0) {
      throw new ValidationError(
        '--channel',
        [{ path: 'channel', message: `no channel named ${JSON.stringify(name)}` }],
        {
          hint: `channels: ${rec.channels.map((c) => c.name).join(', ')}`,
        },
      );
    }
    return i;
  });
}

/** The stimulus frequency an event label names ("12Hz", "f=8.5", "S 10" …), when it lies among the candidates. */
function frequencyOf(label: string, freqs: readonly number[]): number | null {
  const m = /(\d+(?:\.\d+)?)\s*hz/i.exec(label) ?? /(\d+(?:\.\d+)?)\s*$/.exec(label);
  if (!m) return null;
  const f = Number(m[1]);
  return freqs.find((c) => Math.abs(c - f) < 1e-6) ?? null;
}

/**
 * TRCA is trained, not training-free: it needs trials labelled with their stimulus frequency. The
 * recording's annotations that name a candidate frequency are the trials (each `window` seconds from its
 * onset); each is decoded by an ensemble TRCA trained on all the others (leave-one-out).
 */
function trcaLeaveOneOut(rec: Recording, channels: number[], window: number, freqs: number[]): number[] {
  const rate = recordingRate(rec);
  const labelled = rec.annotations.flatMap((a) => {
    const f = frequencyOf(a.label, freqs);
    return f === null ? [] : [{ onset: a.onset, f }];
  });
  const classes = new Set(labelled.map((l) => l.f));
  if (classes.size < 2) {
    throw new ValidationError(
      'decode ssvep --method trca',
      [
        {
          path: 'events',
          message: `TRCA needs trials labelled with at least two stimulus frequencies among the candidates; found ${classes.size}`,
        },
      ],
      {
        hint: 'annotate trial onsets with their frequency (e.g. "12Hz"), or use --method fbcca on unlabelled recordings',
      },
    );
  }
  const ep = epoch(
    channels.map((i) => rec.data[i]!),
    labelled.map((l) => l.onset),
    { rate, tmin: 0, tmax: window },
  );
  const size = ep.channels * ep.samples;
  const trials = Array.from({ length: ep.trials }, (_, t) => ep.data.slice(t * size, (t + 1) * size));
  const labels = ep.kept.map((i) => freqs.indexOf(labelled[i]!.f));
  return trials.map((trial, t) => {
    const others = trials.filter((_, j) => j !== t);
    const otherLabels = labels.filter((_, j) => j !== t);
    const model = new Trca({ fs: rate, ensemble: true, bands: 3 }).fit({
      trials: others,
      labels: otherLabels,
      channels: ep.channels,
      samples: ep.samples,
    });
    return freqs[model.predict(trial)]!;
  });
}

export const decodeSsvepCommand: CommandDef = {
  name: 'decode ssvep',
  summary: 'detect the SSVEP stimulation frequency in each window of an EEG recording',
  args: [
    {
      name: 'file',
      description: 'EEG recording (EDF, BDF, GDF, BrainVision .vhdr, XDF, MAT)',
      required: true,
    },
  ],
  options: [
    {
      name: 'channel',
      type: 'string',
      description: 'channel name(s), comma-separated (default: every signal channel)',
    },
    { name: 'window', type: 'number', description: 'window length in seconds', default: 4 },
    {
      name: 'freqs',
      type: 'string',
      description: 'candidate frequencies FROM:TO:STEP in Hz',
      default: '8:15:0.5',
    },
    {
      name: 'method',
      type: 'string',
      description: 'fbcca (default), cca, snr (harmonic SNR) or trca (needs frequency-labelled events)',
      default: 'fbcca',
    },
    {
      name: 'harmonics',
      type: 'number',
      description: 'harmonics in the references (default: 3 for fbcca, 2 otherwise)',
    },
    {
      name: 'notch',
      type: 'string',
      description: "mains notch: 'auto' (50/60 Hz when present), 'off', or a frequency",
      default: 'auto',
    },
    { name: 'json', type: 'boolean', description: 'print JSON' },
  ],
  examples: ['neurite decode ssvep aspmi_ssvep_POz.mat --window 4 --freqs 8:15:0.5 --json'],
  async run(ctx) {
    const file = requireArg(ctx.args, 0, 'file');
    const method = (stringOption(ctx.options, 'method') ?? 'fbcca').toLowerCase() as Method;
    if (!METHODS.includes(method))
      throw new ValidationError('--method', [
        { path: 'method', message: `expected one of ${METHODS.join(', ')}, found ${JSON.stringify(method)}` },
      ]);
    const window = numberOption(ctx.options, 'window', 4, (v) => v > 0);
    const [from, to, step] = rangeOption(ctx.options, 'freqs', 3) ?? [8, 15, 0.5];
    if (!(step! > 0) || !(to! >= from!) || !(from! > 0))
      throw new ValidationError('--freqs', [{ path: 'freqs', message: 'needs 0 < FROM ≤ TO and STEP > 0' }]);
    const freqs = frequencyRange(from!, to!, step!);
    const notchText = (stringOption(ctx.options, 'notch') ?? 'auto').toLowerCase();
    const notch =
      notchText === 'auto' ? 'auto' : notchText === 'off' || notchText === 'none' ? null : Number(notchText);
    if (typeof notch === 'number' && !(notch > 0))
      throw new ValidationError('--notch', [
        { path: 'notch', message: `expected auto, off or a frequency, found ${JSON.stringify(notchText)}` },
      ]);
    const rec = await loadRecording(await nodeFileSource(file, ctx.cwd));
    const channels = pickChannels(rec, listOption(ctx.options, 'channel'));
    const rate = rec.channels[channels[0]!]!.sampleRate;
    if (Math.round(window * rate) > rec.data[channels[0]!]!.length) {
      throw new ValidationError('--window', [
        { path: 'window', message: `${window} s is longer than the recording` },
      ]);
    }
    let frequencies: number[];
    if (method === 'trca') frequencies = trcaLeaveOneOut(rec, channels, window, freqs);
    else {
      const harmonics =
        ctx.options.harmonics === undefined
          ? undefined
          : numberOption(ctx.options, 'harmonics', 2, (v) => Number.isInteger(v) && v >= 1 && v <= 10);
      const result = decodeSsvep(
        channels.map((i) => rec.data[i]!),
        rate,
        { window, freqs, method, notch, ...(harmonics === undefined ? {} : { harmonics }) },
      );
      frequencies = result.frequencies;
    }
    const out = { windows: frequencies.length, frequencies, mode: mode(frequencies) };
    if (ctx.options.json) ctx.stdout.write(`${JSON.stringify(out)}\n`);
    else {
      ctx.stdout.write(`${method}: ${out.windows} windows of ${window} s; most frequent ${out.mode} Hz\n`);
      ctx.stdout.write(`per window (Hz): ${frequencies.join(' ')}\n`);
    }
    return 0;
  },
};

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CommandDef, createRuntime, NeuriteError, ValidationError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import decodingPlugin from '../src/index.js';
import { DATA, dataSource } from './fixtures.js';
import { syntheticSsvep } from './synthetic.js';
import { writeEdfPlus } from './writers.js';

function runtime() {
  return createRuntime({ seed: 0 }).use(decodingPlugin());
}

async function run(
  command: string,
  args: string[],
  options: Record<string, unknown>,
): Promise<{ code: number | undefined; out: string }> {
  const rt = runtime();
  const def: CommandDef = rt.registry('command').require(command);
  let out = '';
  const io = { write: (t: string) => (out += t) };
  const code = await def.run({ args, options, runtime: rt, stdout: io, stderr: io, cwd: DATA });
  return { code: code ?? 0, out };
}

describe('plugin registration', () => {
  it('registers the readers, the decode commands and the node types', () => {
    const rt = runtime();
    const mine = rt.plugins().find((p) => p.name === '@neurite/decoding')!.contributions;
    expect([...mine.format!].sort()).toEqual([
      'bdf',
      'brainvision',
      'edf',
      'gdf',
      'mat',
      'nwb',
      'spike-times-text',
      'tracker',
      'xdf',
    ]);
    expect([...mine.command!].sort()).toEqual(['decode mi', 'decode position', 'decode ssvep']);
    expect(rt.registry('node').has('deep-ssvep')).toBe(true);
    expect(rt.registry('node').has('brain-encoder')).toBe(true);
  });

  it('every fixture is detected by exactly one format and inspected with its facts', async () => {
    const rt = runtime();
    const formats = rt.registry('format').values();
    const expected: Record<string, Record<string, unknown>> = {
      'eeg/biosig_sample.gdf': { format: 'gdf', channels: 4, sampleRate: 256, annotations: 200 },
      'eeg/mne_test_bdf_stim_channel.bdf': {
        format: 'bdf',
        channels: 3,
        sampleRate: 500,
        durationSeconds: 10,
        annotations: 9,
      },
      'eeg/brainvision/test.vhdr': { format: 'brainvision', channels: 32, sampleRate: 1000, annotations: 14 },
      'eeg/eeglab_test.xdf': { format: 'xdf', channels: 8, sampleRate: 1000 },
      'eeg/aspmi_ssvep_POz.mat': { format: 'mat', channels: 1, sampleRate: 1200, durationSeconds: 80 },
      'spikes/nelpy_lineartrack_spikes.mat': { format: 'mat', units: 31, spikes: 28829 },
      'spikes/nelpy_lineartrack_trajectory.bin': { format: 'tracker', samples: 118965 },
      'spikes/grasshopper_spike_times1.txt': { format: 'spike-times-text', units: 1, spikes: 929 },
    };
    for (const [path, facts] of Object.entries(expected)) {
      const file = await dataSource(path);
      const head = await file.head(4096);
      const matching = formats.filter((f) => f.detect(head, file.name));
      expect(
        matching.map((f) => f.name),
        path,
      ).toEqual([facts.format]);
      const summary = await matching[0]!.inspect(file, rt);
      expect(summary, path).toMatchObject(facts);
    }
  });
});

describe('neurite decode ssvep', () => {
  it('prints windows, per-window frequencies and their mode as JSON (default FBCCA)', async () => {
    const { code, out } = await run('decode ssvep', ['eeg/aspmi_ssvep_POz.mat'], {
      window: 4,
      freqs: '8:15:0.5',
      json: true,
    });
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(Object.keys(result)).toEqual(['windows', 'frequencies', 'mode']);
    expect(result.windows).toBe(20);
    expect(result.mode).toBe(13);
    expect(result.frequencies.filter((f: number) => f === 13)).toHaveLength(14);
  });

  it('offers cca and snr, and names the channel', async () => {
    const cca = JSON.parse(
      (await run('decode ssvep', ['eeg/aspmi_ssvep_POz.mat'], { method: 'cca', channel: 'POz', json: true }))
        .out,
    );
    expect(cca.mode).toBe(8.5);
    const snr = JSON.parse(
      (await run('decode ssvep', ['eeg/aspmi_ssvep_POz.mat'], { method: 'snr', json: true })).out,
    );
    expect(snr.mode).toBe(13);
    const text = (await run('decode ssvep', ['eeg/aspmi_ssvep_POz.mat'], { method: 'snr' })).out;
    expect(text).toMatch(/most frequent 13 Hz/);
  });

  it('bad input is a typed error', async () => {
    await expect(
      run('decode ssvep', ['eeg/aspmi_ssvep_POz.mat'], { method: 'magic' }),
    ).rejects.toBeInstanceOf(ValidationError);
    await expect(run('decode ssvep', ['eeg/aspmi_ssvep_POz.mat'], { channel: 'Cz' })).rejects.toThrow(
      /no channel named "Cz"/,
    );
    await expect(run('decode ssvep', ['eeg/aspmi_ssvep_POz.mat'], { freqs: '8:15' })).rejects.toThrow(
      /FROM:TO:STEP/,
    );
    await expect(run('decode ssvep', ['eeg/aspmi_ssvep_POz.mat'], { method: 'trca' })).rejects.toThrow(
      /TRCA needs trials labelled/,
    );
    await expect(run('decode ssvep', ['spikes/grasshopper_spike_times1.txt'], {})).rejects.toBeInstanceOf(
      NeuriteError,
    );
    await expect(run('decode ssvep', [], {})).rejects.toThrow(/missing <file>/);
  });

  it('trca decodes frequency-labelled trials leave-one-out (an EDF+ file written for the test)', async () => {
    const fs = 250;
    const freqs = [8, 10, 12];
    const data = syntheticSsvep({
      freqs,
      trialsPerClass: 4,
      channels: 3,
      samples: 250,
      fs,
      noise: 1,
      seed: 4,
    });
    // Trials laid end to end, one per second, each annotated with its frequency.
    const order = data.trials.map((_, i) => i);
    const records = order.length;
    const toDigital = (v: number) => Math.max(-32768, Math.min(32767, Math.round(v * 1000)));
    const bytes = writeEdfPlus({
      signals: [0, 1, 2].map((c) => ({
        label: `O${c + 1}`,
        unit: 'uV',
        physMin: -32.768,
        physMax: 32.767,
        digMin: -32768,
        digMax: 32767,
        samplesPerRecord: fs,
      })),
      records,
      recordSeconds: 1,
      digital: (s, r) => Array.from(data.trials[order[r]!]!.subarray(s * 250, (s + 1) * 250), toDigital),
      tals: order.map((i, r) => `+${r}\x14\x14\x00+${r}\x14${freqs[data.labels[i]!]}Hz\x14\x00`),
    });
    const dir = mkdtempSync(join(tmpdir(), 'neurite-decoding-'));
    writeFileSync(join(dir, 'trca.edf'), bytes);
    const { out } = await run('decode ssvep', [join(dir, 'trca.edf')], {
      method: 'trca',
      window: 1,
      freqs: '8:12:2',
      json: true,
    });
    const result = JSON.parse(out);
    expect(result.windows).toBe(12);
    const truth = order.map((i) => freqs[data.labels[i]!]);
    expect(result.frequencies).toEqual(truth);
  });
});

describe('neurite decode mi / position', () => {
  it('mi prints cross-validated accuracies with permutation p-values per pipeline', async () => {
    const { out } = await run('decode mi', ['eeg/biosig_sample.gdf'], {
      order: 2,
      lag: 2,
      permutations: 20,
      json: true,
    });
    const result = JSON.parse(out);
    expect(result.trials).toBe(40);
    expect(result.classes).toEqual(['left', 'right']);
    expect(result.trialsPerClass).toEqual([20, 20]);
    expect(result.pipelines).toHaveLength(4);
    for (const p of result.pipelines) {
      expect(p.accuracy).toBeGreaterThanOrEqual(0.95);
      expect(p.pValue).toBeLessThan(0.05);
    }
    await expect(run('decode mi', ['eeg/aspmi_ssvep_POz.mat'], {})).rejects.toThrow(
      /at least two event classes/,
    );
  });

  it('position prints the median error on held-out laps and the shuffled baseline', async () => {
    const { out } = await run(
      'decode position',
      ['spikes/nelpy_lineartrack_spikes.mat', 'spikes/nelpy_lineartrack_trajectory.bin'],
      { shuffles: 10, json: true },
    );
    const result = JSON.parse(out);
    expect(result.units).toBe(31);
    expect(result.medianError).toBeLessThan(result.shuffledMedianError / 3);
    await expect(
      run('decode position', ['eeg/aspmi_ssvep_POz.mat', 'spikes/nelpy_lineartrack_trajectory.bin'], {}),
    ).rejects.toThrow(/spike trains/);
    // The option is read under its kebab-case name, as the CLI passes it.
    await expect(
      run(
        'decode position',
        ['spikes/nelpy_lineartrack_spikes.mat', 'spikes/nelpy_lineartrack_trajectory.bin'],
        {
          'position-bins': 1,
        },
      ),
    ).rejects.toThrow(/--position-bins/);
  });
});

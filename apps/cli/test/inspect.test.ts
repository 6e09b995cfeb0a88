import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJson, neurite, sharedData, tempDir } from './cli.ts';

/** Every file family in ../shared/data that a landed plugin reads, with the facts its README states. */
const facts: [string, Record<string, unknown>][] = [
  ['events/tonic_sample_nmnist.bin', { format: 'atis-bin', events: 4325, sensor: [34, 34] }],
  // The shared README says 118,651 (tonic's test value, from reading this AEDAT 4 file with its AEDAT 3 packet
  // reader); the file's packets and its own packet table hold 111,954 (see packages/datasets/README.md).
  ['events/tonic_sample.aedat4', { format: 'aedat4', events: 111954, sensor: [320, 240] }],
  ['events/expelliarmus_evt3_sample.raw', { format: 'evt3', events: 219596 }],
  ['spikes/navis_sound_mono_32ch.aedat', { format: 'cochlea-aer', spikes: 49864, channels: 64 }],
  ['spikes/nelpy_lineartrack_spikes.mat', { format: 'mat', units: 31, spikes: 28829 }],
  ['spikes/grasshopper_spike_times1.txt', { spikes: 929, units: 1 }],
  ['eeg/biosig_sample.gdf', { format: 'gdf', channels: 4, sampleRate: 256, annotations: 200 }],
  [
    'eeg/brainvision/test.vhdr',
    { format: 'brainvision', channels: 32, sampleRate: 1000, durationSeconds: 7.9 },
  ],
  ['eeg/mne_test_bdf_stim_channel.bdf', { format: 'bdf', channels: 3, sampleRate: 500, durationSeconds: 10 }],
  ['eeg/eeglab_test.xdf', { format: 'xdf', channels: 8, sampleRate: 1000 }],
  ['eeg/aspmi_ssvep_POz.mat', { format: 'mat', channels: 1, sampleRate: 1200, durationSeconds: 80 }],
  ['audio/fsdd/0_george_27.wav', { format: 'wav', channels: 1, sampleRate: 8000 }],
  ['audio/tflm_yes_1000ms.wav', { format: 'wav', channels: 1, sampleRate: 16000, durationSeconds: 1 }],
  ['nir/lif_norse.nir', { format: 'nir', nodes: 4, version: '0.1.1' }],
  ['nir/braille_noDelay_bias_zero.nir', { format: 'nir', nodes: 7 }],
  ['nir/snntorch_scnn_mnist.nir', { format: 'nir' }],
];

describe('neurite inspect', () => {
  for (const [file, expected] of facts) {
    it(`identifies ${file} by content and reports its facts`, async () => {
      // A copy under another name: detection must come from the bytes. Headerless formats (ATIS .bin,
      // raw EVT, AER, text spike times) are recognised by structure plus their extension, so they keep
      // it; BrainVision keeps its sibling files, which its header names.
      const dir = tempDir();
      const ext = file.slice(file.lastIndexOf('.'));
      let target = 'unnamed';
      if (ext === '.vhdr') {
        for (const e of ['vhdr', 'vmrk', 'eeg'])
          copyFileSync(join(sharedData, file.replace(/vhdr$/, e)), join(dir, `test.${e}`));
        target = 'recording.vhdr';
      } else if (['.bin', '.txt', '.raw', '.aedat'].includes(ext)) target = `unnamed${ext}`;
      copyFileSync(join(sharedData, file), join(dir, target));
      const run = await neurite(['inspect', target, '--json'], { cwd: dir });
      expect(run.code, run.stderr).toBe(0);
      const summary = lastJson(run);
      for (const [key, value] of Object.entries(expected)) {
        if (key === 'durationSeconds') expect(summary[key] as number, key).toBeCloseTo(value as number, 2);
        else expect(summary[key], key).toEqual(value);
      }
    });
  }

  it('answers an unknown file with one line and exit code 2', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'notes.xyz'), 'just some text that no reader claims\n');
    const run = await neurite(['inspect', 'notes.xyz'], { cwd: dir });
    expect(run.code).toBe(2);
    const lines = run.stderr
      .trim()
      .split('\n')
      .filter((l) => !l.includes('failed to load'));
    expect(lines[0]).toMatch(/^neurite: .*notes\.xyz.*expected a format a loaded plugin reads/);
  });

  it('answers a truncated file with a typed error and exit code 2', async () => {
    const dir = tempDir();
    const bytes = (await import('node:fs')).readFileSync(join(sharedData, 'eeg/biosig_sample.gdf'));
    writeFileSync(join(dir, 'cut.gdf'), bytes.subarray(0, 300));
    const run = await neurite(['inspect', 'cut.gdf', '--json'], { cwd: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/cut\.gdf/);
  });

  it('answers a missing file with exit code 2', async () => {
    const run = await neurite(['inspect', 'does-not-exist.edf'], { cwd: tempDir() });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ENOENT|no such file/);
  });
});

import { createRuntime } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { spikeStimulusRetrieval } from '../src/contrastive/grasshopper.js';
import { readGdf } from '../src/formats/gdf.js';
import { readMat } from '../src/formats/mat.js';
import { spikeTrainsFromMat } from '../src/formats/mat-content.js';
import { readSpikeTimesMicroseconds, readTextColumns } from '../src/formats/text-series.js';
import { readTracker } from '../src/formats/tracker.js';
import { evaluateMotorImagery, motorImageryTrials } from '../src/mi/pipeline.js';
import { linearizeTrack } from '../src/spikes/linear-track.js';
import { decodePlaceCells } from '../src/spikes/place-decoding.js';
import { dataBytes } from './fixtures.js';

describe('motor imagery on biosig_sample.gdf (left vs right cue, 8–30 Hz, 0.5–2.5 s after the cue)', () => {
  it('MDM and tangent space, with and without augmented covariance, beat chance with p < 0.05', () => {
    const data = motorImageryTrials(readGdf(dataBytes('eeg/biosig_sample.gdf')));
    expect(data.trials).toHaveLength(40);
    expect(data.classNames).toEqual(['left', 'right']);
    expect(data.labels.filter((l) => l === 0)).toHaveLength(20);
    const results = evaluateMotorImagery(data, { order: 2, lag: 2, permutations: 30, seed: 0 });
    expect(results.map((r) => r.name)).toEqual([
      'mdm',
      'tangent-space+lr',
      'augmented(2,2)+mdm',
      'augmented(2,2)+tangent-space+lr',
    ]);
    for (const r of results) {
      // MNE's CSP + LDA reaches 0.95–0.975 on this file; every Riemannian pipeline reaches 0.975.
      expect(r.accuracy).toBeGreaterThanOrEqual(0.95);
      expect(r.pValue).toBeLessThan(0.05);
      expect(r.chance).toBeLessThan(0.7);
    }
  });
});

describe('place cells (nelpy linear track)', () => {
  it('median position error on held-out laps is far below the shuffled-spikes baseline', () => {
    const spikes = spikeTrainsFromMat(readMat(dataBytes('spikes/nelpy_lineartrack_spikes.mat')))!;
    const tr = readTracker(dataBytes('spikes/nelpy_lineartrack_trajectory.bin'));
    const track = linearizeTrack(tr.times, tr.fields.xloc!, tr.fields.yloc!);
    // The tracker lost the animal for the last 1,000 s (a fixed coordinate) and the first 26 s.
    expect(track.valid.reduce((a, b) => a + b, 0)).toBe(118965 - 1550 - 59833);
    const r = decodePlaceCells(spikes, track, { binSeconds: 0.5, shuffles: 20, seed: 0 });
    expect(r.units).toBe(31);
    expect(r.laps).toBeGreaterThan(40);
    expect(r.medianError).toBeLessThan(0.06 * r.trackLength);
    expect(r.shuffledMedianError).toBeGreaterThan(3 * r.medianError);
    expect(r.pValue).toBeLessThan(0.05);
  });
});

describe('contrastive decoding (grasshopper auditory neuron: spikes ↔ stimulus segments)', () => {
  it('retrieves held-out 100-ms stimulus segments from spikes far above chance', async () => {
    const spikes = readSpikeTimesMicroseconds(
      new TextDecoder().decode(dataBytes('spikes/grasshopper_spike_times1.txt')),
    );
    const [time, amplitude] = readTextColumns(
      new TextDecoder().decode(dataBytes('spikes/grasshopper_stimulus1.txt')),
    );
    const r = await spikeStimulusRetrieval(
      createRuntime({ seed: 1 }),
      spikes,
      time!.map((v) => v * 1e-6),
      amplitude!,
      {
        segmentMs: 100,
        steps: 100,
        hidden: 8,
        batch: 32,
        seed: 0,
      },
    );
    expect(r.candidates).toBe(24);
    expect(r.chanceTop1).toBeCloseTo(1 / 24);
    expect(r.top1).toBeGreaterThanOrEqual(0.5);
    expect(r.top10).toBeGreaterThanOrEqual(0.9);
  });
});

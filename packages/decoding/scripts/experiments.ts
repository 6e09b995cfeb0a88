/**
 * The experiments on the shared recordings, with every figure printed. Run from the repository
 * root: `npx tsx --conditions=source packages/decoding/scripts/experiments.ts` (about a minute).
 */
import { readFileSync } from 'node:fs';
import { createRuntime } from '@neurite/kernel';
import {
  decodePlaceCells,
  decodeSsvep,
  evaluateMotorImagery,
  frequencyRange,
  itr,
  linearizeTrack,
  motorImageryTrials,
  readGdf,
  readMat,
  readSpikeTimesMicroseconds,
  readTextColumns,
  readTracker,
  recordingFromMat,
  spikeStimulusRetrieval,
  spikeTrainsFromMat,
} from '../src/index.js';

const data = new URL('../../../../shared/data/', import.meta.url);
const bytes = (p: string) => new Uint8Array(readFileSync(new URL(p, data)));
const text = (p: string) => new TextDecoder().decode(bytes(p));

console.log(
  'ITR(1, 40, 0.9) =',
  itr(1, 40, 0.9).toFixed(3),
  '; ITR(0.9, 40, 1.5) =',
  itr(0.9, 40, 1.5).toFixed(3),
  '; ITR(0.5, 40, 1) =',
  itr(0.5, 40, 1).toFixed(3),
);

const ssvep = recordingFromMat(readMat(bytes('eeg/aspmi_ssvep_POz.mat')))!;
const freqs = frequencyRange(8, 15, 0.5);
for (const notch of ['auto', null] as const) {
  for (const method of ['cca', 'fbcca', 'snr'] as const) {
    const r = decodeSsvep([ssvep.data[0]!], 1200, { window: 4, freqs, method, notch });
    const hits = r.frequencies.filter((f) => f === 13).length;
    console.log(
      `SSVEP ${method.padEnd(5)} notch ${String(r.notch).padEnd(4)}: 13 Hz in ${hits}/${r.windows} windows (${((100 * hits) / r.windows).toFixed(0)} %), mode ${r.mode} Hz`,
    );
  }
}

const mi = motorImageryTrials(readGdf(bytes('eeg/biosig_sample.gdf')));
for (const [order, lag] of [
  [4, 4],
  [2, 2],
] as const) {
  for (const r of evaluateMotorImagery(mi, { order, lag, permutations: 100, seed: 0 })) {
    console.log(
      `MI ${r.name.padEnd(36)} accuracy ${r.accuracy.toFixed(3)} folds [${r.folds.map((f) => f.toFixed(3)).join(', ')}] p = ${r.pValue.toFixed(4)} (permutation chance ${r.chance.toFixed(3)})`,
    );
  }
}

const spikes = spikeTrainsFromMat(readMat(bytes('spikes/nelpy_lineartrack_spikes.mat')))!;
const tracker = readTracker(bytes('spikes/nelpy_lineartrack_trajectory.bin'));
const track = linearizeTrack(tracker.times, tracker.fields.xloc!, tracker.fields.yloc!);
for (const binSeconds of [0.25, 0.5, 1]) {
  const r = decodePlaceCells(spikes, track, { binSeconds, shuffles: 100, seed: 0 });
  console.log(
    `Place cells (bin ${binSeconds} s): median error ${r.medianError.toFixed(1)} px = ${((100 * r.medianError) / r.trackLength).toFixed(1)} % of the ${r.trackLength.toFixed(0)}-px track; shuffled ${r.shuffledMedianError.toFixed(1)} px; p = ${r.pValue.toFixed(4)}; ${r.laps} laps, ${r.testBins} test bins`,
  );
}

const spikeTimes = readSpikeTimesMicroseconds(text('spikes/grasshopper_spike_times1.txt'));
const [time, amplitude] = readTextColumns(text('spikes/grasshopper_stimulus1.txt'));
const seconds = time!.map((v) => v * 1e-6);
for (const [segmentMs, steps, hidden, batch] of [
  [100, 100, 8, 32],
  [100, 300, 16, 64],
  [50, 300, 16, 64],
] as const) {
  const r = await spikeStimulusRetrieval(createRuntime({ seed: 1 }), spikeTimes, seconds, amplitude!, {
    segmentMs,
    steps,
    hidden,
    batch,
    seed: 0,
  });
  console.log(
    `Contrastive ${segmentMs} ms, ${steps} steps, hidden ${hidden}: top-1 ${(100 * r.top1).toFixed(1)} % (chance ${(100 * r.chanceTop1).toFixed(1)} %), top-10 ${(100 * r.top10).toFixed(1)} % (chance ${(100 * r.chanceTop10).toFixed(1)} %) among ${r.candidates} held-out segments`,
  );
}
// Control: spikes shifted by 5 s (circularly) no longer belong to the stimulus they are paired with.
const shifted = Float64Array.from(spikeTimes, (t) => (t + 5) % 10).sort();
const control = await spikeStimulusRetrieval(createRuntime({ seed: 1 }), shifted, seconds, amplitude!, {
  segmentMs: 100,
  steps: 100,
  hidden: 8,
  batch: 32,
  seed: 0,
});
console.log(
  `Contrastive control (spikes shifted 5 s): top-1 ${(100 * control.top1).toFixed(1)} %, top-10 ${(100 * control.top10).toFixed(1)} % among ${control.candidates}`,
);

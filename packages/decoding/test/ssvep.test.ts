import { Adam, createRuntime, crossEntropy } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { readMat } from '../src/formats/mat.js';
import { recordingFromMat } from '../src/formats/mat-content.js';
import { cca } from '../src/ssvep/cca.js';
import { DeepSsvep, deepSsvepInput } from '../src/ssvep/deep-ssvep.js';
import { decodeSsvep } from '../src/ssvep/detectors.js';
import { itr } from '../src/ssvep/itr.js';
import { frequencyRange, sinCosReference } from '../src/ssvep/references.js';
import { Trca } from '../src/ssvep/trca.js';
import { dataBytes } from './fixtures.js';
import { syntheticSsvep } from './synthetic.js';

describe('ITR (methods.md §6 test vectors)', () => {
  it('matches the reference values', () => {
    expect(itr(1, 40, 0.9)).toBeCloseTo(354.795, 3);
    expect(itr(0.9, 40, 1.5)).toBeCloseTo(172.976, 3);
    expect(itr(0.5, 40, 1.0)).toBeCloseTo(100.754, 3);
    expect(itr(0.02, 40, 1)).toBe(0);
    expect(() => itr(1.5, 40, 1)).toThrow(/0 ≤ p ≤ 1/);
  });
});

describe('CCA', () => {
  it('a signal inside the span of its references has correlation 1; an orthogonal one 0', () => {
    const fs = 250;
    const n = 500;
    const ref = sinCosReference(10, 2, n, fs);
    const x = Float64Array.from(
      { length: n },
      (_, k) => 0.3 * Math.sin((2 * Math.PI * 10 * k) / fs + 1) + 0.1 * Math.cos((2 * Math.PI * 20 * k) / fs),
    );
    expect(cca(x, 1, ref, 4, n)).toBeCloseTo(1, 9);
    const other = Float64Array.from({ length: n }, (_, k) => Math.sin((2 * Math.PI * 13 * k) / fs));
    expect(cca(other, 1, ref, 4, n)).toBeLessThan(1e-9);
  });

  it('one channel against references equals the multiple correlation of regression on them', () => {
    const fs = 200;
    const n = 400;
    const ref = sinCosReference(7, 1, n, fs);
    // x = a·sin + b·cos + noise orthogonal to both: r = ‖projection‖/‖x‖ = √(a²+b²)/√(a²+b²+c²) (all centred, orthogonal).
    const x = Float64Array.from(
      { length: n },
      (_, k) => 2 * ref[k]! + 1 * ref[n + k]! + 1.5 * Math.sin((2 * Math.PI * 31 * k) / fs),
    );
    expect(cca(x, 1, ref, 2, n)).toBeCloseTo(Math.sqrt(5 / (5 + 2.25)), 9);
  });
});

describe('SSVEP on aspmi_ssvep_POz.mat (13 Hz stimulus; 4-s windows; 8–15 Hz in 0.5 Hz steps)', () => {
  const rec = recordingFromMat(readMat(dataBytes('eeg/aspmi_ssvep_POz.mat')))!;
  const freqs = frequencyRange(8, 15, 0.5);
  const run = (method: 'cca' | 'fbcca' | 'snr') =>
    decodeSsvep([rec.data[0]!], 1200, { window: 4, freqs, method });

  it('plain CCA falls for the alpha rhythm (mode 8.5 Hz, 13 Hz in 10 % of windows)', () => {
    const r = run('cca');
    expect(r.windows).toBe(20);
    expect(r.notch).toBe(50);
    expect(r.mode).toBe(8.5);
    expect(r.frequencies.filter((f) => f === 13).length).toBe(2);
  });

  it('FBCCA finds 13 Hz in 70 % of windows (reference implementation: 45 %)', () => {
    const r = run('fbcca');
    expect(r.mode).toBe(13);
    expect(r.frequencies.filter((f) => f === 13).length).toBe(14);
  });

  it('the harmonic SNR detector finds 13 Hz in 65 % of windows (reference implementation: 60 %)', () => {
    const r = run('snr');
    expect(r.mode).toBe(13);
    expect(r.frequencies.filter((f) => f === 13).length).toBe(13);
  });
});

describe('TRCA and ensemble TRCA', () => {
  const fs = 250;
  const freqs = [8, 9, 10, 11];
  const accuracy = (noise: number, samples: number, ensemble: boolean, bands: number) => {
    const train = syntheticSsvep({ freqs, trialsPerClass: 5, channels: 6, samples, fs, noise, seed: 1 });
    const test = syntheticSsvep({ freqs, trialsPerClass: 10, channels: 6, samples, fs, noise, seed: 2 });
    const model = new Trca({ fs, ensemble, bands }).fit({ ...train, channels: 6, samples });
    return test.trials.filter((t, i) => model.predict(t) === test.labels[i]).length / test.trials.length;
  };

  it('classify every held-out trial at moderate noise, with and without the filter bank', () => {
    for (const ensemble of [false, true])
      for (const bands of [1, 3]) expect(accuracy(3, 250, ensemble, bands)).toBe(1);
  });

  it('the ensemble beats single filters when trials are short and noisy (chance 0.25)', () => {
    const plain = accuracy(6, 125, false, 1);
    const ensemble = accuracy(6, 125, true, 1);
    expect(plain).toBeGreaterThanOrEqual(0.6);
    expect(ensemble).toBeGreaterThan(plain);
  });

  it('the spatial filter recovers the mixing direction of a noise-free source', async () => {
    const { trcaFilter } = await import('../src/ssvep/trca.js');
    const data = syntheticSsvep({
      freqs: [10],
      trialsPerClass: 4,
      channels: 3,
      samples: 200,
      fs: 200,
      noise: 0.05,
      seed: 3,
    });
    const w = trcaFilter(data.trials, 3, 200);
    // The projection of the trials is the shared response: correlation between trials near 1.
    const proj = data.trials.map((t) =>
      Float64Array.from({ length: 200 }, (_, k) => w[0]! * t[k]! + w[1]! * t[200 + k]! + w[2]! * t[400 + k]!),
    );
    const { corrcoef } = await import('../src/ssvep/trca.js');
    expect(corrcoef(proj[0]!, proj[1]!)).toBeGreaterThan(0.99);
  });
});

describe('Deep-SSVEP network', () => {
  it('trains with Adam on synthetic trials and classifies held-out ones above chance', async () => {
    const fs = 250;
    const freqs = [8, 10, 12, 14];
    const channels = 4;
    const samples = 100;
    const make = (seed: number, n: number) =>
      syntheticSsvep({ freqs, trialsPerClass: n, channels, samples, fs, noise: 1.5, seed });
    const train = make(5, 12);
    const test = make(6, 6);
    const rt = createRuntime({ seed: 7 });
    const xTrain = rt.fromArray(deepSsvepInput(train.trials, channels, samples, fs), [
      train.trials.length,
      3,
      channels,
      samples,
    ]);
    const yTrain = rt.fromArray(Int32Array.from(train.labels), [train.labels.length]);
    const xTest = rt.fromArray(deepSsvepInput(test.trials, channels, samples, fs), [
      test.trials.length,
      3,
      channels,
      samples,
    ]);
    const model = new DeepSsvep(rt, { channels, samples, classes: 4, filters: 16, lastDropout: 0.5 });
    expect(model.describe().type).toBe('deep-ssvep');
    const opt = new Adam(model.parameters(), { lr: 3e-3, weightDecay: 1e-3 });
    let first = 0;
    let last = 0;
    for (let epoch = 0; epoch < 40; epoch++) {
      opt.zeroGrad();
      const loss = crossEntropy(model.forward(xTrain), yTrain);
      loss.backward();
      opt.step();
      const value = await loss.item();
      if (epoch === 0) first = value;
      last = value;
    }
    expect(last).toBeLessThan(first * 0.5);
    model.eval();
    const predicted = await model.forward(xTest).argmax(1).data();
    const correct = test.labels.filter((y, i) => predicted[i] === y).length;
    expect(correct / test.labels.length).toBeGreaterThan(0.6);
  });
});

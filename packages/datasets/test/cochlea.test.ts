import { ValidationError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { cochleaParams, cochleaSpikes, erbSpacedFrequencies, mono, readWav } from '../src/index.js';
import { encodeAll } from '../src/node.js';
import { readData } from './helpers.js';

const erbRate = (f: number) => 21.4 * Math.log10(1 + 0.00437 * f);

function tone(frequency: number, seconds: number, rate: number, amplitude = 0.5): Float32Array {
  return Float32Array.from(
    { length: Math.round(seconds * rate) },
    (_, i) => amplitude * Math.sin((2 * Math.PI * frequency * i) / rate),
  );
}

describe('ERB-spaced centre frequencies', () => {
  it('run from the lowest to the highest frequency in equal ERB-rate steps', () => {
    const f = erbSpacedFrequencies(700, 50, 3800);
    expect(f[0]).toBeCloseTo(50, 9);
    expect(f[699]).toBeCloseTo(3800, 9);
    const step = erbRate(f[1]!) - erbRate(f[0]!);
    for (let c = 1; c < 700; c++) expect(erbRate(f[c]!) - erbRate(f[c - 1]!)).toBeCloseTo(step, 9);
  });
  it('default to 50 Hz … 0.95 × Nyquist with 700 channels', () => {
    const p = cochleaParams({}, 8000);
    expect([p.channels, p.minFrequency, p.maxFrequency]).toEqual([700, 50, 3800]);
    expect(() => cochleaParams({ maxFrequency: 4000 }, 8000)).toThrow(ValidationError);
    expect(() => cochleaParams({ channels: 0 }, 8000)).toThrow(ValidationError);
  });
});

describe('cochlear front end', () => {
  const rate = 8000;
  const centres = erbSpacedFrequencies(700, 50, 3800);
  const perChannel = (units: Uint16Array, channels = 700) => {
    const counts = new Array(channels).fill(0);
    for (const u of units) counts[u]++;
    return counts as number[];
  };
  it('answers a pure tone in the channels tuned to it', () => {
    for (const frequency of [300, 1000, 2500]) {
      const { times, units } = cochleaSpikes(tone(frequency, 0.3, rate), rate);
      const counts = perChannel(units);
      const best = counts.indexOf(Math.max(...counts));
      expect(Math.abs(erbRate(centres[best]!) - erbRate(frequency))).toBeLessThan(1);
      // Channels more than 4 ERB away fire less than 2 % of the spikes.
      const far = counts
        .filter((_, c) => Math.abs(erbRate(centres[c]!) - erbRate(frequency)) > 4)
        .reduce((a, b) => a + b, 0);
      expect(far / times.length).toBeLessThan(0.02);
      expect(times.length).toBeGreaterThan(100);
    }
  });
  it('is silent for silence and sorted by time then channel otherwise', () => {
    expect(cochleaSpikes(new Float32Array(4000), rate).times.length).toBe(0);
    const audio = readWav(readData('audio/fsdd/3_jackson_0.wav'));
    const { times, units } = cochleaSpikes(mono(audio), audio.sampleRate);
    for (let i = 1; i < times.length; i++) {
      expect(times[i]! > times[i - 1]! || (times[i] === times[i - 1] && units[i]! > units[i - 1]!)).toBe(
        true,
      );
    }
    expect(Math.max(...units)).toBeLessThan(700);
    expect(times[times.length - 1]!).toBeLessThan(audio.samples / audio.sampleRate);
  });
  it('gives fewer channels on request, and the same spikes on worker threads as on the main thread', async () => {
    const audio = ['0_george_0.wav', '7_lucas_3.wav', '9_nicolas_12.wav'].map((n) =>
      readWav(readData(`audio/fsdd/${n}`)),
    );
    const params = cochleaParams({ channels: 140 }, 8000);
    const jobs = audio.map((a) => ({ signal: mono(a), sampleRate: a.sampleRate }));
    const inline = await encodeAll(jobs, params, { workers: 0 });
    const threaded = await encodeAll(jobs, params, { workers: 2 });
    expect(threaded).toEqual(inline);
    for (const s of inline) expect(Math.max(...s.units)).toBeLessThan(140);
    expect(inline[0]!.times.length).toBeGreaterThan(0);
  });
});

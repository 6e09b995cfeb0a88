import { describe, expect, it } from 'vitest';
import { epoch } from '../src/signal/epochs.js';
import { filtfilt, lfilterZi, sos2tf, sosfilt, sosfiltfilt, sosfiltZi } from '../src/signal/filter.js';
import {
  butter,
  cheb1ordBandpass,
  cheby1,
  iirFilter,
  iirNotch,
  sosFrequencyResponse,
} from '../src/signal/iir-design.js';
import { averageReference, channelReference } from '../src/signal/reference.js';
import { resamplePoly } from '../src/signal/resample.js';

const close = (actual: ArrayLike<number>, expected: readonly number[], digits = 10) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) => {
    expect(actual[i]!).toBeCloseTo(v, digits);
  });
};

describe('IIR design (closed forms)', () => {
  it('Butterworth band-pass: |H| = 1/√2 at both corners, 1 at the centre, 0 at DC and Nyquist', () => {
    for (const order of [1, 2, 4, 6]) {
      const sos = butter(order, [8, 30], 'bandpass', 256);
      const centre = Math.sqrt(Math.tan((Math.PI * 8) / 256) * Math.tan((Math.PI * 30) / 256));
      const f0 = (256 / Math.PI) * Math.atan(centre); // the digital image of the analog centre
      const { magnitude } = sosFrequencyResponse(sos, [8, 30, f0, 0, 128], 256);
      expect(magnitude[0]).toBeCloseTo(Math.SQRT1_2, 10);
      expect(magnitude[1]).toBeCloseTo(Math.SQRT1_2, 10);
      expect(magnitude[2]).toBeCloseTo(1, 10);
      expect(magnitude[3]).toBeLessThan(1e-12);
      expect(magnitude[4]).toBeLessThan(1e-12);
    }
  });

  it('Butterworth low- and high-pass corners at 1/√2', () => {
    for (const type of ['lowpass', 'highpass'] as const) {
      const { magnitude } = sosFrequencyResponse(butter(3, 10, type, 100), [10], 100);
      expect(magnitude[0]).toBeCloseTo(Math.SQRT1_2, 12);
    }
  });

  it('Chebyshev I band-pass: gain 10^(−rp/20) at the band edges, ripple within [10^(−rp/20), 1] inside', () => {
    for (const [order, rp] of [
      [2, 1],
      [3, 0.5],
      [4, 1],
    ] as const) {
      const sos = cheby1(order, rp, [8, 90], 'bandpass', 250);
      const floor = 10 ** (-rp / 20);
      const freqs = Array.from({ length: 200 }, (_, i) => 8 + (82 * i) / 199);
      const { magnitude } = sosFrequencyResponse(sos, freqs, 250);
      expect(magnitude[0]).toBeCloseTo(floor, 10);
      expect(magnitude[199]).toBeCloseTo(floor, 10);
      for (const m of magnitude) {
        expect(m).toBeGreaterThanOrEqual(floor - 1e-9);
        expect(m).toBeLessThanOrEqual(1 + 1e-9);
      }
      expect(Math.max(...magnitude)).toBeCloseTo(1, 3);
    }
  });

  it('notches: band-stop and iirnotch reject the notch frequency and pass far away', () => {
    const bs = butter(2, [48, 52], 'bandstop', 500);
    const n = iirNotch(50, 30, 500);
    // The band-stop null sits at the digital image of the geometric mean of the prewarped corners.
    const centre =
      (500 / Math.PI) * Math.atan(Math.sqrt(Math.tan((Math.PI * 48) / 500) * Math.tan((Math.PI * 52) / 500)));
    for (const [sos, f0] of [
      [bs, centre],
      [n, 50],
    ] as const) {
      const { magnitude } = sosFrequencyResponse(sos, [f0, 10, 150], 500);
      expect(magnitude[0]).toBeLessThan(1e-10);
      expect(magnitude[1]).toBeGreaterThan(0.99);
      expect(magnitude[2]).toBeGreaterThan(0.99);
    }
    // iirnotch's −3 dB width is f0/Q.
    const edges = sosFrequencyResponse(n, [50 - 50 / 60, 50 + 50 / 60], 500).magnitude;
    for (const m of edges) expect(m).toBeCloseTo(Math.SQRT1_2, 2);
  });

  it('matches scipy.signal transfer functions (values printed by scipy 1.17)', () => {
    let tf = sos2tf(butter(2, [8, 30], 'bandpass', 256));
    close(tf.b, [0.052170416386086, 0, -0.104340832772171, 0, 0.052170416386086], 12);
    close(tf.a, [1, -3.019599635984828, 3.598653415070312, -2.031237651577154, 0.466785876940837], 12);
    tf = sos2tf(cheby1(2, 1, [8, 90], 'bandpass', 250));
    close(tf.b, [0.463290124603971, 0, -0.926580249207942, 0, 0.463290124603971], 12);
    close(tf.a, [1, -0.840867701179948, -0.416181963841505, -0.037362288817197, 0.379010402890775], 12);
    tf = sos2tf(iirNotch(50, 30, 500));
    close(tf.b, [0.989636175362892, -1.601264968233611, 0.989636175362892], 12);
    close(tf.a, [1, -1.601264968233611, 0.979272350725784], 12);
    tf = sos2tf(butter(2, [48, 52], 'bandstop', 500));
    const scipyBs = sos2tf(
      Float64Array.from([
        0.965080986344734, -1.562027142713498, 0.965080986344734, 1, -1.568581630700731, 0.964241383869073, 1,
        -1.618545142651407, 1, 1, -1.611003577271471, 0.965921705610354,
      ]),
    );
    close(tf.b, scipyBs.b, 12);
    close(tf.a, scipyBs.a, 12);
  });

  it("cheb1ord reproduces scipy's order for the FBCCA sub-band 2 spec", () => {
    expect(cheb1ordBandpass([14, 90], [10, 100], 3, 40, 1200).order).toBe(10);
  });

  it('rejects impossible designs with a ValidationError', () => {
    expect(() => butter(4, [30, 8], 'bandpass', 256)).toThrow(/low must be below high/);
    expect(() => butter(4, 200, 'lowpass', 256)).toThrow(/fs\/2/);
    expect(() => iirFilter({ order: 0, cutoff: 10, type: 'lowpass', fs: 100 })).toThrow(/order/);
  });
});

describe('filtering', () => {
  const n = Array.from({ length: 100 }, (_, i) => i);
  const x = n.map((i) => Math.sin(0.1 * i) + 0.5 * Math.cos(0.37 * i) + 0.01 * i);

  it('lfilter_zi and sosfilt_zi equal scipy', () => {
    close(
      lfilterZi(
        [0.018098933007514, 0.054296799022543, 0.054296799022543, 0.018098933007514],
        [1, -1.760041880343169, 1.182893262037831, -0.278059917634546],
      ),
      [0.981901066992483, -0.832437612373225, 0.29615885064206],
      9,
    );
    // A step into a filter started from zi·1 stays at its DC gain (steady state).
    const sos = butter(4, 20, 'lowpass', 200);
    const { y } = sosfilt(sos, new Float64Array(50).fill(1), sosfiltZi(sos));
    for (const v of y) expect(v).toBeCloseTo(1, 12);
  });

  it('sosfiltfilt and filtfilt equal scipy on a test signal', () => {
    const y = sosfiltfilt(butter(2, [10, 40], 'bandpass', 200), x);
    close(
      [y[0]!, y[1]!, y[50]!, y[98]!, y[99]!],
      [0.012155563120856, 0.113856568649403, 0.351741872775537, -0.061368118600699, 0.009033009025078],
      10,
    );
    const y2 = filtfilt(
      [0.018098933007514, 0.054296799022543, 0.054296799022543, 0.018098933007514],
      [1, -1.760041880343169, 1.182893262037831, -0.278059917634546],
      x,
    );
    close(
      [y2[0]!, y2[1]!, y2[50]!, y2[98]!, y2[99]!],
      [0.50103564467612, 0.516678546598445, -0.005693352224832, 0.6690970888165, 0.786690869586409],
      9,
    );
    const x3 = [...x, ...x, ...x];
    const y3 = sosfiltfilt(cheby1(3, 0.5, [14, 90], 'bandpass', 1200), x3);
    close(
      [y3[0]!, y3[5]!, y3[150]!, y3[299]!],
      [0.157360959718294, 0.093141196567055, -0.289405760107011, -0.214469387713954],
      9,
    );
  });

  it('zero-phase filtering passes an in-band sine unchanged and removes an out-of-band one', () => {
    const fs = 256;
    const t = Array.from({ length: 2048 }, (_, i) => i / fs);
    const inBand = t.map((s) => Math.sin(2 * Math.PI * 15 * s));
    const outBand = t.map((s) => Math.sin(2 * Math.PI * 60 * s));
    const sos = butter(4, [8, 30], 'bandpass', fs);
    const y = sosfiltfilt(
      sos,
      inBand.map((v, i) => v + outBand[i]!),
    );
    // Away from the ends the output is the in-band sine with no phase shift.
    for (let i = 400; i < 1600; i++)
      expect(y[i]!).toBeCloseTo(inBand[i]! * sosFrequencyResponse(sos, [15], fs).magnitude[0]! ** 2, 2);
  });

  it('too-short signals are a ValidationError', () => {
    expect(() => sosfiltfilt(butter(4, [8, 30], 'bandpass', 256), [1, 2, 3])).toThrow(/more than 27 samples/);
  });
});

describe('resampling, re-referencing, epoching', () => {
  it("resamplePoly equals scipy's resample_poly", () => {
    const x = Array.from({ length: 300 }, (_, i) => Math.sin((2 * Math.PI * 5 * i) / 100));
    const y = resamplePoly(x, 3, 2);
    expect(y.length).toBe(450);
    close(
      [y[0]!, y[1]!, y[100]!, y[200]!, y[449]!],
      [
        3.218922419614498e-18, 1.870184151620462e-1, 8.673598436624703e-1, -8.673598436624694e-1,
        -1.87018415162045e-1,
      ],
      12,
    );
    const ramp = resamplePoly(
      Array.from({ length: 50 }, (_, i) => i),
      1,
      4,
    );
    close(
      ramp,
      [
        0.373215952384613, 3.939132411527855, 8.007643065388045, 12.021821488019034, 15.967007166252667,
        20.097243873807432, 23.871040515131334, 28.248429908194673, 31.66196103228357, 36.58361995261169,
        39.093756883207966, 45.88927735753894, 40.651102433025116,
      ],
      11,
    );
  });

  it('a resampled sine keeps its frequency and amplitude', () => {
    const x = Array.from({ length: 1200 }, (_, i) => Math.cos((2 * Math.PI * 13 * i) / 1200));
    const y = resamplePoly(x, 250, 1200);
    expect(y.length).toBe(250);
    // Kaiser β = 5 leaves a passband ripple of about 1e-3.
    for (let i = 30; i < 220; i++)
      expect(Math.abs(y[i]! - Math.cos((2 * Math.PI * 13 * i) / 250))).toBeLessThan(3e-3);
  });

  it('average and channel references', () => {
    const chans = [Float64Array.from([1, 2, 3]), Float64Array.from([3, 2, 1]), Float64Array.from([2, 2, 2])];
    const avg = averageReference(chans);
    close(avg[0]!, [-1, 0, 1]);
    close(avg[2]!, [0, 0, 0]);
    const ref = channelReference(chans, 2);
    close(ref[1]!, [1, 0, -1]);
    expect(() => channelReference(chans, 5)).toThrow(/must index/);
  });

  it('epochs with baseline correction; windows off the ends are dropped', () => {
    const rate = 10;
    const ch = Float64Array.from({ length: 100 }, (_, i) => i);
    const ep = epoch([ch], [1, 5, 9.8], { rate, tmin: -0.5, tmax: 1, baseline: [-0.5, 0] });
    expect(ep.kept).toEqual([0, 1]);
    expect(ep.samples).toBe(15);
    expect(ep.times[0]).toBeCloseTo(-0.5);
    // A ramp minus the mean of its first five samples (5..9 → 7): values −2 … 12.
    close(
      ep.data.subarray(0, 15),
      Array.from({ length: 15 }, (_, k) => k - 2),
    );
  });
});

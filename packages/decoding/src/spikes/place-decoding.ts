import { Rng, ValidationError } from '@neurite/kernel';
import type { SpikeTrains } from '../spike-trains.js';
import { interpolate, type TrackPositions } from './linear-track.js';

export interface PlaceDecodingOptions {
  /** Decoding time bin in seconds. */
  readonly binSeconds?: number;
  /** Spatial bins over the track. */
  readonly positionBins?: number;
  /** Only time bins where the animal runs faster than this (position units per second). */
  readonly minSpeed?: number;
  /** Gaussian smoothing of rate maps, in spatial bins. */
  readonly smoothBins?: number;
  /** Shuffled-spikes baseline repetitions. */
  readonly shuffles?: number;
  readonly seed?: number;
}

interface TimeBin {
  readonly start: number;
  readonly position: number;
  readonly lap: number;
  /** 0 running towards the far end, 1 back. */
  readonly direction: number;
}

export interface PlaceDecodingResult {
  /** Median absolute error on held-out laps (position units). */
  readonly medianError: number;
  /** Median error of the same decoder when each unit's test spike counts are shuffled across time bins. */
  readonly shuffledMedianError: number;
  /** Fraction of shuffles whose median error is at most the real one (a permutation p-value). */
  readonly pValue: number;
  readonly trackLength: number;
  readonly laps: number;
  readonly testBins: number;
  readonly units: number;
}

/**
 * Laps: maximal runs between the track's two ends (below 15 % and above 85 % of its length). Each valid
 * sample gets the index of the lap it belongs to, or −1 outside laps.
 */
export function findLaps(track: TrackPositions): Int32Array {
  const lap = new Int32Array(track.times.length).fill(-1);
  const low = 0.15 * track.length;
  const high = 0.85 * track.length;
  let lastEnd: 'low' | 'high' | null = null;
  let lastIndex = -1;
  let count = 0;
  for (let i = 0; i < track.times.length; i++) {
    if (!track.valid[i]) continue;
    const p = track.position[i]!;
    const end = p <= low ? 'low' : p >= high ? 'high' : null;
    if (!end) continue;
    if (lastEnd && end !== lastEnd) {
      lap.fill(count, lastIndex, i + 1);
      count++;
    }
    lastEnd = end;
    lastIndex = i;
  }
  return lap;
}

function smooth(values: Float64Array, sigma: number): Float64Array {
  if (sigma <= 0) return values;
  const radius = Math.ceil(3 * sigma);
  const kernel = Array.from({ length: 2 * radius + 1 }, (_, k) =>
    Math.exp(-0.5 * ((k - radius) / sigma) ** 2),
  );
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    let s = 0;
    let w = 0;
    for (let k = -radius; k <= radius; k++) {
      const j = i + k;
      if (j < 0 || j >= values.length) continue;
      s += values[j]! * kernel[k + radius]!;
      w += kernel[k + radius]!;
    }
    out[i] = s / w;
  }
  return out;
}

/**
 * Bayesian position decoding from place cells (Zhang et al. 1998): occupancy-normalised rate maps
 * f_i(x) from training laps; for a test bin of duration τ with counts n_i, the posterior over position is
 * ∝ Π_i f_i(x)^{n_i}·e^{−τ f_i(x)} (independent Poisson units, flat prior); the estimate is its maximum.
 * Lap pairs (out and back) alternate between training and test. The baseline shuffles each unit's test
 * counts across test bins.
 */
export function decodePlaceCells(
  spikes: SpikeTrains,
  track: TrackPositions,
  options: PlaceDecodingOptions = {},
): PlaceDecodingResult {
  const tau = options.binSeconds ?? 0.5;
  const nBins = options.positionBins ?? 40;
  const minSpeed = options.minSpeed ?? 0.05 * track.length;
  const laps = findLaps(track);
  const lapCount = Math.max(...laps) + 1;
  if (lapCount < 2)
    throw new ValidationError('decodePlaceCells', [
      { path: 'track', message: `needs at least two laps, found ${lapCount}` },
    ]);
  // Time bins over the valid, lap-assigned, running parts of the session.
  const t0 = track.times[0]!;
  const t1 = track.times[track.times.length - 1]!;
  const bins: TimeBin[] = [];
  for (let t = t0; t + tau <= t1; t += tau) {
    const a = interpolate(track.times, track.position, track.valid, t);
    const b = interpolate(track.times, track.position, track.valid, t + tau);
    const mid = interpolate(track.times, track.position, track.valid, t + tau / 2);
    if (!Number.isFinite(a) || !Number.isFinite(b) || !Number.isFinite(mid)) continue;
    if (Math.abs(b - a) / tau < minSpeed) continue;
    const index = Math.min(track.times.length - 1, lowerBound(track.times, t + tau / 2));
    const lap = laps[index]!;
    if (lap < 0) continue;
    bins.push({ start: t, position: mid, lap, direction: b > a ? 0 : 1 });
  }
  const units = spikes.units.map((u) => Float64Array.from(u.times).sort());
  const counts = units.map((times) =>
    bins.map((b) => lowerBound(times, b.start + tau) - lowerBound(times, b.start)),
  );
  // Laps alternate direction, so lap pairs (out and back) alternate between training and test.
  const heldOut = (b: TimeBin) => Math.floor(b.lap / 2) % 2 === 1;
  const train = bins.map((b, i) => (heldOut(b) ? -1 : i)).filter((i) => i >= 0);
  const test = bins.map((b, i) => (heldOut(b) ? i : -1)).filter((i) => i >= 0);
  // Place fields on a linear track depend on the running direction: one rate map per direction, and
  // the decoder's states are (direction, position); the estimate is the position of the best state.
  const binOf = (p: number) => Math.min(nBins - 1, Math.max(0, Math.floor((p / track.length) * nBins)));
  const states = 2 * nBins;
  const stateOf = (b: TimeBin) => b.direction * nBins + binOf(b.position);
  const sigma = options.smoothBins ?? 1;
  const smoothStates = (v: Float64Array) => {
    const out = new Float64Array(states);
    for (let d = 0; d < 2; d++) out.set(smooth(v.subarray(d * nBins, (d + 1) * nBins), sigma), d * nBins);
    return out;
  };
  const occupancy = new Float64Array(states);
  for (const i of train) occupancy[stateOf(bins[i]!)] = occupancy[stateOf(bins[i]!)]! + tau;
  const occ = smoothStates(occupancy);
  const rates = counts.map((c) => {
    const spikesPerState = new Float64Array(states);
    for (const i of train) spikesPerState[stateOf(bins[i]!)] = spikesPerState[stateOf(bins[i]!)]! + c[i]!;
    const s = smoothStates(spikesPerState);
    // A small floor keeps log f finite where a unit never fired.
    return s.map((v, x) => (occ[x]! > 0 ? v / occ[x]! : 0) + 1e-3);
  });
  const logRates = rates.map((r) => r.map(Math.log));
  const expected = new Float64Array(states);
  for (const r of rates) for (let x = 0; x < states; x++) expected[x] = expected[x]! + tau * r[x]!;
  const centre = (x: number) => (((x % nBins) + 0.5) / nBins) * track.length;
  const decode = (countsOf: (unit: number, bin: number) => number): number[] =>
    test.map((i) => {
      let best = 0;
      let bestScore = Number.NEGATIVE_INFINITY;
      for (let x = 0; x < states; x++) {
        if (occupancy[x] === 0) continue;
        let score = -expected[x]!;
        for (let u = 0; u < units.length; u++) {
          const n = countsOf(u, i);
          if (n) score += n * logRates[u]![x]!;
        }
        if (score > bestScore) [best, bestScore] = [x, score];
      }
      return Math.abs(centre(best) - bins[i]!.position);
    });
  const medianError = median(decode((u, i) => counts[u]![i]!));
  const rng = new Rng(options.seed ?? 0);
  const shuffles = options.shuffles ?? 20;
  const shuffledMedians: number[] = [];
  for (let s = 0; s < shuffles; s++) {
    const perms = units.map(() => rng.permutation(test.length));
    const position = new Map(test.map((bin, j) => [bin, j]));
    shuffledMedians.push(median(decode((u, i) => counts[u]![test[perms[u]![position.get(i)!]!]!]!)));
  }
  return {
    medianError,
    shuffledMedianError: median(shuffledMedians),
    pValue: (shuffledMedians.filter((m) => m <= medianError).length + 1) / (shuffles + 1),
    trackLength: track.length,
    laps: lapCount,
    testBins: test.length,
    units: units.length,
  };
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

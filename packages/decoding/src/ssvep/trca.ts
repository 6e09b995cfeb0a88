import { linalg, ValidationError } from '@neurite/kernel';
import { sosfiltfilt } from '../signal/filter.js';
import type { Sos } from '../signal/iir-design.js';
import { centreRows, crossProduct } from './cca.js';
import { fbccaSubBands, fbccaWeights } from './filter-bank.js';

/** Trials as row-major [channels × samples] blocks. */
export interface TrialSet {
  readonly trials: readonly Float64Array[];
  readonly labels: readonly number[];
  readonly channels: number;
  readonly samples: number;
}

export interface TrcaOptions {
  readonly fs: number;
  /** Filter-bank sub-bands (Nakanishi's bank, methods.md §6); 1 uses the signal as given. */
  readonly bands?: number;
  /** Ensemble TRCA: every class's spatial filter applied together. */
  readonly ensemble?: boolean;
}

/** Pearson correlation of two equally long vectors. */
export function corrcoef(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const n = a.length;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < n; i++) {
    ma += a[i]!;
    mb += b[i]!;
  }
  ma /= n;
  mb /= n;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    const x = a[i]! - ma;
    const y = b[i]! - mb;
    sab += x * y;
    saa += x * x;
    sbb += y * y;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/**
 * The TRCA spatial filter of one class (Nakanishi et al. 2018): w maximising the covariance between
 * trials, S = Σ_{i≠j} X_i X_jᵀ = (ΣX)(ΣX)ᵀ − Σ X_i X_iᵀ, against the total covariance Q = Σ X_i X_iᵀ —
 * the top generalised eigenvector of (S, Q).
 */
export function trcaFilter(trials: readonly Float64Array[], channels: number, samples: number): Float64Array {
  const centred = trials.map((t) => centreRows(t, channels, samples));
  const sum = new Float64Array(channels * samples);
  for (const t of centred) for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + t[i]!;
  const s = crossProduct(sum, channels, sum, channels, samples);
  const q = new Float64Array(channels * channels);
  for (const t of centred) {
    const c = crossProduct(t, channels, t, channels, samples);
    for (let i = 0; i < q.length; i++) q[i] = q[i]! + c[i]!;
  }
  for (let i = 0; i < s.length; i++) s[i] = s[i]! - q[i]!;
  let trace = 0;
  for (let i = 0; i < channels; i++) trace += q[i * channels + i]!;
  for (let i = 0; i < channels; i++)
    q[i * channels + i] = q[i * channels + i]! + 1e-10 * (trace / channels) + Number.MIN_VALUE;
  const { vectors } = linalg.dense.eighGeneralized(s, q, channels);
  const w = new Float64Array(channels);
  for (let c = 0; c < channels; c++) w[c] = vectors[c * channels + (channels - 1)]!;
  return w;
}

/** wᵀ·X for several filters W [channels × k] (column j a filter): [k × samples]. */
function project(
  x: Float64Array,
  filters: readonly Float64Array[],
  channels: number,
  samples: number,
): Float64Array {
  const out = new Float64Array(filters.length * samples);
  filters.forEach((w, j) => {
    for (let c = 0; c < channels; c++) {
      const wc = w[c]!;
      if (wc === 0) continue;
      for (let k = 0; k < samples; k++)
        out[j * samples + k] = out[j * samples + k]! + wc * x[c * samples + k]!;
    }
  });
  return out;
}

/** Task-related component analysis classifier (TRCA and ensemble TRCA, with the FBCCA filter bank). */
export class Trca {
  readonly classes: number[] = [];
  #bank: Sos[] = [];
  #weights: number[] = [];
  /** Per band, per class: template and spatial filter. */
  #templates: Float64Array[][] = [];
  #filters: Float64Array[][] = [];
  #channels = 0;
  #samples = 0;

  constructor(readonly options: TrcaOptions) {}

  #bandpass(trial: Float64Array, band: number): Float64Array {
    const sos = this.#bank[band];
    if (!sos) return trial;
    const out = new Float64Array(trial.length);
    for (let c = 0; c < this.#channels; c++) {
      out.set(
        sosfiltfilt(sos, trial.subarray(c * this.#samples, (c + 1) * this.#samples)),
        c * this.#samples,
      );
    }
    return out;
  }

  fit(set: TrialSet): this {
    const { trials, labels, channels, samples } = set;
    if (trials.length !== labels.length || trials.length === 0) {
      throw new ValidationError('Trca.fit', [
        {
          path: 'labels',
          message: `need one label per trial (${trials.length} trials, ${labels.length} labels)`,
        },
      ]);
    }
    this.#channels = channels;
    this.#samples = samples;
    const bands = this.options.bands ?? 5;
    this.#bank = bands > 1 ? fbccaSubBands(this.options.fs, bands) : [];
    this.#weights = fbccaWeights(Math.max(1, bands));
    this.classes.length = 0;
    this.classes.push(...[...new Set(labels)].sort((a, b) => a - b));
    const filtered = Array.from({ length: Math.max(1, bands) }, (_, b) =>
      trials.map((t) => this.#bandpass(t, bands > 1 ? b : -1)),
    );
    this.#templates = [];
    this.#filters = [];
    for (const bandTrials of filtered) {
      const templates: Float64Array[] = [];
      const filters: Float64Array[] = [];
      for (const k of this.classes) {
        const mine = bandTrials.filter((_, i) => labels[i] === k);
        const mean = new Float64Array(channels * samples);
        for (const t of mine) for (let i = 0; i < mean.length; i++) mean[i] = mean[i]! + t[i]! / mine.length;
        templates.push(mean);
        filters.push(trcaFilter(mine, channels, samples));
      }
      this.#templates.push(templates);
      this.#filters.push(filters);
    }
    return this;
  }

  /** Filter-bank-weighted correlation of a trial with each class template, in `classes` order. */
  scores(trial: Float64Array): number[] {
    const out = new Array<number>(this.classes.length).fill(0);
    const bands = this.#templates.length;
    for (let b = 0; b < bands; b++) {
      const x = this.#bandpass(trial, this.#bank.length ? b : -1);
      this.classes.forEach((_, k) => {
        const filters = this.options.ensemble ? this.#filters[b]! : [this.#filters[b]![k]!];
        const r = corrcoef(
          project(x, filters, this.#channels, this.#samples),
          project(this.#templates[b]![k]!, filters, this.#channels, this.#samples),
        );
        out[k] = out[k]! + this.#weights[b]! * r;
      });
    }
    return out;
  }

  predict(trial: Float64Array): number {
    const s = this.scores(trial);
    let best = 0;
    for (let k = 1; k < s.length; k++) if (s[k]! > s[best]!) best = k;
    return this.classes[best]!;
  }
}

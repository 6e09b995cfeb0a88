import { linalg, ValidationError } from '@neurite/kernel';
import { riemannDistance, riemannMean, tangentVector } from './geometry.js';

/** A classifier of feature items (here: SPD matrices) fitted on labelled examples. */
export interface Classifier<X> {
  fit(x: readonly X[], y: readonly number[]): this;
  predict(x: readonly X[]): number[];
}

function classesOf(y: readonly number[]): number[] {
  return [...new Set(y)].sort((a, b) => a - b);
}

/** Minimum distance to the Riemannian mean of each class (Barachant et al.; pyriemann's MDM). */
export class Mdm implements Classifier<Float64Array> {
  classes: number[] = [];
  means: Float64Array[] = [];
  constructor(readonly n: number) {}

  fit(x: readonly Float64Array[], y: readonly number[]): this {
    this.classes = classesOf(y);
    this.means = this.classes.map((k) =>
      riemannMean(
        x.filter((_, i) => y[i] === k),
        this.n,
      ),
    );
    return this;
  }

  predict(x: readonly Float64Array[]): number[] {
    return x.map((c) => {
      let best = 0;
      let dist = Number.POSITIVE_INFINITY;
      this.means.forEach((m, k) => {
        const d = riemannDistance(m, c, this.n);
        if (d < dist) [best, dist] = [k, d];
      });
      return this.classes[best]!;
    });
  }
}

/**
 * L2-regularised logistic regression fitted by Newton's method (iteratively reweighted least squares),
 * minimising C·Σ log-loss + ½‖w‖² as scikit-learn's default (C = 1, intercept not penalised).
 * More than two classes are handled one-versus-rest.
 */
export class LogisticRegression implements Classifier<Float64Array> {
  classes: number[] = [];
  weights: Float64Array[] = [];
  constructor(readonly options: { c?: number; iterations?: number } = {}) {}

  #fitBinary(x: readonly Float64Array[], t: readonly number[]): Float64Array {
    const d = (x[0]?.length ?? 0) + 1;
    const c = this.options.c ?? 1;
    const w = new Float64Array(d);
    for (let iter = 0; iter < (this.options.iterations ?? 50); iter++) {
      const grad = new Float64Array(d);
      const hess = new Float64Array(d * d);
      for (let j = 0; j < d - 1; j++) {
        grad[j] = w[j]!;
        hess[j * d + j] = 1;
      }
      x.forEach((xi, i) => {
        let z = w[d - 1]!;
        for (let j = 0; j < d - 1; j++) z += w[j]! * xi[j]!;
        const p = 1 / (1 + Math.exp(-z));
        const r = c * (p - t[i]!);
        const s = c * Math.max(p * (1 - p), 1e-12);
        for (let a = 0; a < d; a++) {
          const xa = a === d - 1 ? 1 : xi[a]!;
          grad[a] = grad[a]! + r * xa;
          for (let b = 0; b <= a; b++) {
            const xb = b === d - 1 ? 1 : xi[b]!;
            hess[a * d + b] = hess[a * d + b]! + s * xa * xb;
          }
        }
      });
      for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) hess[b * d + a] = hess[a * d + b]!;
      hess[d * d - 1] = hess[d * d - 1]! + 1e-10;
      const step = linalg.dense.solve(hess, grad, d);
      let norm = 0;
      for (let a = 0; a < d; a++) {
        w[a] = w[a]! - step[a]!;
        norm += step[a]! * step[a]!;
      }
      if (Math.sqrt(norm) < 1e-10) break;
    }
    return w;
  }

  fit(x: readonly Float64Array[], y: readonly number[]): this {
    this.classes = classesOf(y);
    if (this.classes.length < 2)
      throw new ValidationError('LogisticRegression.fit', [
        { path: 'y', message: 'needs at least two classes' },
      ]);
    const targets = this.classes.length === 2 ? [this.classes[1]!] : this.classes;
    this.weights = targets.map((k) =>
      this.#fitBinary(
        x,
        y.map((v) => (v === k ? 1 : 0)),
      ),
    );
    return this;
  }

  decision(xi: Float64Array): number[] {
    return this.weights.map((w) => {
      let z = w[w.length - 1]!;
      for (let j = 0; j < w.length - 1; j++) z += w[j]! * xi[j]!;
      return z;
    });
  }

  predict(x: readonly Float64Array[]): number[] {
    return x.map((xi) => {
      const z = this.decision(xi);
      if (this.classes.length === 2) return this.classes[z[0]! > 0 ? 1 : 0]!;
      let best = 0;
      for (let k = 1; k < z.length; k++) if (z[k]! > z[best]!) best = k;
      return this.classes[best]!;
    });
  }
}

/** Tangent space at the training set's Riemannian mean, then logistic regression (pyriemann TS + LR). */
export class TangentSpaceLogistic implements Classifier<Float64Array> {
  #invHalf: Float64Array = new Float64Array(0);
  readonly model: LogisticRegression;
  constructor(
    readonly n: number,
    options: { c?: number } = {},
  ) {
    this.model = new LogisticRegression(options);
  }

  fit(x: readonly Float64Array[], y: readonly number[]): this {
    this.#invHalf = linalg.dense.invsqrtmSpd(riemannMean(x, this.n), this.n);
    this.model.fit(
      x.map((c) => tangentVector(c, this.#invHalf, this.n)),
      y,
    );
    return this;
  }

  predict(x: readonly Float64Array[]): number[] {
    return this.model.predict(x.map((c) => tangentVector(c, this.#invHalf, this.n)));
  }
}

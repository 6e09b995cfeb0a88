import { Rng, ValidationError } from '@neurite/kernel';
import type { Classifier } from '../riemann/classifiers.js';

/**
 * Stratified k folds: each class's examples, shuffled by a seeded stream, dealt round-robin into the
 * folds, so every fold holds each class in proportion (scikit-learn's StratifiedKFold with shuffling).
 */
export function stratifiedFolds(y: readonly number[], k: number, rng: Rng): number[][] {
  if (!Number.isInteger(k) || k < 2)
    throw new ValidationError('stratifiedFolds', [
      { path: 'k', message: `must be an integer ≥ 2 (was ${k})` },
    ]);
  const folds: number[][] = Array.from({ length: k }, () => []);
  const classes = [...new Set(y)].sort((a, b) => a - b);
  let offset = 0;
  for (const c of classes) {
    const members = y.flatMap((v, i) => (v === c ? [i] : []));
    const order = rng.permutation(members.length);
    order.forEach((o, j) => {
      folds[(j + offset) % k]!.push(members[o]!);
    });
    offset += members.length;
  }
  return folds;
}

/** Accuracy of each fold when the model is fitted on the other folds. */
export function crossValidate<X>(
  make: () => Classifier<X>,
  x: readonly X[],
  y: readonly number[],
  folds: readonly number[][],
): number[] {
  return folds.map((test) => {
    const held = new Set(test);
    const trainX: X[] = [];
    const trainY: number[] = [];
    x.forEach((xi, i) => {
      if (!held.has(i)) {
        trainX.push(xi);
        trainY.push(y[i]!);
      }
    });
    const model = make().fit(trainX, trainY);
    const predicted = model.predict(test.map((i) => x[i]!));
    return predicted.filter((p, j) => p === y[test[j]!]).length / test.length;
  });
}

export interface CvResult {
  /** Mean accuracy over folds. */
  readonly accuracy: number;
  readonly folds: number[];
  /** Permutation p-value: (1 + #{permuted ≥ observed}) / (1 + permutations). */
  readonly pValue: number;
  /** Mean accuracy under permuted labels (the empirical chance level). */
  readonly chance: number;
  readonly permutations: number;
}

const mean = (v: readonly number[]) => v.reduce((a, b) => a + b, 0) / v.length;

/**
 * Cross-validated accuracy with a permutation test for chance (scikit-learn's permutation_test_score):
 * the same folds, with labels shuffled by a seeded stream `permutations` times.
 */
export function crossValidateWithPermutations<X>(
  make: () => Classifier<X>,
  x: readonly X[],
  y: readonly number[],
  options: { folds?: number; permutations?: number; seed?: number } = {},
): CvResult {
  const rng = new Rng(options.seed ?? 0);
  const folds = stratifiedFolds(y, options.folds ?? 5, rng.split());
  const scores = crossValidate(make, x, y, folds);
  const accuracy = mean(scores);
  const permutations = options.permutations ?? 100;
  const permRng = rng.split();
  let above = 0;
  let total = 0;
  for (let p = 0; p < permutations; p++) {
    const order = permRng.permutation(y.length);
    const shuffled = Array.from(order, (i) => y[i]!);
    const s = mean(crossValidate(make, x, shuffled, folds));
    total += s;
    if (s >= accuracy) above++;
  }
  return {
    accuracy,
    folds: scores,
    pValue: (above + 1) / (permutations + 1),
    chance: permutations ? total / permutations : Number.NaN,
    permutations,
  };
}

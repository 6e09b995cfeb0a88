import { linalg } from '@neurite/kernel';

const { dense } = linalg;

/** Row-major [rows × samples] with each row's mean removed. */
export function centreRows(x: ArrayLike<number>, rows: number, samples: number): Float64Array {
  const out = Float64Array.from(x as ArrayLike<number>);
  for (let r = 0; r < rows; r++) {
    let m = 0;
    for (let k = 0; k < samples; k++) m += out[r * samples + k]!;
    m /= samples;
    for (let k = 0; k < samples; k++) out[r * samples + k] = out[r * samples + k]! - m;
  }
  return out;
}

/** A·Bᵀ for row-major A [m × n] and B [p × n]. */
export function crossProduct(
  a: Float64Array,
  m: number,
  b: Float64Array,
  p: number,
  n: number,
): Float64Array {
  const out = new Float64Array(m * p);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < p; j++) {
      let s = 0;
      const ai = i * n;
      const bj = j * n;
      for (let k = 0; k < n; k++) s += a[ai + k]! * b[bj + k]!;
      out[i * p + j] = s;
    }
  }
  return out;
}

/** One block of canonical correlation analysis: a centred signal and its whitening matrix. */
export class CcaBlock {
  readonly centred: Float64Array;
  readonly whitener: Float64Array;
  constructor(
    data: ArrayLike<number>,
    readonly rows: number,
    readonly samples: number,
    /** Added to the covariance's diagonal, relative to its trace, so rank-deficient blocks still whiten. */
    ridge = 1e-10,
  ) {
    this.centred = centreRows(data, rows, samples);
    const cov = crossProduct(this.centred, rows, this.centred, rows, samples);
    let trace = 0;
    for (let i = 0; i < rows; i++) trace += cov[i * rows + i]!;
    for (let i = 0; i < rows; i++)
      cov[i * rows + i] = cov[i * rows + i]! + (ridge * trace) / rows + Number.MIN_VALUE;
    this.whitener = dense.invsqrtmSpd(cov, rows);
  }
}

/**
 * Canonical correlations between two blocks of signals over the same samples: the singular values of
 * Cxx^{-1/2}·Cxy·Cyy^{-1/2}, largest first.
 */
export function canonicalCorrelations(x: CcaBlock, y: CcaBlock): Float64Array {
  const cxy = crossProduct(x.centred, x.rows, y.centred, y.rows, x.samples);
  const m = dense.matmul(
    dense.matmul(x.whitener, cxy, x.rows, x.rows, y.rows),
    y.whitener,
    x.rows,
    y.rows,
    y.rows,
  );
  return dense.svd(m, x.rows, y.rows).s;
}

/** The largest canonical correlation between signals X [rows × samples] and references Y. */
export function cca(
  x: ArrayLike<number>,
  xRows: number,
  y: ArrayLike<number>,
  yRows: number,
  samples: number,
): number {
  return canonicalCorrelations(new CcaBlock(x, xRows, samples), new CcaBlock(y, yRows, samples))[0] ?? 0;
}

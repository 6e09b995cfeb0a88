import { NeuriteError } from '../errors.js';

/**
 * A linear system or inverse met a matrix with an exactly zero pivot: the matrix is singular (or, for
 * a triangular solve, has a zero on its diagonal). `pivot` is the row/column where elimination stopped;
 * `batch` is the index of the matrix in a batched tensor op (undefined for a single matrix).
 */
export class SingularMatrixError extends NeuriteError {
  constructor(
    readonly op: string,
    readonly pivot: number,
    readonly batch?: number,
  ) {
    super(`${op}: the matrix${at(batch)} is singular (zero pivot at row ${pivot})`, {
      hint: 'check the matrix for linearly dependent rows, or regularise it (add a small multiple of I)',
    });
  }
}

/**
 * A factorisation or matrix function that needs a symmetric positive-definite matrix found it is not.
 * For Cholesky, `pivot` is the row whose diagonal entry came out non-positive and `value` that entry;
 * for the eigenvalue-based SPD functions, `pivot` is the index of the smallest eigenvalue (ascending
 * order) and `value` the eigenvalue.
 */
export class NotPositiveDefiniteError extends NeuriteError {
  constructor(
    readonly op: string,
    readonly pivot: number,
    readonly value: number,
    readonly kind: 'pivot' | 'eigenvalue' = 'pivot',
    readonly batch?: number,
  ) {
    super(
      `${op}: the matrix${at(batch)} is not positive definite ` +
        `(${kind} ${pivot} is ${value}, expected > 0)`,
      { hint: 'symmetric positive-definite input is required; a covariance may need shrinkage (C + εI)' },
    );
  }
}

function at(batch: number | undefined): string {
  return batch === undefined ? '' : ` at batch index ${batch}`;
}

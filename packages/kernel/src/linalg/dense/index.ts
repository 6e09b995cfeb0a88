// Host-level dense linear algebra on row-major arrays (see matrix.ts for the layout).

export { cholesky, choleskySolve } from './cholesky.js';
export { eigh, type SymmetricEigen } from './eigh.js';
export { eighGeneralized } from './eigh-generalized.js';
export { expm } from './expm.js';
export { det, inverse, type LuFactors, lu, luSolve, slogdet, solve } from './lu.js';
export { identity, type Matrix, matmul, symmetricPart, transpose } from './matrix.js';
export { type Qr, qr } from './qr.js';
export {
  expmSym,
  geodesic,
  geometricMean,
  invsqrtmSpd,
  logmSpd,
  powmSpd,
  riemannDistance,
  spdFunction,
  sqrtmSpd,
} from './spd.js';
export { type Svd, svd } from './svd.js';
export { solveTriangular, type TriangularOptions } from './triangular.js';

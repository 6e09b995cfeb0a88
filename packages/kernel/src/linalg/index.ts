/**
 * Linear algebra for neurite, in two layers.
 *
 * Tensor ops (this namespace's functions): batched over leading axes, float32 or float64, each with a
 * vector-Jacobian product written with tensor ops so it runs on any backend — `solve`,
 * `solveTriangular`, `inv`, `cholesky`, `eigh`, `expm`, `logmSpd`, `sqrtmSpd`, `invsqrtmSpd`,
 * `powmSpd`, `logdetSpd`, `rfft`, `irfft`, `complexMul`, `fftConv1d`. Complex values are a trailing
 * axis of size 2 (real, imaginary).
 *
 * Host numerics on plain row-major arrays, for plugins that work on small matrices directly:
 * `linalg.dense` (LU, solve, inverse, determinants, Cholesky, QR, SVD, symmetric and generalised
 * eigenproblems, expm, SPD matrix functions, Riemannian distance and geodesics) and `linalg.fft`
 * (complex FFT of any length, rfft/irfft with numpy's conventions, causal convolution).
 */

export * as dense from './dense/index.js';
export { NotPositiveDefiniteError, SingularMatrixError } from './errors.js';
export * as fft from './fft/index.js';
export { cholesky, eigh } from './ops/decompositions.js';
export { complexMul, fftConv1d, irfft, rfft } from './ops/fourier.js';
export { expm, invsqrtmSpd, logdetSpd, logmSpd, powmSpd, sqrtmSpd } from './ops/matrix-functions.js';
export { inv, solve, solveTriangular } from './ops/solve.js';

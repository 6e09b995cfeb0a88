/**
 * The kernel of one synapse, as DCLS builds it (K-H-Ismail/Dilated-Convolution-with-Learnable-Spacings,
 * `ConstructKernel1d`): a bump centred at c = p + lim on the taps k = 0 … K−1 (lim = ⌊K/2⌋), normalised
 * to sum to one, times the synapse's weight.
 *
 *   'gauss'  g_k = exp(−½((k − c)/σ)²),  σ = |SIG| + 0.27
 *   'max'    g_k = max(0, s − |k − c|),   s = |SIG| + 1        (a triangle; one-hot at integer c when SIG = 0)
 *   n_k = g_k / (Σ_k g_k + 1e-7),   kernel_k = w·n_k
 *
 * Only the taps where the bump is non-negligible are handed to the convolution: the triangle's support
 * |k − c| < s (exact), and for the Gaussian |k − c| ≤ truncate·σ. The normaliser is always the sum over all
 * K taps, so every kept tap has exactly the reference's value; a skipped tap is below
 * |w|·e^{−truncate²/2}/max_k g_k, and max_k g_k ≥ e^{−½(0.5/σ)²} ≥ 0.18 (the nearest tap lies within ½
 * of c, and σ ≥ 0.27). With the default truncate = 6 that is e^{−18}/0.18 < 1e-7·|w| per skipped tap, below float32's
 * resolution of the kept taps; the position gradient's skipped terms carry the same factor.
 */
export type DclsVersion = 'gauss' | 'max';

/** σ = |SIG| + 0.27 in 'gauss' mode (the reference's floor on the width). */
export const GAUSS_WIDTH_OFFSET = 0.27;
/** s = |SIG| + 1 in 'max' mode: with SIG = 0 the triangle spans one tap either side. */
export const MAX_WIDTH_OFFSET = 1;
/** Added to the normaliser, as in the reference. */
export const NORM_EPS = 1e-7;

/** The bump's width parameter (σ or s) for a SIG value. */
export function bumpWidth(version: DclsVersion, sig: number): number {
  return Math.abs(sig) + (version === 'gauss' ? GAUSS_WIDTH_OFFSET : MAX_WIDTH_OFFSET);
}

/**
 * Evaluates one synapse's bump into reusable scratch (no allocation per synapse): after `eval(c)`, taps
 * `k0 … k1` (inclusive; empty when k1 < k0) hold the normalised values `n[k]` and, when asked, their
 * derivatives `dn[k] = ∂n_k/∂c` (the quotient rule through the normaliser):
 *
 *   ∂n_k/∂c = (g'_k − n_k·Σ_j g'_j) / Z,   g'_k = g_k·(k − c)/σ² ('gauss'),  sign(k − c)·[g_k > 0] ('max').
 *
 * The triangle's derivative at its kinks follows PyTorch's conventions (relu'(0) = 0, sign(0) = 0).
 */
export class Bump {
  readonly n: Float64Array;
  readonly dn: Float64Array;
  readonly #g: Float64Array;
  k0 = 0;
  k1 = -1;

  constructor(
    readonly kernelSize: number,
    readonly version: DclsVersion,
    /** σ ('gauss') or s ('max'), from `bumpWidth`. */
    readonly width: number,
    /** 'gauss' only: taps farther than truncate·σ from the centre are skipped. */
    readonly truncate: number,
  ) {
    this.n = new Float64Array(kernelSize);
    this.dn = new Float64Array(kernelSize);
    this.#g = new Float64Array(kernelSize);
  }

  /** Half the kernel: the centre of a position p is p + lim. */
  get lim(): number {
    return Math.floor(this.kernelSize / 2);
  }

  eval(c: number, slopes: boolean): void {
    if (this.version === 'gauss') this.#gauss(c, slopes);
    else this.#triangle(c, slopes);
  }

  #gauss(c: number, slopes: boolean): void {
    const K = this.kernelSize;
    const sigma = this.width;
    const inv2 = 1 / (sigma * sigma);
    const g = this.#g;
    let z = NORM_EPS;
    let zSlope = 0;
    // The normaliser runs over every tap (K exponentials per synapse: cheap next to the convolution).
    for (let k = 0; k < K; k++) {
      const u = k - c;
      const v = Math.exp(-0.5 * u * u * inv2);
      g[k] = v;
      z += v;
      zSlope += v * u * inv2;
    }
    const reach = this.truncate * sigma;
    this.k0 = Math.max(0, Math.ceil(c - reach));
    this.k1 = Math.min(K - 1, Math.floor(c + reach));
    for (let k = this.k0; k <= this.k1; k++) {
      const nk = g[k]! / z;
      this.n[k] = nk;
      if (slopes) this.dn[k] = (g[k]! * (k - c) * inv2 - nk * zSlope) / z;
    }
  }

  #triangle(c: number, slopes: boolean): void {
    const K = this.kernelSize;
    const s = this.width;
    const g = this.#g;
    // Support |k − c| < s; outside it the triangle is exactly zero, so nothing is truncated.
    this.k0 = Math.max(0, Math.floor(c - s) + 1);
    this.k1 = Math.min(K - 1, Math.ceil(c + s) - 1);
    let z = NORM_EPS;
    let zSlope = 0;
    for (let k = this.k0; k <= this.k1; k++) {
      const u = k - c;
      const a = s - Math.abs(u);
      const v = Math.max(a, 0);
      g[k] = v;
      z += v;
      const slope = a > 0 ? Math.sign(u) : 0;
      this.dn[k] = slope;
      zSlope += slope;
    }
    for (let k = this.k0; k <= this.k1; k++) {
      const nk = g[k]! / z;
      this.n[k] = nk;
      if (slopes) this.dn[k] = (this.dn[k]! - nk * zSlope) / z;
    }
  }
}

/**
 * The dense K-long kernel of one synapse, w·n_k for every tap (no truncation): the reference's
 * `ConstructKernel1d` output, for tests and for inspecting a layer.
 */
export function denseKernel(
  weight: number,
  position: number,
  kernelSize: number,
  version: DclsVersion,
  sig: number,
): Float64Array {
  const bump = new Bump(kernelSize, version, bumpWidth(version, sig), Number.POSITIVE_INFINITY);
  bump.eval(position + bump.lim, false);
  const out = new Float64Array(kernelSize);
  for (let k = bump.k0; k <= bump.k1; k++) out[k] = weight * bump.n[k]!;
  return out;
}

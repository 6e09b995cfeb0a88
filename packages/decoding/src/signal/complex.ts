/** Minimal complex arithmetic for filter design (poles and zeros). */
export interface Complex {
  readonly re: number;
  readonly im: number;
}

export const c = (re: number, im = 0): Complex => ({ re, im });
export const cadd = (a: Complex, b: Complex): Complex => c(a.re + b.re, a.im + b.im);
export const csub = (a: Complex, b: Complex): Complex => c(a.re - b.re, a.im - b.im);
export const cmul = (a: Complex, b: Complex): Complex =>
  c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
export const cscale = (a: Complex, s: number): Complex => c(a.re * s, a.im * s);
export const cneg = (a: Complex): Complex => c(-a.re, -a.im);
export const cabs = (a: Complex): number => Math.hypot(a.re, a.im);
export const cconj = (a: Complex): Complex => c(a.re, -a.im);

export function cdiv(a: Complex, b: Complex): Complex {
  const d = b.re * b.re + b.im * b.im;
  return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
}

/** Principal square root. */
export function csqrt(a: Complex): Complex {
  const r = cabs(a);
  const re = Math.sqrt((r + a.re) / 2);
  const im = Math.sqrt(Math.max(0, (r - a.re) / 2));
  return c(re, a.im < 0 ? -im : im);
}

export function cprod(values: readonly Complex[]): Complex {
  return values.reduce(cmul, c(1));
}

/** e^{iθ}. */
export const cis = (theta: number): Complex => c(Math.cos(theta), Math.sin(theta));

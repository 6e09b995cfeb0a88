import { linalg } from '@neurite/kernel';

/** Hann-windowed power spectrum of `x` (mean removed), zero-padded to `nfft`; bin k is k·fs/nfft Hz. */
export function powerSpectrum(x: ArrayLike<number>, nfft = x.length): Float64Array {
  const n = x.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += x[i]!;
  mean /= n;
  const w = new Float64Array(n);
  for (let i = 0; i < n; i++) w[i] = (x[i]! - mean) * (0.5 - 0.5 * Math.cos((2 * Math.PI * i) / n));
  const { re, im } = linalg.fft.rfft(w, Math.max(nfft, n));
  return re.map((r, k) => r * r + im[k]! * im[k]!);
}

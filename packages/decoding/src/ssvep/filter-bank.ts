import { cheb1ordBandpass, cheby1, type Sos } from '../signal/iir-design.js';

/**
 * The FBCCA/TRCA filter bank of Nakanishi's code (methods.md §6): sub-band n passes [6 + 8(n−1), 90] Hz
 * with stopband edges [4, 10, 16, 24, …] and 100 Hz, a Chebyshev I of cheb1ord(gpass 3 dB, gstop 40 dB)
 * order with 0.5 dB ripple. The upper edges drop below Nyquist for low sampling rates.
 */
export function fbccaSubBands(fs: number, bands = 5): Sos[] {
  const stop = [4, 10, 16, 24, 32, 40, 48, 56, 64, 72];
  const nyquist = fs / 2;
  const upperPass = Math.min(90, nyquist * 0.72);
  const upperStop = Math.min(100, nyquist * 0.8);
  const out: Sos[] = [];
  for (let n = 1; n <= bands; n++) {
    const pass0 = 6 + 8 * (n - 1);
    const stop0 = stop[n - 1] ?? pass0 - 4;
    const { order, wn } = cheb1ordBandpass([pass0, upperPass], [stop0, upperStop], 3, 40, fs);
    out.push(cheby1(Math.min(order, 12), 0.5, wn, 'bandpass', fs));
  }
  return out;
}

/** Sub-band weights w_n = n^−a + b (a = 1.25, b = 0.25). */
export function fbccaWeights(bands: number, a = 1.25, b = 0.25): number[] {
  return Array.from({ length: bands }, (_, i) => (i + 1) ** -a + b);
}

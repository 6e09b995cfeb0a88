import { powerSpectrum } from '../ssvep/spectrum.js';

/**
 * The mains frequency (50 or 60 Hz) when the recording carries a narrow line at it, else null: the
 * power at the line over the median power 1–3 Hz around it must exceed `thresholdDb` (default 10 dB).
 * Uses the spectrum of the first `seconds` (default 20 s) of `x`.
 */
export function detectMains(
  x: ArrayLike<number>,
  fs: number,
  options: { seconds?: number; thresholdDb?: number } = {},
): 50 | 60 | null {
  const n = Math.min(x.length, Math.round((options.seconds ?? 20) * fs));
  if (n < fs) return null;
  const nfft = 2 ** Math.ceil(Math.log2(n));
  const p = powerSpectrum(Array.prototype.slice.call(x, 0, n) as number[], nfft);
  const binHz = fs / nfft;
  let best: { f: 50 | 60; db: number } | null = null;
  for (const f of [50, 60] as const) {
    if (f + 3 >= fs / 2) continue;
    const k = Math.round(f / binHz);
    const span = Math.max(1, Math.round(0.5 / binHz));
    let peak = 0;
    for (let d = -span; d <= span; d++) peak = Math.max(peak, p[k + d]!);
    const around: number[] = [];
    for (let d = Math.round(1 / binHz); d <= Math.round(3 / binHz); d++) around.push(p[k - d]!, p[k + d]!);
    around.sort((a, b) => a - b);
    const floor = around[Math.floor(around.length / 2)]!;
    const db = 10 * Math.log10(peak / Math.max(floor, Number.MIN_VALUE));
    if (db > (options.thresholdDb ?? 10) && (!best || db > best.db)) best = { f, db };
  }
  return best?.f ?? null;
}

/**
 * Sine–cosine references for a stimulus at `freq` Hz: rows sin(2πhft), cos(2πhft) for h = 1..harmonics,
 * each `samples` long at rate `fs`, starting at `start` samples (row-major [2·harmonics × samples]).
 */
export function sinCosReference(
  freq: number,
  harmonics: number,
  samples: number,
  fs: number,
  start = 0,
): Float64Array {
  const out = new Float64Array(2 * harmonics * samples);
  for (let h = 1; h <= harmonics; h++) {
    const w = (2 * Math.PI * h * freq) / fs;
    const s = (2 * h - 2) * samples;
    const c = (2 * h - 1) * samples;
    for (let k = 0; k < samples; k++) {
      out[s + k] = Math.sin(w * (k + start));
      out[c + k] = Math.cos(w * (k + start));
    }
  }
  return out;
}

/** Candidate frequencies from:to:step, inclusive of `to` (to 1e-9). */
export function frequencyRange(from: number, to: number, step: number): number[] {
  const out: number[] = [];
  for (let i = 0; ; i++) {
    const f = from + i * step;
    if (f > to + 1e-9) break;
    out.push(Math.round(f * 1e9) / 1e9);
  }
  return out;
}

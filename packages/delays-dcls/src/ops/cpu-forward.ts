import { arrayFor, type DataArray, type FloatArray, type KernelFn } from '@neurite/kernel';
import { Bump, bumpWidth } from './bump.js';
import { channelRows, fromRows } from './cpu-layout.js';
import { TapList } from './cpu-taps.js';
import type { Dcls1dAttrs } from './dcls1d.js';

type FloatType = 'float32' | 'float64';

interface DataIn {
  readonly handle: DataArray;
  readonly shape: readonly number[];
}

/**
 * The cpu kernel of `dcls1d`. For each output o, the kept taps of its synapses (bump.ts) form a list; tap
 * k of synapse (o, i) adds input row i, delayed by d_k = K − 1 − k steps (a shift of d_k·B) and scaled by
 * w·n_k, into output row o. A sparse input (spikes) is walked event by event, so the cost is events × kept
 * taps; a dense one is swept four taps per pass over the output row.
 */
export const dcls1dCpu: KernelFn<DataArray, Dcls1dAttrs> = ({ inputs, attrs, outputs }) => {
  const [x, w, p, sig] = inputs as unknown as [DataIn, DataIn, DataIn, DataIn];
  const [T, B, Cin] = x.shape as [number, number, number];
  const Cout = w.shape[0]!;
  const out = outputs[0]!;
  const dtype = out.dtype as FloatType;
  const TpB = out.shape[0]! * B;
  const TB = T * B;
  const K = attrs.kernelSize;
  // Output rows are long enough for the largest shift, so no tap needs a bounds test; what lands past T'
  // is what the reference crops (inputs delayed beyond the padded end).
  const stride = TB + (K - 1) * B;
  const weight = w.handle;
  const position = p.handle;
  const bump = new Bump(K, attrs.version, bumpWidth(attrs.version, sig.handle[0]!), attrs.truncate);
  const lim = bump.lim;
  const acc = arrayFor(dtype, Cout * stride) as FloatArray;
  // Dense rows carry K − 1 steps of zeros before (the left padding) and T' − T after.
  const rows = channelRows(x.handle, TB, Cin, (K - 1) * B, TpB - TB);
  const taps = new TapList(Cin * K);

  for (let o = 0; o < Cout; o++) {
    const rowOut = o * stride;
    taps.length = 0;
    for (let i = 0; i < Cin; i++) {
      const s = o * Cin + i;
      const wv = weight[s]!;
      if (wv === 0) continue;
      bump.eval(position[s]! + lim, false);
      // Sparse: the entry names the shifted output position of input index 0 (and its input row i via
      // the synapse). Dense: the input position read for output index 0.
      if (rows.sparse) taps.add(bump, s, wv, rowOut, B, false, false);
      else taps.add(bump, s, wv, i * rows.stride + rows.before, -B, false, false);
    }
    const { offset, coef, synapse } = taps;
    if (rows.sparse) {
      const { index, value, start } = rows;
      for (let t = 0; t < taps.length; t++) {
        const i = synapse[t]! - o * Cin;
        const base = offset[t]!;
        const c = coef[t]!;
        const stop = start[i + 1]!;
        for (let e = start[i]!; e < stop; e++) acc[base + index[e]!]! += c * value[e]!;
      }
      continue;
    }
    // y[jj] += Σ_taps c·x[jj − d·B]: the rows' leading zeros stand in for the left padding.
    const src = rows.rows;
    let t = 0;
    for (; t + 3 < taps.length; t += 4) {
      const a0 = offset[t]!;
      const a1 = offset[t + 1]!;
      const a2 = offset[t + 2]!;
      const a3 = offset[t + 3]!;
      const c0 = coef[t]!;
      const c1 = coef[t + 1]!;
      const c2 = coef[t + 2]!;
      const c3 = coef[t + 3]!;
      for (let jj = 0; jj < TpB; jj++) {
        acc[rowOut + jj]! +=
          c0 * src[a0 + jj]! + c1 * src[a1 + jj]! + c2 * src[a2 + jj]! + c3 * src[a3 + jj]!;
      }
    }
    for (; t < taps.length; t++) {
      const a0 = offset[t]!;
      const c0 = coef[t]!;
      for (let jj = 0; jj < TpB; jj++) acc[rowOut + jj]! += c0 * src[a0 + jj]!;
    }
  }
  return [fromRows(acc, TpB, Cout, stride, arrayFor(dtype, TpB * Cout) as FloatArray)];
};

import { arrayFor, type DataArray, type FloatArray, type KernelFn } from '@neurite/kernel';
import { Bump, bumpWidth } from './bump.js';
import { channelRows, fromRows, toRows } from './cpu-layout.js';
import { TapList } from './cpu-taps.js';
import type { Dcls1dGradAttrs } from './dcls1d.js';

type FloatType = 'float32' | 'float64';

interface DataIn {
  readonly handle: DataArray;
  readonly shape: readonly number[];
}

/**
 * The cpu kernel of `dcls1d_grad`. With G = Σ_j gy[o][j + d_k·B]·x[i][j] for tap k of synapse (o, i) (the
 * output gradient correlated with the input at the tap's delay), over the kept taps only:
 *
 *   ∂L/∂w[o,i] = Σ_k G_k·n_k
 *   ∂L/∂p[o,i] = w·Σ_k G_k·∂n_k/∂c
 *   ∂L/∂x[i][j] = Σ_o Σ_k w·n_k·gy[o][j + d_k·B]
 *
 * Work is grouped by input channel i: the kept taps of every synapse out of i form one list, swept four at
 * a time over the input-gradient row (one load and store of it per four taps). G runs over the input's
 * events when it is sparse.
 */
export const dcls1dGradCpu: KernelFn<DataArray, Dcls1dGradAttrs> = ({ inputs, attrs, outputs }) => {
  const [gy, x, w, p, sig] = inputs as unknown as [DataIn, DataIn, DataIn, DataIn, DataIn];
  const [needX, needW, needP] = attrs.needs;
  const needCorr = needW || needP;
  const [T, B, Cin] = x.shape as [number, number, number];
  const Cout = w.shape[0]!;
  const TB = T * B;
  const TpB = gy.shape[0]! * B;
  const K = attrs.kernelSize;
  const weight = w.handle;
  const position = p.handle;
  const [gxMeta, gwMeta, gpMeta] = outputs as unknown as [
    { dtype: FloatType },
    { dtype: FloatType },
    { dtype: FloatType },
  ];
  const bump = new Bump(K, attrs.version, bumpWidth(attrs.version, sig.handle[0]!), attrs.truncate);
  const lim = bump.lim;

  // Gradient rows with zeros past T' up to the largest shift: a tap that carries input j past the cropped
  // end reads zeros there, which is the reference's cropping.
  const stride = TB + (K - 1) * B;
  const gradType: FloatType = gy.handle instanceof Float64Array ? 'float64' : 'float32';
  const grad = toRows(gy.handle, TpB, Cout, stride, arrayFor(gradType, Cout * stride) as FloatArray);
  const gx = needX ? (arrayFor(gxMeta.dtype, Cin * TB) as FloatArray) : null;
  // Sums over a synapse's taps in float64, rounded once to the output dtype.
  const sumW = new Float64Array(needW ? Cout * Cin : 0);
  const sumP = new Float64Array(needP ? Cout * Cin : 0);
  const rows = needCorr ? channelRows(x.handle, TB, Cin, 0, 0) : null;
  const dense = rows && !rows.sparse ? rows.rows : null;
  const taps = new TapList(Cout * K);
  const corr = new Float64Array(Cout * K);

  for (let i = 0; i < Cin; i++) {
    taps.length = 0;
    for (let o = 0; o < Cout; o++) {
      const s = o * Cin + i;
      bump.eval(position[s]! + lim, needP);
      taps.add(bump, s, weight[s]!, o * stride, B, needP, needCorr);
    }
    const { offset, coef } = taps;
    const n = taps.length;
    const xi = i * TB;
    corr.fill(0, 0, n);
    if (rows?.sparse) {
      const { index, value } = rows;
      const start = rows.start[i]!;
      const stop = rows.start[i + 1]!;
      for (let t = 0; t < n; t++) {
        const base = offset[t]!;
        let c = 0;
        for (let e = start; e < stop; e++) c += grad[base + index[e]!]! * value[e]!;
        corr[t] = c;
      }
    }
    let t = 0;
    for (; t + 3 < n; t += 4) {
      const b0 = offset[t]!;
      const b1 = offset[t + 1]!;
      const b2 = offset[t + 2]!;
      const b3 = offset[t + 3]!;
      const v0 = coef[t]!;
      const v1 = coef[t + 1]!;
      const v2 = coef[t + 2]!;
      const v3 = coef[t + 3]!;
      if (dense) {
        let c0 = 0;
        let c1 = 0;
        let c2 = 0;
        let c3 = 0;
        if (gx) {
          for (let j = 0; j < TB; j++) {
            const g0 = grad[b0 + j]!;
            const g1 = grad[b1 + j]!;
            const g2 = grad[b2 + j]!;
            const g3 = grad[b3 + j]!;
            const xv = dense[xi + j]!;
            c0 += g0 * xv;
            c1 += g1 * xv;
            c2 += g2 * xv;
            c3 += g3 * xv;
            gx[xi + j]! += v0 * g0 + v1 * g1 + v2 * g2 + v3 * g3;
          }
        } else {
          for (let j = 0; j < TB; j++) {
            const xv = dense[xi + j]!;
            c0 += grad[b0 + j]! * xv;
            c1 += grad[b1 + j]! * xv;
            c2 += grad[b2 + j]! * xv;
            c3 += grad[b3 + j]! * xv;
          }
        }
        corr[t] = c0;
        corr[t + 1] = c1;
        corr[t + 2] = c2;
        corr[t + 3] = c3;
      } else if (gx) {
        for (let j = 0; j < TB; j++) {
          gx[xi + j]! += v0 * grad[b0 + j]! + v1 * grad[b1 + j]! + v2 * grad[b2 + j]! + v3 * grad[b3 + j]!;
        }
      }
    }
    for (; t < n; t++) {
      const b0 = offset[t]!;
      const v0 = coef[t]!;
      if (dense) {
        let c0 = 0;
        for (let j = 0; j < TB; j++) c0 += grad[b0 + j]! * dense[xi + j]!;
        corr[t] = c0;
      }
      if (gx && v0 !== 0) for (let j = 0; j < TB; j++) gx[xi + j]! += v0 * grad[b0 + j]!;
    }
    if (needCorr) {
      const { synapse } = taps;
      for (let u = 0; u < n; u++) {
        const s = synapse[u]!;
        if (needW) sumW[s]! += corr[u]! * taps.n[u]!;
        if (needP) sumP[s]! += weight[s]! * corr[u]! * taps.dn[u]!;
      }
    }
  }
  const gxOut = gx
    ? fromRows(gx, TB, Cin, TB, arrayFor(gxMeta.dtype, TB * Cin) as FloatArray)
    : arrayFor(gxMeta.dtype, 0);
  const gw = arrayFor(gwMeta.dtype, sumW.length);
  gw.set(sumW);
  const gp = arrayFor(gpMeta.dtype, sumP.length);
  gp.set(sumP);
  return [gxOut, gw, gp];
};

import type { ConvAttrs, ConvInputGradAttrs, ConvWeightGradAttrs } from '../../ops/conv.js';
import { arrayFor, type DataArray, type DType, type FloatArray } from '../../tensor/dtype.js';
import type { Shape } from '../../tensor/shape.js';
import type { KernelFn } from '../contract.js';
import { gemmPacked, roundUp4, spikeBatch } from './matmul.js';

/**
 * Convolution kernels. Every convolution is treated as 2-D (a 1-D one has height 1) and lowered onto the
 * register-blocked GEMM of matmul.ts through patch matrices built one tile of output positions at a
 * time, so scratch memory stays bounded however long the sequence is:
 *
 *   forward       out[co, p]  = W[co, r] · rows[p, r]ᵀ          (rows: im2row of the input)
 *   input grad    cols[r, p]  = Wᵀ[r, co] · gᵀ[p, co]ᵀ, then col2im (scatter-add into the input grad)
 *   weight grad   gW[co, r]  += g[co, p] · cols[r, p]ᵀ           (cols: im2col of the input)
 *
 * with r = (ci, kh, kw) over one group's receptive field. Two other paths cover what GEMM does badly:
 * a direct loop when a group has fewer than 4 output channels (depthwise convolutions, pooling), and,
 * for sparse spike inputs, spike patch matrices fed to matmul's event-driven product, so the forward
 * pass and the weight gradient cost in proportion to the active inputs. On the CI machine (B 32,
 * Cin 140, Cout 256, L 250, K 25) GEMM runs at its 4.2 GFLOP/s; at 5% spikes the forward is 9× faster.
 */

/** A convolution in 2-D terms: a 1-D one is a 2-D one of height 1. */
interface Geometry {
  readonly B: number;
  readonly groups: number;
  readonly cinG: number;
  readonly coutG: number;
  readonly H: number;
  readonly W: number;
  readonly KH: number;
  readonly KW: number;
  readonly OH: number;
  readonly OW: number;
  readonly sh: number;
  readonly sw: number;
  /** Padding before each axis (the padding after only shortens or lengthens the output). */
  readonly ph: number;
  readonly pw: number;
  readonly dh: number;
  readonly dw: number;
  /** Output positions per plane. */
  readonly P: number;
  /** Receptive field of one group: cinG × KH × KW. */
  readonly CK: number;
}

function geometry(input: Shape, cout: number, kernel: Shape, output: Shape, attrs: ConvAttrs): Geometry {
  const two = <T>(v: readonly T[], fill: T): [T, T] => (v.length === 1 ? [fill, v[0]!] : [v[0]!, v[1]!]);
  const [H, W] = two(input.slice(2), 1);
  const [KH, KW] = two(kernel, 1);
  const [OH, OW] = two(output.slice(2), 1);
  const [sh, sw] = two(attrs.stride, 1);
  const [dh, dw] = two(attrs.dilation, 1);
  const [ph, pw] = two(
    attrs.padding.map((p) => p[0]),
    0,
  );
  const { groups } = attrs;
  const cinG = input[1]! / groups;
  return {
    B: input[0]!,
    groups,
    cinG,
    coutG: cout / groups,
    H,
    W,
    KH,
    KW,
    OH,
    OW,
    sh,
    sw,
    ph,
    pw,
    dh,
    dw,
    P: OH * OW,
    CK: cinG * KH * KW,
  };
}

/** Output positions o in [0, outSize) whose input position o·stride + offset lies in [0, inSize). */
function validRange(outSize: number, inSize: number, stride: number, offset: number): [number, number] {
  const lo = offset >= 0 ? 0 : Math.ceil(-offset / stride);
  const hi = Math.min(outSize, Math.floor((inSize - 1 - offset) / stride) + 1);
  return [lo, Math.max(lo, hi)];
}

function floatScratch(dtype: DType, size: number): FloatArray {
  return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
}

/** Elements of a patch matrix per tile: large enough for long GEMM runs, small enough to stay in cache. */
const TILE_ELEMENTS = 1 << 19;

function tileLength(G: Geometry): number {
  return Math.min(G.P, Math.max(16, Math.floor(TILE_ELEMENTS / Math.max(1, G.CK))));
}

/**
 * A group with fewer output channels than the GEMM's 4-row blocks wastes most of each block (measured:
 * the direct loop wins at 1–2 channels per group, ties at 3, loses from 4 on).
 */
const useDirect = (G: Geometry) => G.coutG < 4;

/** Spike inputs denser than this run the dense path (measured break-even: ~0.4 weight gradient, ~0.55 forward). */
const EVENT_DENSITY = 0.4;

function sparseSpikes(x: { handle: DataArray; dtype: DType }): boolean {
  if (x.dtype !== 'spike') return false;
  const s = x.handle;
  let active = 0;
  for (let i = 0; i < s.length; i++) active += s[i]!;
  return active < EVENT_DENSITY * s.length;
}

// ------------------------------------------------------------------ patch matrices

/** im2row: rows[j, r] = the input under kernel tap r at output position p0 + j (zero in the padding). */
function fillRows(x: DataArray, xOff: number, G: Geometry, p0: number, n: number, rows: DataArray): void {
  const { H, W, KH, KW, OW, sh, sw, ph, pw, dh, dw, cinG, CK } = G;
  const plane = H * W;
  let oh = Math.floor(p0 / OW);
  let ow = p0 - oh * OW;
  for (let j = 0; j < n; j++) {
    const iw0 = ow * sw - pw;
    const [klo, khi] = validRange(KW, W, dw, iw0);
    for (let ci = 0; ci < cinG; ci++) {
      for (let kh = 0; kh < KH; kh++) {
        const ih = oh * sh + kh * dh - ph;
        const o = j * CK + (ci * KH + kh) * KW;
        if (ih < 0 || ih >= H || khi === klo) {
          rows.fill(0, o, o + KW);
          continue;
        }
        const src = xOff + ci * plane + ih * W + iw0;
        for (let kw = 0; kw < klo; kw++) rows[o + kw] = 0;
        if (dw === 1) for (let kw = klo; kw < khi; kw++) rows[o + kw] = x[src + kw]!;
        else for (let kw = klo; kw < khi; kw++) rows[o + kw] = x[src + kw * dw]!;
        for (let kw = khi; kw < KW; kw++) rows[o + kw] = 0;
      }
    }
    if (++ow === OW) {
      ow = 0;
      oh++;
    }
  }
  rows.fill(0, n * CK, roundUp4(n) * CK);
}

/**
 * Walks the tile p0..p0+n of output positions for kernel tap (kh, kw) as runs along one output row,
 * calling `run(j, ow0, lo, hi, ow1, src)`: tile columns j.. hold positions ow0..ow1 of that row, of
 * which lo..hi read the input at src + ow·sw (the rest read padding). src is -1 for a row wholly in
 * the padding.
 */
function forEachRun(
  G: Geometry,
  p0: number,
  n: number,
  kh: number,
  kw: number,
  run: (j: number, ow0: number, lo: number, hi: number, ow1: number, src: number) => void,
): void {
  const { H, W, OW, sh, sw, ph, pw, dh, dw } = G;
  const offW = kw * dw - pw;
  const [lo, hi] = validRange(OW, W, sw, offW);
  let j = 0;
  let p = p0;
  while (j < n) {
    const oh = Math.floor(p / OW);
    const ow0 = p - oh * OW;
    const ow1 = Math.min(OW, ow0 + n - j);
    const ih = oh * sh + kh * dh - ph;
    if (ih < 0 || ih >= H) run(j, ow0, ow0, ow0, ow1, -1);
    else run(j, ow0, Math.min(Math.max(lo, ow0), ow1), Math.max(Math.min(hi, ow1), ow0), ow1, ih * W + offW);
    j += ow1 - ow0;
    p += ow1 - ow0;
  }
}

/** im2col: cols[r, j] (row stride n) = the input under kernel tap r at output position p0 + j. */
function fillCols(x: DataArray, xOff: number, G: Geometry, p0: number, n: number, cols: DataArray): void {
  const { H, W, KH, KW, sw, cinG, CK } = G;
  for (let ci = 0; ci < cinG; ci++) {
    const cb = xOff + ci * H * W;
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const ro = ((ci * KH + kh) * KW + kw) * n;
        forEachRun(G, p0, n, kh, kw, (j, ow0, lo, hi, ow1, src) => {
          const o = ro + j - ow0;
          for (let ow = ow0; ow < lo; ow++) cols[o + ow] = 0;
          const s = cb + src;
          if (sw === 1) for (let ow = lo; ow < hi; ow++) cols[o + ow] = x[s + ow]!;
          else for (let ow = lo; ow < hi; ow++) cols[o + ow] = x[s + ow * sw]!;
          for (let ow = hi; ow < ow1; ow++) cols[o + ow] = 0;
        });
      }
    }
  }
  cols.fill(0, CK * n, roundUp4(CK) * n);
}

/** col2im: adds cols[r, j] (row stride `stride`) into the input gradient where tap r read it. */
function scatterCols(
  cols: FloatArray,
  stride: number,
  G: Geometry,
  p0: number,
  n: number,
  gx: DataArray,
  gxOff: number,
): void {
  const { H, W, KH, KW, sw, cinG } = G;
  for (let ci = 0; ci < cinG; ci++) {
    const cb = gxOff + ci * H * W;
    for (let kh = 0; kh < KH; kh++) {
      for (let kw = 0; kw < KW; kw++) {
        const ro = ((ci * KH + kh) * KW + kw) * stride;
        forEachRun(G, p0, n, kh, kw, (j, ow0, lo, hi, _ow1, src) => {
          const o = ro + j - ow0;
          const s = cb + src;
          if (sw === 1) for (let ow = lo; ow < hi; ow++) gx[s + ow]! += cols[o + ow]!;
          else for (let ow = lo; ow < hi; ow++) gx[s + ow * sw]! += cols[o + ow]!;
        });
      }
    }
  }
}

/** Each group's weight rows [coutG, CK], padded with zero rows to a multiple of 4. */
function packWeight(w: DataArray, G: Geometry, dtype: DType): FloatArray[] {
  const Mp = roundUp4(G.coutG);
  return Array.from({ length: G.groups }, (_, g) => {
    const packed = floatScratch(dtype, Mp * G.CK);
    packed.set(w.subarray(g * G.coutG * G.CK, (g + 1) * G.coutG * G.CK));
    return packed;
  });
}

/** Each group's weight transposed, [CK, coutG] (rows padded to a multiple of 4 when `pad`). */
function packWeightT(w: DataArray, G: Geometry, dtype: DType, pad: boolean): FloatArray[] {
  const { CK, coutG } = G;
  return Array.from({ length: G.groups }, (_, g) => {
    const packed = floatScratch(dtype, (pad ? roundUp4(CK) : CK) * coutG);
    for (let co = 0; co < coutG; co++) {
      const src = (g * coutG + co) * CK;
      for (let r = 0; r < CK; r++) packed[r * coutG + co] = w[src + r]!;
    }
    return packed;
  });
}

/** gT[p, co] = g[b, group's co, p]: the output gradient of one batch and group with positions as rows. */
function transposeGrad(
  g: DataArray,
  G: Geometry,
  b: number,
  grp: number,
  p0: number,
  n: number,
  out: FloatArray,
): void {
  const { coutG, P, groups } = G;
  for (let co = 0; co < coutG; co++) {
    const src = ((b * groups + grp) * coutG + co) * P + p0;
    for (let j = 0; j < n; j++) out[j * coutG + co] = g[src + j]!;
  }
}

// ------------------------------------------------------------------ forward

function forwardGemm(
  x: DataArray,
  w: DataArray,
  bias: DataArray | null,
  G: Geometry,
  out: FloatArray,
  dtype: DType,
): void {
  const { B, groups, coutG, CK, P } = G;
  const Mp = roundUp4(coutG);
  const T = tileLength(G);
  const weights = packWeight(w, G, dtype);
  const rows = floatScratch(dtype, roundUp4(T) * CK);
  const C = floatScratch(dtype, Mp * roundUp4(T));
  for (let b = 0; b < B; b++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (b * groups + g) * G.cinG * G.H * G.W;
      for (let p0 = 0; p0 < P; p0 += T) {
        const n = Math.min(T, P - p0);
        const np = roundUp4(n);
        fillRows(x, xOff, G, p0, n, rows);
        C.fill(0, 0, Mp * np);
        gemmPacked(weights[g]!, rows, C, Mp, CK, np);
        for (let co = 0; co < coutG; co++) {
          const c = g * coutG + co;
          const bv = bias ? bias[c]! : 0;
          const o = (b * groups * coutG + c) * P + p0;
          const s = co * np;
          for (let j = 0; j < n; j++) out[o + j] = C[s + j]! + bv;
        }
      }
    }
  }
}

/** One output channel at a time, each kernel tap an axpy along an output row. */
function forwardDirect(
  x: DataArray,
  w: DataArray,
  bias: DataArray | null,
  G: Geometry,
  out: FloatArray,
): void {
  const { B, groups, cinG, coutG, H, W, KH, KW, OH, OW, sh, sw, ph, pw, dh, dw, CK, P } = G;
  const ranges = Array.from({ length: KW }, (_, kw) => validRange(OW, W, sw, kw * dw - pw));
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < groups * coutG; c++) {
      const g = Math.floor(c / coutG);
      const o = (b * groups * coutG + c) * P;
      out.fill(bias ? bias[c]! : 0, o, o + P);
      for (let ci = 0; ci < cinG; ci++) {
        const xc = ((b * groups + g) * cinG + ci) * H * W;
        for (let kh = 0; kh < KH; kh++) {
          for (let kw = 0; kw < KW; kw++) {
            const wv = w[c * CK + (ci * KH + kh) * KW + kw]!;
            const [lo, hi] = ranges[kw]!;
            for (let oh = 0; oh < OH; oh++) {
              const ih = oh * sh + kh * dh - ph;
              if (ih < 0 || ih >= H) continue;
              const s = xc + ih * W + kw * dw - pw;
              const d = o + oh * OW;
              if (sw === 1) for (let ow = lo; ow < hi; ow++) out[d + ow]! += wv * x[s + ow]!;
              else for (let ow = lo; ow < hi; ow++) out[d + ow]! += wv * x[s + ow * sw]!;
            }
          }
        }
      }
    }
  }
}

const SPIKE_PRODUCT = { transA: false, transB: false } as const;

/**
 * Sparse spike input: the im2row patches are spikes too, so each output position sums the weight
 * vectors (over output channels) of its active taps with matmul's event-driven product.
 */
function forwardEvents(
  s: Uint8Array,
  w: DataArray,
  bias: DataArray | null,
  G: Geometry,
  out: FloatArray,
  dtype: DType,
): void {
  const { B, groups, coutG, CK, P } = G;
  const T = tileLength(G);
  const weightsT = packWeightT(w, G, dtype, false);
  const rows = new Uint8Array(roundUp4(T) * CK);
  const acc = floatScratch(dtype, T * coutG);
  const scratch = { rows: acc, active: new Int32Array(CK) };
  for (let b = 0; b < B; b++) {
    for (let g = 0; g < groups; g++) {
      const xOff = (b * groups + g) * G.cinG * G.H * G.W;
      for (let p0 = 0; p0 < P; p0 += T) {
        const n = Math.min(T, P - p0);
        fillRows(s, xOff, G, p0, n, rows);
        acc.fill(0);
        spikeBatch(rows, 0, weightsT[g]!, 0, acc, 0, n, CK, coutG, SPIKE_PRODUCT, scratch);
        for (let co = 0; co < coutG; co++) {
          const c = g * coutG + co;
          const bv = bias ? bias[c]! : 0;
          const o = (b * groups * coutG + c) * P + p0;
          for (let j = 0; j < n; j++) out[o + j] = acc[j * coutG + co]! + bv;
        }
      }
    }
  }
}

function convForward(): KernelFn<DataArray, ConvAttrs> {
  return ({ inputs: [x, w, b], attrs, outputs: [o] }) => {
    const G = geometry(x!.shape, w!.shape[0]!, w!.shape.slice(2), o!.shape, attrs);
    const out = arrayFor(
      o!.dtype,
      o!.shape.reduce((a, d) => a * d, 1),
    ) as FloatArray;
    const bias = b ? b.handle : null;
    if (useDirect(G)) forwardDirect(x!.handle, w!.handle, bias, G, out);
    else if (sparseSpikes(x!)) forwardEvents(x!.handle as Uint8Array, w!.handle, bias, G, out, o!.dtype);
    else forwardGemm(x!.handle, w!.handle, bias, G, out, o!.dtype);
    return [out];
  };
}

// ------------------------------------------------------------------ input gradient

function inputGradGemm(g: DataArray, w: DataArray, G: Geometry, gx: FloatArray, dtype: DType): void {
  const { B, groups, coutG, CK, P } = G;
  const CKp = roundUp4(CK);
  const T = tileLength(G);
  const weightsT = packWeightT(w, G, dtype, true);
  const gT = floatScratch(dtype, roundUp4(T) * coutG);
  const cols = floatScratch(dtype, CKp * roundUp4(T));
  for (let b = 0; b < B; b++) {
    for (let grp = 0; grp < groups; grp++) {
      const gxOff = (b * groups + grp) * G.cinG * G.H * G.W;
      for (let p0 = 0; p0 < P; p0 += T) {
        const n = Math.min(T, P - p0);
        const np = roundUp4(n);
        transposeGrad(g, G, b, grp, p0, n, gT);
        gT.fill(0, n * coutG, np * coutG);
        cols.fill(0, 0, CKp * np);
        gemmPacked(weightsT[grp]!, gT, cols, CKp, coutG, np);
        scatterCols(cols, np, G, p0, n, gx, gxOff);
      }
    }
  }
}

function inputGradDirect(g: DataArray, w: DataArray, G: Geometry, gx: FloatArray): void {
  const { B, groups, cinG, coutG, H, W, KH, KW, OH, OW, sh, sw, ph, pw, dh, dw, CK, P } = G;
  const ranges = Array.from({ length: KW }, (_, kw) => validRange(OW, W, sw, kw * dw - pw));
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < groups * coutG; c++) {
      const grp = Math.floor(c / coutG);
      const go = (b * groups * coutG + c) * P;
      for (let ci = 0; ci < cinG; ci++) {
        const xc = ((b * groups + grp) * cinG + ci) * H * W;
        for (let kh = 0; kh < KH; kh++) {
          for (let kw = 0; kw < KW; kw++) {
            const wv = w[c * CK + (ci * KH + kh) * KW + kw]!;
            const [lo, hi] = ranges[kw]!;
            for (let oh = 0; oh < OH; oh++) {
              const ih = oh * sh + kh * dh - ph;
              if (ih < 0 || ih >= H) continue;
              const d = xc + ih * W + kw * dw - pw;
              const s = go + oh * OW;
              if (sw === 1) for (let ow = lo; ow < hi; ow++) gx[d + ow]! += wv * g[s + ow]!;
              else for (let ow = lo; ow < hi; ow++) gx[d + ow * sw]! += wv * g[s + ow]!;
            }
          }
        }
      }
    }
  }
}

function convInputGrad(): KernelFn<DataArray, ConvInputGradAttrs> {
  return ({ inputs: [g, w], attrs, outputs: [o] }) => {
    const G = geometry(o!.shape, w!.shape[0]!, w!.shape.slice(2), g!.shape, attrs);
    const gx = arrayFor(
      o!.dtype,
      o!.shape.reduce((a, d) => a * d, 1),
    ) as FloatArray;
    if (useDirect(G)) inputGradDirect(g!.handle, w!.handle, G, gx);
    else inputGradGemm(g!.handle, w!.handle, G, gx, o!.dtype);
    return [gx];
  };
}

// ------------------------------------------------------------------ weight gradient

function weightGradGemm(g: DataArray, x: DataArray, G: Geometry, gw: FloatArray, dtype: DType): void {
  const { B, groups, coutG, CK, P } = G;
  const Mp = roundUp4(coutG);
  const CKp = roundUp4(CK);
  const T = tileLength(G);
  const acc = Array.from({ length: groups }, () => floatScratch(dtype, Mp * CKp));
  const A = floatScratch(dtype, Mp * T);
  const cols = floatScratch(dtype, CKp * T);
  for (let b = 0; b < B; b++) {
    for (let grp = 0; grp < groups; grp++) {
      const xOff = (b * groups + grp) * G.cinG * G.H * G.W;
      for (let p0 = 0; p0 < P; p0 += T) {
        const n = Math.min(T, P - p0);
        for (let co = 0; co < coutG; co++) {
          const src = ((b * groups + grp) * coutG + co) * P + p0;
          for (let j = 0; j < n; j++) A[co * n + j] = g[src + j]!;
        }
        A.fill(0, coutG * n, Mp * n);
        fillCols(x, xOff, G, p0, n, cols);
        gemmPacked(A, cols, acc[grp]!, Mp, n, CKp);
      }
    }
  }
  for (let grp = 0; grp < groups; grp++) {
    const a = acc[grp]!;
    for (let co = 0; co < coutG; co++) {
      const d = (grp * coutG + co) * CK;
      for (let r = 0; r < CK; r++) gw[d + r] = a[co * CKp + r]!;
    }
  }
}

function weightGradDirect(g: DataArray, x: DataArray, G: Geometry, gw: FloatArray): void {
  const { B, groups, cinG, coutG, H, W, KH, KW, OH, OW, sh, sw, ph, pw, dh, dw, CK, P } = G;
  const ranges = Array.from({ length: KW }, (_, kw) => validRange(OW, W, sw, kw * dw - pw));
  for (let c = 0; c < groups * coutG; c++) {
    const grp = Math.floor(c / coutG);
    for (let ci = 0; ci < cinG; ci++) {
      for (let kh = 0; kh < KH; kh++) {
        for (let kw = 0; kw < KW; kw++) {
          const [lo, hi] = ranges[kw]!;
          let acc = 0;
          for (let b = 0; b < B; b++) {
            const go = (b * groups * coutG + c) * P;
            const xc = ((b * groups + grp) * cinG + ci) * H * W;
            for (let oh = 0; oh < OH; oh++) {
              const ih = oh * sh + kh * dh - ph;
              if (ih < 0 || ih >= H) continue;
              const s = xc + ih * W + kw * dw - pw;
              const d = go + oh * OW;
              if (sw === 1) for (let ow = lo; ow < hi; ow++) acc += g[d + ow]! * x[s + ow]!;
              else for (let ow = lo; ow < hi; ow++) acc += g[d + ow]! * x[s + ow * sw]!;
            }
          }
          gw[c * CK + (ci * KH + kh) * KW + kw] = acc;
        }
      }
    }
  }
}

/**
 * Sparse spike input: the im2col patches are spikes, so each kernel tap sums the output gradient
 * vectors of the positions where it read an active input (matmul's event-driven product).
 */
function weightGradEvents(g: DataArray, s: Uint8Array, G: Geometry, gw: FloatArray, dtype: DType): void {
  const { B, groups, coutG, CK, P } = G;
  const T = tileLength(G);
  const acc = Array.from({ length: groups }, () => floatScratch(dtype, CK * coutG));
  const cols = new Uint8Array(roundUp4(CK) * T);
  const gT = floatScratch(dtype, T * coutG);
  const scratch = { rows: gT, active: new Int32Array(T) };
  for (let b = 0; b < B; b++) {
    for (let grp = 0; grp < groups; grp++) {
      const xOff = (b * groups + grp) * G.cinG * G.H * G.W;
      for (let p0 = 0; p0 < P; p0 += T) {
        const n = Math.min(T, P - p0);
        fillCols(s, xOff, G, p0, n, cols);
        transposeGrad(g, G, b, grp, p0, n, gT);
        spikeBatch(cols, 0, gT, 0, acc[grp]!, 0, CK, n, coutG, SPIKE_PRODUCT, scratch);
      }
    }
  }
  for (let grp = 0; grp < groups; grp++) {
    const a = acc[grp]!;
    for (let co = 0; co < coutG; co++) {
      const d = (grp * coutG + co) * CK;
      for (let r = 0; r < CK; r++) gw[d + r] = a[r * coutG + co]!;
    }
  }
}

function convWeightGrad(): KernelFn<DataArray, ConvWeightGradAttrs> {
  return ({ inputs: [g, x], attrs, outputs: [o] }) => {
    const G = geometry(x!.shape, g!.shape[1]!, attrs.kernelSize, g!.shape, attrs);
    const gw = arrayFor(
      o!.dtype,
      o!.shape.reduce((a, d) => a * d, 1),
    ) as FloatArray;
    if (useDirect(G)) weightGradDirect(g!.handle, x!.handle, G, gw);
    else if (sparseSpikes(x!)) weightGradEvents(g!.handle, x!.handle as Uint8Array, G, gw, o!.dtype);
    else weightGradGemm(g!.handle, x!.handle, G, gw, o!.dtype);
    return [gw];
  };
}

export const convKernels: Record<string, KernelFn<DataArray, any>> = {
  conv1d: convForward(),
  conv1d_input_grad: convInputGrad(),
  conv1d_weight_grad: convWeightGrad(),
  conv2d: convForward(),
  conv2d_input_grad: convInputGrad(),
  conv2d_weight_grad: convWeightGrad(),
};

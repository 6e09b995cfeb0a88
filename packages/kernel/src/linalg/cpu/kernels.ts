import type { KernelFn } from '../../backend/contract.js';
import { broadcastIndex, forEachRun, planBroadcast } from '../../backend/cpu/broadcast.js';
import { arrayFor, type DataArray } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import { cholesky } from '../dense/cholesky.js';
import { eigh } from '../dense/eigh.js';
import { expm } from '../dense/expm.js';
import { inverse, type LuFactors, lu, luSolve } from '../dense/lu.js';
import { symmetricPart } from '../dense/matrix.js';
import { spdFunction } from '../dense/spd.js';
import { substitute } from '../dense/triangular.js';
import { realFftFor } from '../fft/real.js';
import type { IrfftAttrs } from '../ops/fourier.js';
import type { SpdAttrs, SpdFunctionName } from '../ops/matrix-functions.js';
import type { SolveAttrs, TriangularSolveAttrs } from '../ops/solve.js';
import { block, inBatch } from './batch.js';

/*
 * cpu kernels of the linear-algebra ops: each loops over the batch axes and hands one matrix (or one
 * signal) at a time to the host routines in ../dense and ../fft, which compute in float64; results
 * are written in the output dtype.
 */

/** Both solves: A [..., n, n] and B [..., n, k] with broadcast batch axes; A's factorisation is reused across a broadcast. */
function solveKernel(
  op: 'solve' | 'solve_triangular',
): KernelFn<DataArray, SolveAttrs | TriangularSolveAttrs> {
  return ({ inputs: [a, b], attrs, outputs: [o] }) => {
    const n = a!.shape.at(-1)!;
    const k = b!.shape.at(-1)!;
    const batchShape = o!.shape.slice(0, -2);
    const aIndex = broadcastIndex(batchShape, a!.shape.slice(0, -2));
    const bIndex = broadcastIndex(batchShape, b!.shape.slice(0, -2));
    const out = arrayFor(o!.dtype, sizeOf(o!.shape));
    let factored = -1;
    let factors: LuFactors | null = null;
    for (let batch = 0; batch < aIndex.length; batch++) {
      const ai = aIndex[batch]!;
      const rhs = block(b!, bIndex[batch]!, n * k);
      const x = inBatch(op, batch, () => {
        if (op === 'solve_triangular') {
          const { lower } = attrs as TriangularSolveAttrs;
          const sol = Float64Array.from(rhs);
          substitute(op, block(a!, ai, n * n), sol, n, k, lower, attrs.transpose);
          return sol;
        }
        if (ai !== factored) {
          factors = lu(block(a!, ai, n * n), n);
          factored = ai;
        }
        return luSolve(factors!, rhs, { transpose: attrs.transpose });
      });
      out.set(x, batch * n * k);
    }
    return [out];
  };
}

/** A kernel applying `fn` to each n×n matrix of a batch, one output matrix each. */
function perMatrix(
  op: string,
  fn: (m: Float64Array, n: number) => Float64Array,
): KernelFn<DataArray, unknown> {
  return ({ inputs: [a], outputs: [o] }) => {
    const n = a!.shape.at(-1)!;
    const count = n === 0 ? 0 : sizeOf(a!.shape) / (n * n);
    const out = arrayFor(o!.dtype, sizeOf(o!.shape));
    for (let batch = 0; batch < count; batch++) {
      out.set(
        inBatch(op, batch, () => fn(block(a!, batch, n * n), n)),
        batch * n * n,
      );
    }
    return [out];
  };
}

const eighKernel: KernelFn<DataArray> = ({ inputs: [a], outputs: [ow, ov] }) => {
  const n = a!.shape.at(-1)!;
  const count = n === 0 ? 0 : sizeOf(a!.shape) / (n * n);
  const values = arrayFor(ow!.dtype, sizeOf(ow!.shape));
  const vectors = arrayFor(ov!.dtype, sizeOf(ov!.shape));
  for (let batch = 0; batch < count; batch++) {
    const e = inBatch('eigh', batch, () => eigh(symmetricPart(block(a!, batch, n * n), n), n));
    values.set(e.values, batch * n);
    vectors.set(e.vectors, batch * n * n);
  }
  return [values, vectors];
};

const SCALAR: Record<SpdFunctionName, (p: number) => (x: number) => number> = {
  logm_spd: () => Math.log,
  sqrtm_spd: () => Math.sqrt,
  invsqrtm_spd: () => (x) => 1 / Math.sqrt(x),
  powm_spd: (p) => (x) => x ** p,
};

function spdKernel(name: SpdFunctionName): KernelFn<DataArray, SpdAttrs> {
  return (call) => {
    const f = SCALAR[name](call.attrs.power);
    return perMatrix(name, (m, n) => spdFunction(symmetricPart(m, n), n, f, name))(call);
  };
}

/** rfft along the last axis: [..., n] → [..., bins, 2] interleaved (real, imaginary). */
const rfftKernel: KernelFn<DataArray> = ({ inputs: [x], outputs: [o] }) => {
  const n = x!.shape.at(-1)!;
  const rows = sizeOf(x!.shape) / n;
  const plan = realFftFor(n);
  const bins = plan.bins;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  for (let r = 0; r < rows; r++) {
    plan.forward(x!.handle, r * n, re, im);
    const base = r * bins * 2;
    for (let k = 0; k < bins; k++) {
      out[base + 2 * k] = re[k]!;
      out[base + 2 * k + 1] = im[k]!;
    }
  }
  return [out];
};

/** irfft along the last axes: [..., bins, 2] → [..., n]. */
const irfftKernel: KernelFn<DataArray, IrfftAttrs> = ({ inputs: [y], attrs: { n }, outputs: [o] }) => {
  const plan = realFftFor(n);
  const bins = plan.bins;
  const rows = sizeOf(y!.shape) / (bins * 2);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const signal = new Float64Array(n);
  const data = y!.handle;
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  for (let r = 0; r < rows; r++) {
    const base = r * bins * 2;
    for (let k = 0; k < bins; k++) {
      re[k] = data[base + 2 * k]!;
      im[k] = data[base + 2 * k + 1]!;
    }
    plan.inverse(re, im, 0, signal);
    out.set(signal, r * n);
  }
  return [out];
};

/** Complex products of [..., 2] operands, broadcasting the leading axes pair by pair. */
const complexMulKernel: KernelFn<DataArray> = ({ inputs: [a, b], outputs: [o] }) => {
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  const plan = planBroadcast(o!.shape.slice(0, -1), a!.shape.slice(0, -1), b!.shape.slice(0, -1));
  const x = a!.handle;
  const y = b!.handle;
  const sa = 2 * plan.innerA;
  const sb = 2 * plan.innerB;
  forEachRun(plan, (ao, bo, oo) => {
    let p = 2 * ao;
    let q = 2 * bo;
    let r = 2 * oo;
    for (let i = 0; i < plan.inner; i++, p += sa, q += sb, r += 2) {
      const xr = x[p]!;
      const xi = x[p + 1]!;
      const yr = y[q]!;
      const yi = y[q + 1]!;
      out[r] = xr * yr - xi * yi;
      out[r + 1] = xr * yi + xi * yr;
    }
  });
  return [out];
};

export const linalgCpuKernels: Record<string, KernelFn<DataArray, any>> = {
  solve: solveKernel('solve'),
  solve_triangular: solveKernel('solve_triangular'),
  inv: perMatrix('inv', inverse),
  cholesky: perMatrix('cholesky', (m, n) => cholesky(symmetricPart(m, n), n)),
  eigh: eighKernel,
  expm: perMatrix('expm', expm),
  logm_spd: spdKernel('logm_spd'),
  sqrtm_spd: spdKernel('sqrtm_spd'),
  invsqrtm_spd: spdKernel('invsqrtm_spd'),
  powm_spd: spdKernel('powm_spd'),
  rfft: rfftKernel,
  irfft: irfftKernel,
  complex_mul: complexMulKernel,
};

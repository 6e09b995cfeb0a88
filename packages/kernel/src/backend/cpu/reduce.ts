import type { ReduceAttrs } from '../../ops/reduce.js';
import { arrayFor, type DataArray } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import type { KernelFn } from '../contract.js';
import { splitAround } from './strided.js';

type Reducer = 'sum' | 'max' | 'min';

/** Reduces the middle of an (outer, r, inner) layout. Sums accumulate in double precision. */
function reduce3(x: DataArray, outer: number, r: number, inner: number, kind: Reducer): Float64Array {
  const out = new Float64Array(outer * inner);
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      const base = o * r;
      if (kind === 'sum') {
        let acc = 0;
        for (let k = 0; k < r; k++) acc += x[base + k]!;
        out[o] = acc;
      } else {
        let acc = kind === 'max' ? -Infinity : Infinity;
        for (let k = 0; k < r; k++) {
          const v = x[base + k]!;
          if (kind === 'max' ? v > acc || v !== v : v < acc || v !== v) acc = v;
        }
        out[o] = acc;
      }
    }
    return out;
  }
  if (kind !== 'sum') out.fill(kind === 'max' ? -Infinity : Infinity);
  for (let o = 0; o < outer; o++) {
    const ob = o * inner;
    for (let k = 0; k < r; k++) {
      const xb = (o * r + k) * inner;
      if (kind === 'sum') for (let i = 0; i < inner; i++) out[ob + i]! += x[xb + i]!;
      else if (kind === 'max') {
        for (let i = 0; i < inner; i++) {
          const v = x[xb + i]!;
          if (v > out[ob + i]! || v !== v) out[ob + i] = v;
        }
      } else {
        for (let i = 0; i < inner; i++) {
          const v = x[xb + i]!;
          if (v < out[ob + i]! || v !== v) out[ob + i] = v;
        }
      }
    }
  }
  return out;
}

function reduceKernel(kind: Reducer): KernelFn<DataArray, ReduceAttrs> {
  return ({ inputs: [x], attrs: { axes }, outputs: [o] }) => {
    // Reduce each run of adjacent axes in turn, last run first so earlier axis numbers stay valid.
    const shape = [...x!.shape];
    const runs: [number, number][] = [];
    for (const a of axes) {
      const last = runs[runs.length - 1];
      if (last && last[1] === a - 1) last[1] = a;
      else runs.push([a, a]);
    }
    let data: DataArray = x!.handle;
    for (let i = runs.length - 1; i >= 0; i--) {
      const [first, lastAxis] = runs[i]!;
      const [outer, r, inner] = splitAround(shape, first, lastAxis);
      data = reduce3(data, outer, r, inner, kind);
      for (let a = first; a <= lastAxis; a++) shape[a] = 1;
    }
    const out = arrayFor(o!.dtype, sizeOf(o!.shape));
    out.set(data);
    return [out];
  };
}

const argmax: KernelFn<DataArray, { axis: number }> = ({ inputs: [x], attrs: { axis }, outputs: [o] }) => {
  const [outer, r, inner] = splitAround(x!.shape, axis);
  const src = x!.handle;
  const out = new Int32Array(sizeOf(o!.shape));
  for (let a = 0; a < outer; a++) {
    for (let i = 0; i < inner; i++) {
      let best = -Infinity;
      let at = 0;
      for (let k = 0; k < r; k++) {
        const v = src[(a * r + k) * inner + i]!;
        if (v > best || (v !== v && best === best)) {
          best = v;
          at = k;
        }
      }
      out[a * inner + i] = at;
    }
  }
  return [out];
};

function softmaxKernel(log: boolean): KernelFn<DataArray, { axis: number }> {
  return ({ inputs: [x], attrs: { axis }, outputs: [o] }) => {
    const [outer, r, inner] = splitAround(x!.shape, axis);
    const src = x!.handle;
    const out = arrayFor(o!.dtype, src.length);
    for (let a = 0; a < outer; a++) {
      for (let i = 0; i < inner; i++) {
        const base = a * r * inner + i;
        let m = -Infinity;
        for (let k = 0; k < r; k++) m = Math.max(m, src[base + k * inner]!);
        let total = 0;
        for (let k = 0; k < r; k++) total += Math.exp(src[base + k * inner]! - m);
        if (log) {
          const lse = m + Math.log(total);
          for (let k = 0; k < r; k++) out[base + k * inner] = src[base + k * inner]! - lse;
        } else {
          for (let k = 0; k < r; k++) out[base + k * inner] = Math.exp(src[base + k * inner]! - m) / total;
        }
      }
    }
    return [out];
  };
}

export const reduceKernels: Record<string, KernelFn<DataArray, any>> = {
  sum: reduceKernel('sum'),
  max: reduceKernel('max'),
  min: reduceKernel('min'),
  argmax,
  softmax: softmaxKernel(false),
  log_softmax: softmaxKernel(true),
};

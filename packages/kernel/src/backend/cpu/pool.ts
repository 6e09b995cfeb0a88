import type { PoolAttrs } from '../../ops/pool.js';
import { arrayFor, type DataArray } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import type { KernelFn } from '../contract.js';

/**
 * Max pooling over [B, C, …] with 1 or 2 spatial axes (1-D as height 1): each output takes the largest
 * input in its window (padding never wins) and records that input's flat index within its plane. Ties
 * keep the first maximum and NaN wins, as in PyTorch.
 */
const maxPool: KernelFn<DataArray, PoolAttrs> = ({ inputs: [x], attrs, outputs: [o] }) => {
  const two = (v: readonly number[], fill: number): [number, number] =>
    v.length === 1 ? [fill, v[0]!] : [v[0]!, v[1]!];
  const shape = x!.shape;
  const spatial = shape.slice(2);
  const [H, W] = two(spatial, 1);
  const [OH, OW] = two(o!.shape.slice(2), 1);
  const [KH, KW] = two(attrs.kernelSize, 1);
  const [sh, sw] = two(attrs.stride, 1);
  const [dh, dw] = two(attrs.dilation, 1);
  const [ph, pw] = two(
    attrs.padding.map((p) => p[0]),
    0,
  );
  const planes = shape[0]! * shape[1]!;
  const size = sizeOf(o!.shape);
  const values = arrayFor(o!.dtype, size);
  const indices = new Int32Array(size);
  const src = x!.handle;
  let out = 0;
  for (let n = 0; n < planes; n++) {
    const base = n * H * W;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * sh - ph;
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * sw - pw;
        let best = Number.NEGATIVE_INFINITY;
        let at = -1;
        for (let kh = 0; kh < KH; kh++) {
          const ih = h0 + kh * dh;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < KW; kw++) {
            const iw = w0 + kw * dw;
            if (iw < 0 || iw >= W) continue;
            const v = src[base + ih * W + iw]!;
            if (v > best || Number.isNaN(v) || at < 0) {
              best = v;
              at = ih * W + iw;
            }
          }
        }
        values[out] = best;
        indices[out++] = Math.max(at, 0);
      }
    }
  }
  return [values, indices];
};

export const poolKernels: Record<string, KernelFn<DataArray, any>> = {
  max_pool1d: maxPool,
  max_pool2d: maxPool,
};

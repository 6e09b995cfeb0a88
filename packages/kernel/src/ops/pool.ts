import { DTypeError, ShapeError } from '../errors.js';
import { isFloat } from '../tensor/dtype.js';
import type { Tensor } from '../tensor/tensor.js';
import { type AxisPadding, type ConvAttrs, conv1d, conv2d, convAttrs, convOutputSize } from './conv.js';
import { sample } from './examples.js';
import { defineOp, type OpDef } from './op.js';

/**
 * Pooling over the last 1 or 2 axes of [B, C, …] inputs (or [C, …], or with more leading axes such as
 * time: every leading axis is pooled independently). Sum and average pooling
 * are convolutions of each channel with a kernel of ones, so they share the convolution ops (and their
 * gradients, and any backend's overrides of them). Max pooling is its own op with two outputs: the
 * maxima and, as int32, the flat index of each maximum within its input plane (PyTorch's
 * `return_indices`). Keeping the indices makes the backward pass a scatter-add of the gradient to the
 * argmaxes (the kernel's `scatter_add` op, whose own gradient is `gather`), at the cost of 4 bytes per
 * output, instead of a second scan of every window.
 */
export interface PoolAttrs {
  readonly kernelSize: readonly number[];
  readonly stride: readonly number[];
  readonly padding: readonly (readonly [number, number])[];
  readonly dilation: readonly number[];
}

function maxPoolOp(rank: number): OpDef<PoolAttrs> {
  const name = `max_pool${rank}d`;
  return defineOp<PoolAttrs>({
    name,
    infer: ([x], attrs) => {
      const shapes = [x!.shape];
      if (x!.shape.length !== rank + 2)
        throw new ShapeError(
          name,
          `input must be [batch, channels, ${rank === 1 ? 'length' : 'height, width'}]`,
          shapes,
        );
      if (!isFloat(x!.dtype) && x!.dtype !== 'spike')
        throw new DTypeError(name, `input must be float or spike, found ${x!.dtype}`);
      const ok = (v: readonly number[]) => v.length === rank && v.every((s) => Number.isInteger(s) && s > 0);
      if (!ok(attrs.kernelSize) || !ok(attrs.stride) || !ok(attrs.dilation)) {
        throw new ShapeError(
          name,
          `kernelSize, stride and dilation must be ${rank} positive integers`,
          shapes,
        );
      }
      const out = x!.shape.slice(2).map((n, i) => {
        const k = attrs.kernelSize[i]!;
        const [before, after] = attrs.padding[i] ?? [-1, -1];
        // PyTorch's limit: with at most half a kernel of padding every window holds an input element.
        if (!(before >= 0 && after >= 0 && 2 * before <= k && 2 * after <= k)) {
          throw new ShapeError(
            name,
            `padding on axis ${i} must be between 0 and half the kernel size ${k}`,
            shapes,
          );
        }
        const o = convOutputSize(n, k, attrs.stride[i]!, [before, after], attrs.dilation[i]!);
        if (o < 1)
          throw new ShapeError(name, `window larger than the padded input on spatial axis ${i}`, shapes);
        return o;
      });
      const shape = [x!.shape[0]!, x!.shape[1]!, ...out];
      return [
        { shape, dtype: x!.dtype },
        { shape, dtype: 'int32' },
      ];
    },
    grad: ({ inputs: [x], outputs: [, indices], grads: [g] }) => {
      const [b, c] = x!.shape as [number, number];
      const flatG = g!.reshape([b, c, -1]);
      const flatIdx = indices!.reshape([b, c, -1]);
      const gx = g!.runtime.run1('scatter_add', [flatG, flatIdx], {
        axis: 2,
        shape: [b, c, x!.size / (b * c || 1)],
      });
      return [gx.reshape(x!.shape)];
    },
    examples: (rt) => {
      const spatial = (n: number) => Array.from({ length: rank }, () => n);
      return [
        {
          inputs: [sample(rt, [1, 2, ...spatial(4)])],
          attrs: {
            kernelSize: spatial(2),
            stride: spatial(2),
            padding: spatial(0).map(() => [0, 0] as const),
            dilation: spatial(1),
          },
        },
        {
          label: 'padded, overlapping',
          inputs: [sample(rt, [2, 1, ...spatial(5)])],
          attrs: {
            kernelSize: spatial(3),
            stride: spatial(1),
            padding: spatial(1).map(() => [1, 1] as const),
            dilation: spatial(1),
          },
        },
      ];
    },
  });
}

export const poolOps: OpDef[] = [maxPoolOp(1), maxPoolOp(2)];

// ------------------------------------------------------------------ functional API

export interface PoolOptions {
  /** Step between windows: one number or one per spatial axis. Default: the kernel size. */
  readonly stride?: number | readonly number[];
  /** Padding: one number, or one entry per spatial axis (a number or [before, after]). Default 0. */
  readonly padding?: number | readonly AxisPadding[];
}

export interface AvgPoolOptions extends PoolOptions {
  /** Divide by the whole window, padding included (PyTorch's default), or only by the input elements in it. */
  readonly countIncludePad?: boolean;
}

export interface MaxPoolOptions extends PoolOptions {
  readonly dilation?: number | readonly number[];
}

function kernelOf(op: string, k: number | readonly number[], rank: number): number[] {
  const list = typeof k === 'number' ? new Array<number>(rank).fill(k) : [...k];
  if (list.length !== rank || !list.every((v) => Number.isInteger(v) && v > 0)) {
    throw new ShapeError(
      op,
      `kernel size must be ${rank} positive integer${rank > 1 ? 's' : ''}, found [${list}]`,
    );
  }
  return list;
}

function poolConvAttrs(op: string, kernel: number[], options: PoolOptions): ConvAttrs {
  return convAttrs(op, kernel, { stride: options.stride ?? kernel, padding: options.padding ?? 0 });
}

/** Every leading axis (batch, channels, time…) merged: [N, 1, …spatial], each plane its own image. */
function planes(op: string, x: Tensor, rank: number): Tensor {
  if (x.rank < rank + 1) {
    throw new ShapeError(
      op,
      `input must be [batch, channels, …] or [channels, …] with ${rank} spatial axes`,
      [x.shape],
    );
  }
  return x.reshape([-1, 1, ...x.shape.slice(-rank)]);
}

/** Restores the leading axes of `x` on a per-plane result [N, 1, …out]. */
function unplanes(x: Tensor, rank: number, y: Tensor): Tensor {
  return y.reshape([...x.shape.slice(0, -rank), ...y.shape.slice(2)]);
}

function sumPool(
  op: string,
  rank: number,
  x: Tensor,
  kernelSize: number | readonly number[],
  options: PoolOptions,
): Tensor {
  const kernel = kernelOf(op, kernelSize, rank);
  if (!isFloat(x.dtype) && x.dtype !== 'spike')
    throw new DTypeError(op, `input must be float or spike, found ${x.dtype}`);
  const attrs = poolConvAttrs(op, kernel, options);
  const ones = x.runtime.ones([1, 1, ...kernel], {
    dtype: x.dtype === 'float64' ? 'float64' : 'float32',
    backend: x.backend,
  });
  const conv = rank === 1 ? conv1d : conv2d;
  return unplanes(x, rank, conv(planes(op, x, rank), ones, null, attrs));
}

function avgPool(
  op: string,
  rank: number,
  x: Tensor,
  kernelSize: number | readonly number[],
  options: AvgPoolOptions,
): Tensor {
  const kernel = kernelOf(op, kernelSize, rank);
  const sums = sumPool(op, rank, x, kernel, options);
  if (options.countIncludePad ?? true) return sums.div(kernel.reduce((a, b) => a * b, 1));
  // The number of input elements in each window: the same sum pooling over a plane of ones.
  const rt = x.runtime;
  const counts = rt.noGrad(() =>
    sumPool(
      op,
      rank,
      rt.ones([1, 1, ...x.shape.slice(-rank)], { dtype: sums.dtype, backend: x.backend }),
      kernel,
      options,
    ),
  );
  return sums.div(counts.reshape(counts.shape.slice(2)));
}

function maxPool(
  op: string,
  rank: number,
  x: Tensor,
  kernelSize: number | readonly number[],
  options: MaxPoolOptions,
) {
  const kernel = kernelOf(op, kernelSize, rank);
  const { stride, padding, dilation } = convAttrs(op, kernel, {
    stride: options.stride ?? kernel,
    padding: options.padding ?? 0,
    ...(options.dilation === undefined ? {} : { dilation: options.dilation }),
  });
  const attrs: PoolAttrs = { kernelSize: kernel, stride, padding, dilation };
  const [values, indices] = x.runtime.run(`max_pool${rank}d`, [planes(op, x, rank)], attrs) as [
    Tensor,
    Tensor,
  ];
  return { values: unplanes(x, rank, values), indices: unplanes(x, rank, indices) };
}

/** Sum over each window (NIR's SumPool): input [B, C, L], kernel K → [B, C, Lout]. */
export function sumPool1d(
  x: Tensor,
  kernelSize: number | readonly number[],
  options: PoolOptions = {},
): Tensor {
  return sumPool('sum_pool1d', 1, x, kernelSize, options);
}

export function sumPool2d(
  x: Tensor,
  kernelSize: number | readonly number[],
  options: PoolOptions = {},
): Tensor {
  return sumPool('sum_pool2d', 2, x, kernelSize, options);
}

/** Mean over each window, as PyTorch's `avg_pool1d` (ceil_mode off). */
export function avgPool1d(
  x: Tensor,
  kernelSize: number | readonly number[],
  options: AvgPoolOptions = {},
): Tensor {
  return avgPool('avg_pool1d', 1, x, kernelSize, options);
}

export function avgPool2d(
  x: Tensor,
  kernelSize: number | readonly number[],
  options: AvgPoolOptions = {},
): Tensor {
  return avgPool('avg_pool2d', 2, x, kernelSize, options);
}

/** Maximum over each window; padding counts as −∞. The gradient goes to the (first) maximum. */
export function maxPool1d(
  x: Tensor,
  kernelSize: number | readonly number[],
  options: MaxPoolOptions = {},
): Tensor {
  return maxPool('max_pool1d', 1, x, kernelSize, options).values;
}

export function maxPool2d(
  x: Tensor,
  kernelSize: number | readonly number[],
  options: MaxPoolOptions = {},
): Tensor {
  return maxPool('max_pool2d', 2, x, kernelSize, options).values;
}

/** Max pooling that also returns each maximum's flat index within its input plane (int32). */
export function maxPool1dWithIndices(
  x: Tensor,
  kernelSize: number | readonly number[],
  options: MaxPoolOptions = {},
) {
  return maxPool('max_pool1d', 1, x, kernelSize, options);
}

export function maxPool2dWithIndices(
  x: Tensor,
  kernelSize: number | readonly number[],
  options: MaxPoolOptions = {},
) {
  return maxPool('max_pool2d', 2, x, kernelSize, options);
}

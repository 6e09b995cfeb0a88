import { arithmeticResult, arrayFor, type DataArray } from '../../tensor/dtype.js';
import type { KernelFn } from '../contract.js';
import { matmul } from './matmul.js';

/**
 * `linear`: the matmul kernel on x flattened to rows, then the bias added into the product's own array
 * (a second array only when the bias widens the dtype), so the values are those of matmul then add.
 */
export const linear: KernelFn<DataArray> = (call) => {
  const [x, w, b] = call.inputs as [
    (typeof call.inputs)[0],
    (typeof call.inputs)[0],
    (typeof call.inputs)[0]?,
  ];
  const out = w.shape[0]!;
  const inF = w.shape[1]!;
  const rows = x.handle.length / inF;
  const dtype = arithmeticResult(x.dtype, w.dtype);
  const [y] = matmul({
    ...call,
    op: 'matmul',
    inputs: [{ ...x, shape: [rows, inF] }, w],
    attrs: { transA: false, transB: true },
    outputs: [{ shape: [rows, out], dtype }],
  });
  if (!b) return [y!];
  const result = call.outputs[0]!.dtype === dtype ? y! : arrayFor(call.outputs[0]!.dtype, y!.length);
  const bias = b.handle;
  for (let r = 0; r < rows; r++) {
    const o = r * out;
    for (let j = 0; j < out; j++) result[o + j] = y![o + j]! + bias[j]!;
  }
  return [result];
};

import type { RandomKey } from '../../ops/creation.js';
import { normalAt, uniformAt } from '../../random/counter.js';
import { arrayFor, type DataArray, type DType } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import type { KernelFn } from '../contract.js';
import { broadcastIndex } from './broadcast.js';

const fill: KernelFn<DataArray, { value: number; dtype: DType }> = ({ attrs, outputs: [o] }) => {
  const out = arrayFor(attrs.dtype, sizeOf(o!.shape));
  if (attrs.value !== 0) out.fill(attrs.value);
  return [out];
};

const randomUniform: KernelFn<DataArray, { low: number; high: number; key: RandomKey }> = ({
  attrs,
  outputs: [o],
}) => {
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  const [k0, k1] = attrs.key;
  const span = attrs.high - attrs.low;
  for (let i = 0; i < out.length; i++) out[i] = attrs.low + span * uniformAt(k0, k1, i);
  return [out];
};

const randomNormal: KernelFn<DataArray, { mean: number; std: number; key: RandomKey }> = ({
  attrs,
  outputs: [o],
}) => {
  const out = arrayFor(o!.dtype, sizeOf(o!.shape));
  const [k0, k1] = attrs.key;
  for (let i = 0; i < out.length; i++) out[i] = attrs.mean + attrs.std * normalAt(k0, k1, i);
  return [out];
};

const bernoulli: KernelFn<DataArray, { key: RandomKey }> = ({ inputs: [p], attrs, outputs: [o] }) => {
  const n = sizeOf(o!.shape);
  const out = new Uint8Array(n);
  const [k0, k1] = attrs.key;
  const probs = p!.handle;
  if (probs.length === 1) {
    const q = probs[0]!;
    for (let i = 0; i < n; i++) out[i] = uniformAt(k0, k1, i) < q ? 1 : 0;
  } else if (probs.length === n) {
    // Same shape (rate coding of a batch): no broadcast index needed.
    for (let i = 0; i < n; i++) out[i] = uniformAt(k0, k1, i) < probs[i]! ? 1 : 0;
  } else {
    const index = broadcastIndex(o!.shape, p!.shape);
    for (let i = 0; i < n; i++) out[i] = uniformAt(k0, k1, i) < probs[index[i]!]! ? 1 : 0;
  }
  return [out];
};

export const creationKernels: Record<string, KernelFn<DataArray, any>> = {
  fill,
  random_uniform: randomUniform,
  random_normal: randomNormal,
  bernoulli,
};

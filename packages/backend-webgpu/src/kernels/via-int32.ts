import type { TensorMeta } from '@neurite/kernel';
import type { GpuHandle } from '../memory/handle.js';
import { mapKernel } from './map.js';
import { backendOf, dt, type GpuKernel } from './types.js';

/**
 * Runs a kernel whose invocations write single elements (scatters, index kernels) on spike data: four
 * spikes share a 32-bit word, so such writes would race. The spike operands are widened to int32, the
 * kernel runs on those, and the result is narrowed back to spikes (byte for byte, as a copy would).
 */
export function viaInt32<A>(kernel: GpuKernel<A>, dataInputs?: readonly number[]): GpuKernel<A> {
  return (call) => {
    const spikes = call.outputs.some((o) => o.dtype === 'spike');
    if (!spikes) return kernel(call);
    const gpu = backendOf(call);
    const temps: GpuHandle[] = [];
    const inputs = call.inputs.map((x, k) => {
      if (x.dtype !== 'spike' || (dataInputs && !dataInputs.includes(k))) return x;
      const wide = mapKernel(gpu, {
        domain: x.shape,
        inputs: [{ handle: x.handle, dtype: 'spike', as: 'u32' }],
        out: 'int32',
        result: 'u32',
        expr: 'v0',
      });
      temps.push(wide);
      return { ...x, dtype: 'int32' as const, handle: wide };
    });
    const outputs: TensorMeta[] = call.outputs.map((o) =>
      o.dtype === 'spike' ? { ...o, dtype: 'int32' } : o,
    );
    const results = kernel({ ...call, inputs, outputs });
    const narrowed = results.map((h, k) => {
      const o = call.outputs[k]!;
      if (o.dtype !== 'spike') return h;
      temps.push(h);
      return mapKernel(gpu, {
        domain: o.shape,
        inputs: [{ handle: h, dtype: 'int32', as: 'u32' }],
        out: dt(o),
        result: 'u32',
        expr: 'v0',
        spikeStore: 'byte',
      });
    });
    for (const t of temps) gpu.release(t);
    return narrowed;
  };
}

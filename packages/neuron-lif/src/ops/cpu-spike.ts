import type { DataArray, KernelFn } from '@neurite/kernel';

/** Forward of `surrogate_spike`: z > 0 as spikes. */
export const surrogateSpikeCpu: KernelFn<DataArray> = ({ inputs: [z] }) => {
  const src = z!.handle;
  const out = new Uint8Array(src.length);
  for (let k = 0; k < src.length; k++) if (src[k]! > 0) out[k] = 1;
  return [out];
};

import { arrayFor, type DataArray, type KernelFn } from '@neurite/kernel';
import { IN, type LifScanAttrs } from './attrs.js';
import { paramView, roundFor } from './cpu-params.js';

/**
 * Reference kernel of `lif_scan` (OPS.md): one pass over time, every neuron's state in a flat scratch
 * array; each multiply and add rounded to the dtype in the order the contract fixes, so the result is
 * PyTorch's float32 arithmetic bit for bit. Outputs are allocated once per call; the inner loop has no
 * calls and no allocation.
 */
export const lifScanCpu: KernelFn<DataArray, LifScanAttrs> = ({ inputs, attrs, outputs }) => {
  const x = inputs[IN.x]!;
  const T = x.shape[0]!;
  const B = x.shape[1]!;
  const n = x.handle.length / T;
  const P = n / B;
  const dtype = outputs[1]!.dtype;
  const fr = roundFor(dtype);
  // Outputs that do not apply come back as [0], in the dtype infer announces like every float output.
  const absent = () => arrayFor(dtype, 0);
  const { spiking, synapse, adaptive, reset, vReset } = attrs;
  const subtract = reset === 'subtract';
  const zero = reset === 'zero';
  const xs = x.handle;

  const beta = paramView(inputs[IN.beta]!.handle)!;
  const alpha = synapse ? paramView(inputs[IN.alpha]!.handle)! : beta;
  const thr = spiking ? paramView(inputs[IN.threshold]!.handle)! : beta;
  const rho = adaptive ? paramView(inputs[IN.rho]!.handle)! : beta;
  const kappa = adaptive ? paramView(inputs[IN.kappa]!.handle)! : beta;

  const sOut = new Uint8Array(spiking ? T * n : 0);
  const hOut = arrayFor(dtype, T * n);
  const iOut = synapse ? arrayFor(dtype, T * n) : absent();
  const aOut = adaptive ? arrayFor(dtype, T * n) : absent();

  // The carried state, in the dtype (so every store rounds as the contract requires).
  const v = arrayFor(dtype, n);
  const cur = arrayFor(dtype, synapse ? n : 0);
  const ad = arrayFor(dtype, adaptive ? n : 0);
  if (inputs[IN.v0]!.handle.length) v.set(inputs[IN.v0]!.handle);
  if (synapse && inputs[IN.i0]!.handle.length) cur.set(inputs[IN.i0]!.handle);
  if (adaptive && inputs[IN.a0]!.handle.length) ad.set(inputs[IN.a0]!.handle);

  const bd = beta.data;
  const bs = beta.stride;
  const ald = alpha.data;
  const als = alpha.stride;
  const td = thr.data;
  const ts = thr.stride;
  const rd = rho.data;
  const rs = rho.stride;
  const kd = kappa.data;
  const ks = kappa.stride;
  for (let t = 0; t < T; t++) {
    const o = t * n;
    for (let b = 0; b < B; b++) {
      const jb = b * P;
      for (let f = 0; f < P; f++) {
        const j = jb + f;
        const k = o + j;
        let input = xs[k]!;
        if (synapse) {
          input = fr(fr(ald[als * f]! * cur[j]!) + input);
          cur[j] = input;
          iOut[k] = input;
        }
        const h = fr(fr(bd[bs * f]! * v[j]!) + input);
        hOut[k] = h;
        if (!spiking) {
          v[j] = h;
          continue;
        }
        const theta = adaptive ? fr(td[ts * f]! + fr(kd[ks * f]! * ad[j]!)) : td[ts * f]!;
        if (h > theta) {
          sOut[k] = 1;
          v[j] = subtract ? fr(h - theta) : zero ? vReset : h;
          if (adaptive) ad[j] = aOut[k] = fr(fr(rd[rs * f]! * ad[j]!) + 1);
        } else {
          v[j] = h;
          if (adaptive) ad[j] = aOut[k] = fr(rd[rs * f]! * ad[j]!);
        }
      }
    }
  }
  return [sOut, hOut, iOut, aOut, v, synapse ? cur : absent(), adaptive ? ad : absent()];
};

import { type DataArray, type KernelInput, sizeOf } from '@neurite/kernel';
import { Frame } from './frame.js';
import type { WasmKernel } from './kernel.js';

/** The attrs of @neurite/neuron-lif's `lif_scan` and `lif_scan_grad` (its OPS.md is the contract). */
interface LifScanAttrs {
  readonly spiking: boolean;
  readonly synapse: boolean;
  readonly adaptive: boolean;
  readonly reset: 'subtract' | 'zero' | 'none';
  readonly vReset: number;
  readonly detachReset: boolean;
}

interface KernelSurrogate {
  readonly name: string;
  readonly [param: string]: number | string;
}

interface LifScanGradAttrs extends LifScanAttrs {
  readonly surrogate: KernelSurrogate;
  readonly needs: readonly boolean[];
}

const RESET_CODE = { subtract: 0, zero: 1, none: 2 } as const;
const SURROGATE_CODE: Record<string, number> = {
  atan: 0,
  'fast-sigmoid': 1,
  sigmoid: 2,
  triangle: 3,
  'straight-through': 4,
  pdsg: 5,
  given: 6,
};

function flagsOf(a: LifScanAttrs): number {
  return (
    (a.spiking ? 1 : 0) |
    (a.synapse ? 2 : 0) |
    (a.adaptive ? 4 : 0) |
    (RESET_CODE[a.reset] << 3) |
    (a.detachReset ? 32 : 0)
  );
}

/** Bit k set when parameter k of (beta, alpha, threshold, rho, kappa) has one value per neuron. */
function perNeuronBits(params: readonly KernelInput<DataArray>[]): number {
  let bits = 0;
  params.forEach((p, k) => {
    if (p.handle.length > 1) bits |= 1 << k;
  });
  return bits;
}

const allFloat32 = (inputs: readonly KernelInput<DataArray>[]) => inputs.every((i) => i.dtype !== 'float64');

/** `lif_scan` forward for float32 (float64 calls, as gradcheck makes, run on cpu). */
export const lifScan: WasmKernel<LifScanAttrs> = ({ inputs, attrs, outputs }, engine) => {
  if (!allFloat32(inputs)) return null;
  const x = inputs[0]!;
  const T = x.shape[0]!;
  const n = sizeOf(x.shape) / T;
  const P = n / x.shape[1]!;
  const frame = new Frame(engine.arena);
  const desc = frame.region(22);
  const ptrs = inputs.map((input) => frame.input(input.handle));
  const sizes = outputs.map((o) => sizeOf(o.shape));
  const outs = sizes.map((size, k) => frame.region(size, k === 0 ? 'u8' : 'f32'));
  frame.commit();
  const words = engine.arena.i32(desc, 22);
  for (let k = 0; k < 9; k++) words[k] = ptrs[k]!;
  words[9] = perNeuronBits(inputs.slice(4, 9));
  words[10] = T;
  words[11] = n;
  words[12] = P;
  words[13] = flagsOf(attrs);
  engine.arena.f32(desc + 14 * 4, 1)[0] = attrs.vReset;
  for (let k = 0; k < 7; k++) words[15 + k] = outs[k]!;
  engine.run('lifScanForward', [desc], T * n * 4);
  return outputs.map((_, k) => (k === 0 ? frame.u8(outs[0]!, sizes[0]!) : frame.f32(outs[k]!, sizes[k]!)));
};

/** `lif_scan_grad` for float32: the BPTT recursion, carries and parameter sums in float64. */
export const lifScanGrad: WasmKernel<LifScanGradAttrs> = ({ inputs, attrs, outputs }, engine) => {
  if (!allFloat32(inputs) || outputs.some((o) => o.dtype === 'float64')) return null;
  const kind = SURROGATE_CODE[attrs.surrogate.name];
  if (kind === undefined) return null;
  const h = inputs[8]!;
  const T = h.shape[0]!;
  const n = sizeOf(h.shape) / T;
  const P = n / h.shape[1]!;
  const frame = new Frame(engine.arena);
  const desc = frame.region(48);
  const ptrs = inputs.map((input, k) => frame.input(input.handle, k === 7 ? 'u8' : 'f32'));
  const sizes = outputs.map((o) => sizeOf(o.shape));
  const outs = outputs.map((_, k) => frame.region(sizes[k]!));
  const scratch = frame.region(16 * n);
  frame.commit();
  const words = engine.arena.i32(desc, 48);
  for (let k = 0; k < 20; k++) words[k] = ptrs[k]!;
  words[20] = perNeuronBits(inputs.slice(14, 19));
  words[21] = T;
  words[22] = n;
  words[23] = P;
  words[24] = flagsOf(attrs);
  words[25] = kind;
  words[26] = attrs.surrogate.name === 'pdsg' && inputs[19]!.handle.length !== T ? 1 : 0;
  words[27] = attrs.needs.reduce((bits, need, k) => (need ? bits | (1 << k) : bits), 0);
  for (let k = 0; k < 9; k++) words[28 + k] = outs[k]!;
  words[37] = scratch;
  const doubles = new Float64Array(engine.arena.memory.buffer, desc + 160, 3);
  doubles[0] = attrs.vReset;
  doubles[1] = surrogateParam(attrs.surrogate, 0);
  doubles[2] = surrogateParam(attrs.surrogate, 1);
  engine.run('lifScanBackward', [desc], T * n * 8);
  return outputs.map((_, k) => frame.f32(outs[k]!, sizes[k]!));
};

/** The numeric parameters of each canonical surrogate, in the order the kernel reads them. */
function surrogateParam(s: KernelSurrogate, which: 0 | 1): number {
  const names: Record<string, readonly string[]> = {
    atan: ['alpha'],
    'fast-sigmoid': ['slope'],
    sigmoid: ['slope'],
    triangle: ['width', 'scale'],
    'straight-through': ['scale'],
  };
  const name = names[s.name]?.[which];
  const value = name === undefined ? 0 : s[name];
  return typeof value === 'number' ? value : 0;
}

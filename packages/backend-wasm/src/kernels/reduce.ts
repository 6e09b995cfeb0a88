import { sizeOf } from '@neurite/kernel';
import { Frame } from './frame.js';
import type { WasmKernel } from './kernel.js';

interface ReduceAttrs {
  readonly axes: readonly number[];
  readonly keepDims: boolean;
}

/**
 * `sum` over one run of adjacent axes (a bias gradient's axis 0, a last-axis sum, a full sum) of float32
 * or spike data, accumulated in float64 like the cpu kernel. Several separate runs go to cpu.
 */
export const sum: WasmKernel<ReduceAttrs> = ({ inputs: [x], attrs: { axes }, outputs: [o] }, engine) => {
  if (o!.dtype !== 'float32' || (x!.dtype !== 'float32' && x!.dtype !== 'spike')) return null;
  for (let k = 1; k < axes.length; k++) if (axes[k] !== axes[k - 1]! + 1) return null;
  const shape = x!.shape;
  const first = axes[0]!;
  const last = axes.at(-1)!;
  let outer = 1;
  let r = 1;
  let inner = 1;
  shape.forEach((d, i) => {
    if (i < first) outer *= d;
    else if (i <= last) r *= d;
    else inner *= d;
  });
  const n = sizeOf(o!.shape);
  if (n === 0) return [new Float32Array(0)];
  const frame = new Frame(engine.arena);
  const xPtr = frame.input(x!.handle);
  const outPtr = frame.region(n);
  const acc = frame.region(2 * Math.max(inner, 1));
  frame.commit();
  if (r === 0 || xPtr === 0) engine.arena.f32(outPtr, n).fill(0);
  else engine.run('sumMiddle', [xPtr, outPtr, outer, r, inner, acc], outer * r * inner);
  return [frame.f32(outPtr, n)];
};

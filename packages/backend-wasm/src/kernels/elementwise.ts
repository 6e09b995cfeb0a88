import { type Shape, sizeOf } from '@neurite/kernel';
import { Frame } from './frame.js';
import type { WasmKernel } from './kernel.js';

/** The op codes of assembly/elementwise.ts. */
const OPS = { add: 0, sub: 1, mul: 2, div: 3, maximum: 4, minimum: 5 } as const;
export type BinaryOpName = keyof typeof OPS;

interface Axis {
  size: number;
  /** Each operand's stride along the axis in the merged layout (0 where it broadcasts). */
  sa: number;
  sb: number;
}

/**
 * Broadcasting reduced to as few axes as possible: size-1 output axes dropped, neighbours with the same
 * broadcast pattern merged (as the cpu kernels plan it). The kernel runs the last two axes; any axes
 * before them are walked here.
 */
function mergeAxes(out: Shape, a: Shape, b: Shape): Axis[] {
  const rank = out.length;
  const dims: { size: number; ba: boolean; bb: boolean }[] = [];
  for (let i = 0; i < rank; i++) {
    const size = out[i]!;
    if (size === 1) continue;
    const ba = (a[a.length - rank + i] ?? 1) === 1;
    const bb = (b[b.length - rank + i] ?? 1) === 1;
    const last = dims.at(-1);
    if (last && last.ba === ba && last.bb === bb) last.size *= size;
    else dims.push({ size, ba, bb });
  }
  const axes: Axis[] = new Array(dims.length);
  let sa = 1;
  let sb = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    const d = dims[i]!;
    axes[i] = { size: d.size, sa: d.ba ? 0 : sa, sb: d.bb ? 0 : sb };
    if (!d.ba) sa *= d.size;
    if (!d.bb) sb *= d.size;
  }
  return axes;
}

const floatLike = (dtype: string) => dtype === 'float32' || dtype === 'spike';

/** add, sub, mul, div, maximum, minimum on float32 (spike operands are exact as float32). */
export function binaryKernel(name: BinaryOpName): WasmKernel {
  const code = OPS[name];
  return ({ inputs: [a, b], outputs: [o] }, engine) => {
    if (o!.dtype !== 'float32' || !floatLike(a!.dtype) || !floatLike(b!.dtype)) return null;
    const n = sizeOf(o!.shape);
    if (n === 0) return [new Float32Array(0)];
    const frame = new Frame(engine.arena);
    const aPtr = frame.input(a!.handle);
    const bPtr = frame.input(b!.handle);
    const outPtr = frame.region(n);
    frame.commit();
    const axes = mergeAxes(o!.shape, a!.shape, b!.shape);
    const inner = axes.at(-1) ?? { size: 1, sa: 1, sb: 1 };
    const outer = axes.length >= 2 ? axes.at(-2)! : { size: 1, sa: 0, sb: 0 };
    const walked = axes.slice(0, -2);
    const block = inner.size * outer.size;
    // Odometer over the walked axes; each step is one (outer, inner) block of the kernel.
    const counter = new Array<number>(walked.length).fill(0);
    let offA = 0;
    let offB = 0;
    for (let done = 0; done < n; done += block) {
      engine.exports.binaryOp(
        code,
        aPtr + 4 * offA,
        bPtr + 4 * offB,
        outPtr + 4 * done,
        outer.size,
        inner.size,
        outer.sa,
        outer.sb,
        inner.sa,
        inner.sb,
      );
      for (let axis = walked.length - 1; axis >= 0; axis--) {
        const w = walked[axis]!;
        offA += w.sa;
        offB += w.sb;
        if (++counter[axis]! < w.size) break;
        offA -= w.sa * w.size;
        offB -= w.sb * w.size;
        counter[axis] = 0;
      }
    }
    return [frame.f32(outPtr, n)];
  };
}

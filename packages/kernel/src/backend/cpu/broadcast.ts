import type { Shape } from '../../tensor/shape.js';

/**
 * How two operands broadcast against an output: the axes are padded, size-1 output axes dropped, and
 * runs of axes with the same broadcast pattern merged, so the innermost loop is as long as possible.
 * `outer` lists the remaining outer axes with each operand's stride (0 where it broadcasts).
 */
export interface BroadcastPlan {
  readonly inner: number;
  /** 1 if operand a advances along the inner axis, 0 if it is broadcast there. */
  readonly innerA: 0 | 1;
  readonly innerB: 0 | 1;
  readonly outerSizes: number[];
  readonly outerA: number[];
  readonly outerB: number[];
}

export function planBroadcast(out: Shape, a: Shape, b: Shape): BroadcastPlan {
  const rank = out.length;
  const dims: { size: number; ba: boolean; bb: boolean }[] = [];
  for (let i = 0; i < rank; i++) {
    const size = out[i]!;
    if (size === 1) continue;
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    const ba = da === 1;
    const bb = db === 1;
    const last = dims[dims.length - 1];
    if (last && last.ba === ba && last.bb === bb) last.size *= size;
    else dims.push({ size, ba, bb });
  }
  if (dims.length === 0) return { inner: 1, innerA: 1, innerB: 1, outerSizes: [], outerA: [], outerB: [] };
  // Strides in the merged layout: an operand's extent on an axis is 1 where it broadcasts.
  const strideA = new Array<number>(dims.length);
  const strideB = new Array<number>(dims.length);
  let sa = 1;
  let sb = 1;
  for (let i = dims.length - 1; i >= 0; i--) {
    const d = dims[i]!;
    strideA[i] = d.ba ? 0 : sa;
    strideB[i] = d.bb ? 0 : sb;
    if (!d.ba) sa *= d.size;
    if (!d.bb) sb *= d.size;
  }
  const innerDim = dims[dims.length - 1]!;
  return {
    inner: innerDim.size,
    innerA: innerDim.ba ? 0 : 1,
    innerB: innerDim.bb ? 0 : 1,
    outerSizes: dims.slice(0, -1).map((d) => d.size),
    outerA: strideA.slice(0, -1),
    outerB: strideB.slice(0, -1),
  };
}

/**
 * Calls `body(aOffset, bOffset, outOffset)` once per inner run of the plan, walking the outer axes
 * like an odometer (no per-element index arithmetic).
 */
export function forEachRun(plan: BroadcastPlan, body: (ao: number, bo: number, oo: number) => void): void {
  const { outerSizes, outerA, outerB, inner } = plan;
  const rank = outerSizes.length;
  if (rank === 0) {
    body(0, 0, 0);
    return;
  }
  const counter = new Array<number>(rank).fill(0);
  let ao = 0;
  let bo = 0;
  let oo = 0;
  for (;;) {
    body(ao, bo, oo);
    oo += inner;
    let axis = rank - 1;
    for (; axis >= 0; axis--) {
      ao += outerA[axis]!;
      bo += outerB[axis]!;
      if (++counter[axis]! < outerSizes[axis]!) break;
      ao -= outerA[axis]! * outerSizes[axis]!;
      bo -= outerB[axis]! * outerSizes[axis]!;
      counter[axis] = 0;
    }
    if (axis < 0) return;
  }
}

/** Index of each output element in an operand broadcast against the output (for rarely used ops). */
export function broadcastIndex(out: Shape, operand: Shape): Int32Array {
  const plan = planBroadcast(out, operand, out);
  const size = out.reduce((p, d) => p * d, 1);
  const index = new Int32Array(size);
  forEachRun(plan, (ao, _bo, oo) => {
    for (let i = 0; i < plan.inner; i++) index[oo + i] = ao + i * plan.innerA;
  });
  return index;
}

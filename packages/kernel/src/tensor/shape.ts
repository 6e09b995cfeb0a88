import { ShapeError } from '../errors.js';

export type Shape = readonly number[];

export function sizeOf(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** NumPy broadcasting: align trailing axes; each pair must be equal or contain a 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new ShapeError(op, `cannot broadcast axis ${i - rank} (${da} vs ${db})`, [a, b]);
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Resolves a possibly negative axis against a rank, with an error naming the op. */
export function normalizeAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(a) || a < 0 || a >= rank) {
    throw new ShapeError(op, `axis ${axis} is out of range for rank ${rank}`);
  }
  return a;
}

/** Normalised, sorted, de-duplicated axes; `undefined` means every axis. */
export function normalizeAxes(
  op: string,
  axes: number | readonly number[] | undefined,
  rank: number,
): number[] {
  if (axes === undefined) return Array.from({ length: rank }, (_, i) => i);
  const list = typeof axes === 'number' ? [axes] : axes;
  const out = [...new Set(list.map((a) => normalizeAxis(op, a, rank)))];
  return out.sort((x, y) => x - y);
}

export function assertValidShape(op: string, shape: Shape): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw new ShapeError(op, `invalid dimension ${d}`, [shape]);
  }
}

/**
 * Resolves a reshape target with at most one -1 against a size, naming the op and both shapes on error.
 */
export function resolveReshape(op: string, from: Shape, to: readonly number[]): number[] {
  const size = sizeOf(from);
  let inferred = -1;
  let known = 1;
  const out = [...to];
  for (let i = 0; i < out.length; i++) {
    const d = out[i]!;
    if (d === -1) {
      if (inferred >= 0) throw new ShapeError(op, 'more than one -1 in the target shape', [from, to]);
      inferred = i;
    } else if (!Number.isInteger(d) || d < 0) {
      throw new ShapeError(op, `invalid target dimension ${d}`, [from, to]);
    } else known *= d;
  }
  if (inferred >= 0) {
    if (known === 0 || size % known !== 0) throw new ShapeError(op, 'cannot infer -1', [from, to]);
    out[inferred] = size / known;
  }
  if (sizeOf(out) !== size) throw new ShapeError(op, `cannot reshape ${size} elements`, [from, to]);
  return out;
}

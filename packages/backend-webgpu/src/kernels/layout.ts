import { type Shape, stridesOf } from '@neurite/kernel';

/** An operand's element index at domain coordinates c: offset + Σ c[d]·strides[d]. */
export interface Layout {
  readonly strides: readonly number[];
  readonly offset: number;
}

/** Strides of an operand broadcast against a domain (NumPy rules: 0 along axes it lacks or has as 1). */
export function broadcastStrides(operand: Shape, domain: Shape): number[] {
  const own = stridesOf(operand);
  const lead = domain.length - operand.length;
  return domain.map((_, d) => (d < lead || operand[d - lead] === 1 ? 0 : own[d - lead]!));
}

/**
 * Merges domain axes that every layout walks as one (stride[d] = stride[d+1]·dim[d+1]) and drops axes
 * of size 1, so kernels do as little index arithmetic as the layouts allow: an elementwise op on equal
 * shapes ends with one axis of stride 1, a broadcast row add with two.
 */
export function collapse(
  domain: Shape,
  layouts: readonly (readonly number[])[],
): { dims: number[]; strides: number[][] } {
  const dims: number[] = [];
  const strides: number[][] = layouts.map(() => []);
  for (let d = 0; d < domain.length; d++) {
    const size = domain[d]!;
    if (size === 1) continue;
    const last = dims.length - 1;
    const mergeable = last >= 0 && layouts.every((l, k) => strides[k]![last] === l[d]! * size);
    if (mergeable) {
      dims[last] = dims[last]! * size;
      layouts.forEach((l, k) => {
        strides[k]![last] = l[d]!;
      });
    } else {
      dims.push(size);
      layouts.forEach((l, k) => {
        strides[k]!.push(l[d]!);
      });
    }
  }
  return { dims, strides };
}

/** Whether a collapsed layout is the domain's own contiguous one. */
export function isContiguous(dims: readonly number[], strides: readonly number[], offset: number): boolean {
  if (offset !== 0) return false;
  let s = 1;
  for (let d = dims.length - 1; d >= 0; d--) {
    if (strides[d] !== s) return false;
    s *= dims[d]!;
  }
  return true;
}

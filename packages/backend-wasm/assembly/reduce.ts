import { partStart } from './parts';

/**
 * Sum over the middle axis of an (outer, r, inner) float32 layout, accumulated in float64 in the same
 * order as the reference kernel (k ascending for every output), so the sums are identical to it.
 * `acc` is scratch for `inner` doubles.
 */
export function sumMiddle(
  x: usize,
  out: usize,
  outer: i32,
  r: i32,
  inner: i32,
  acc: usize,
  part: i32,
  parts: i32,
): void {
  // Parts split the inner positions; each sums its own columns over every row, in the same order.
  const c0 = partStart(inner, part, parts);
  const c1 = partStart(inner, part + 1, parts);
  const pairs = c0 + ((c1 - c0) & ~1);
  const width = (<usize>(c1 - c0)) << 3;
  for (let o = 0; o < outer; o++) {
    memory.fill(acc + ((<usize>c0) << 3), 0, width);
    for (let k = 0; k < r; k++) {
      const row = x + ((<usize>(o * r + k) * <usize>inner) << 2);
      let i = c0;
      for (; i < pairs; i += 2) {
        const at = acc + ((<usize>i) << 3);
        v128.store(
          at,
          f64x2.add(v128.load(at), f64x2.promote_low_f32x4(v128.load64_zero(row + ((<usize>i) << 2)))),
        );
      }
      for (; i < c1; i++) {
        const at = acc + ((<usize>i) << 3);
        store<f64>(at, load<f64>(at) + <f64>load<f32>(row + ((<usize>i) << 2)));
      }
    }
    const dst = out + ((<usize>o * <usize>inner) << 2);
    for (let i = c0; i < c1; i++)
      store<f32>(dst + ((<usize>i) << 2), <f32>load<f64>(acc + ((<usize>i) << 3)));
  }
}

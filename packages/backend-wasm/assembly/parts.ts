/**
 * The share of `total` units (rows, panels) that part `part` of `parts` computes: contiguous ranges
 * whose sizes differ by at most one, so every thread gets the same work up to one unit.
 */
export function partStart(total: i32, part: i32, parts: i32): i32 {
  return <i32>((<i64>total * <i64>part) / <i64>parts);
}

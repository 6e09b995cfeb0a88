import { partStart } from './parts';

/**
 * Event-driven products with a spike (one byte, 0/1) operand: only active entries contribute, so the
 * cost follows the number of spikes, not the size of the matrix. Every form (S·B, Sᵀ·G, and A·S as the
 * transposed Sᵀ·Aᵀ) is one gather: each output row is the sum of the rows its list of active indices
 * selects, the lists coming from the spike index (spike-index.ts) by row or by column.
 */

/**
 * dst[0..N) = (accumulate ? dst : 0) + Σ_q rows[list[q]] (rows of N floats, summed in list order):
 * columns in strips of 32 held in eight accumulators across the whole list, then strips of 4, then
 * single columns.
 */
function gatherRows(rows: usize, list: usize, count: i32, N: i32, dst: usize, accumulate: bool): void {
  const rowBytes = (<usize>N) << 2;
  let j = 0;
  for (; j + 32 <= N; j += 32) {
    const d = dst + ((<usize>j) << 2);
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let a4 = f32x4.splat(0);
    let a5 = f32x4.splat(0);
    let a6 = f32x4.splat(0);
    let a7 = f32x4.splat(0);
    if (accumulate) {
      a0 = v128.load(d);
      a1 = v128.load(d, 16);
      a2 = v128.load(d, 32);
      a3 = v128.load(d, 48);
      a4 = v128.load(d, 64);
      a5 = v128.load(d, 80);
      a6 = v128.load(d, 96);
      a7 = v128.load(d, 112);
    }
    const col = rows + ((<usize>j) << 2);
    for (let q = 0; q < count; q++) {
      const r = col + <usize>load<i32>(list + ((<usize>q) << 2)) * rowBytes;
      a0 = f32x4.add(a0, v128.load(r));
      a1 = f32x4.add(a1, v128.load(r, 16));
      a2 = f32x4.add(a2, v128.load(r, 32));
      a3 = f32x4.add(a3, v128.load(r, 48));
      a4 = f32x4.add(a4, v128.load(r, 64));
      a5 = f32x4.add(a5, v128.load(r, 80));
      a6 = f32x4.add(a6, v128.load(r, 96));
      a7 = f32x4.add(a7, v128.load(r, 112));
    }
    v128.store(d, a0);
    v128.store(d, a1, 16);
    v128.store(d, a2, 32);
    v128.store(d, a3, 48);
    v128.store(d, a4, 64);
    v128.store(d, a5, 80);
    v128.store(d, a6, 96);
    v128.store(d, a7, 112);
  }
  for (; j + 4 <= N; j += 4) {
    const d = dst + ((<usize>j) << 2);
    let a = accumulate ? v128.load(d) : f32x4.splat(0);
    const col = rows + ((<usize>j) << 2);
    for (let q = 0; q < count; q++) {
      a = f32x4.add(a, v128.load(col + <usize>load<i32>(list + ((<usize>q) << 2)) * rowBytes));
    }
    v128.store(d, a);
  }
  for (; j < N; j++) {
    const d = dst + ((<usize>j) << 2);
    let a: f32 = accumulate ? load<f32>(d) : 0;
    const col = rows + ((<usize>j) << 2);
    for (let q = 0; q < count; q++)
      a += load<f32>(col + <usize>load<i32>(list + ((<usize>q) << 2)) * rowBytes);
    store<f32>(d, a);
  }
}

/**
 * out[m, :] = Σ_q rows[idx[q], :] for q in [start[m], start[m + 1]): the rows (N floats each) that output
 * row m's list selects, summed in list order. Parts split the output rows.
 */
export function spikeGather(
  start: usize,
  idx: usize,
  rows: usize,
  out: usize,
  M: i32,
  N: i32,
  part: i32,
  parts: i32,
): void {
  const m0 = partStart(M, part, parts);
  const m1 = partStart(M, part + 1, parts);
  const rowBytes = (<usize>N) << 2;
  for (let m = m0; m < m1; m++) {
    const q0 = load<i32>(start + ((<usize>m) << 2));
    const q1 = load<i32>(start + ((<usize>(m + 1)) << 2));
    gatherRows(rows, idx + ((<usize>q0) << 2), q1 - q0, N, out + <usize>m * rowBytes, false);
  }
}

/**
 * spikeGather for a large `rows` matrix (K rows, beyond the L2 cache): the rows are taken in blocks of
 * `block` that stay in cache while every output row adds the part of its list falling in the block.
 * Lists are ascending, so `cursor` (one i32 per output row) walks each list block by block. The sums
 * are formed per block and then added up, which rounds a little differently from one sequential sum
 * but is the same on any number of threads.
 */
export function spikeGatherBlocked(
  start: usize,
  idx: usize,
  rows: usize,
  out: usize,
  M: i32,
  N: i32,
  K: i32,
  block: i32,
  cursor: usize,
  part: i32,
  parts: i32,
): void {
  const m0 = partStart(M, part, parts);
  const m1 = partStart(M, part + 1, parts);
  const rowBytes = (<usize>N) << 2;
  memory.fill(out + <usize>m0 * rowBytes, 0, <usize>(m1 - m0) * rowBytes);
  for (let m = m0; m < m1; m++) store<i32>(cursor + ((<usize>m) << 2), load<i32>(start + ((<usize>m) << 2)));
  for (let kb = 0; kb < K; kb += block) {
    const ke = kb + block;
    for (let m = m0; m < m1; m++) {
      const at = cursor + ((<usize>m) << 2);
      const q0 = load<i32>(at);
      const q1 = load<i32>(start + ((<usize>(m + 1)) << 2));
      let q = q0;
      while (q < q1 && load<i32>(idx + ((<usize>q) << 2)) < ke) q++;
      if (q === q0) continue;
      gatherRows(rows, idx + ((<usize>q0) << 2), q - q0, N, out + <usize>m * rowBytes, true);
      store<i32>(at, q);
    }
  }
}

import { partStart } from './parts';

/**
 * Event-driven products with a spike (one byte, 0/1) left operand: only active entries contribute, so
 * the cost follows the number of spikes, not the size of the matrix. Bytes are scanned sixteen at a
 * time and all-zero blocks skipped with one test.
 */

/** Writes the indices k < n where row[k] != 0 into list (i32); returns how many. */
function activeIndices(row: usize, n: i32, list: usize): i32 {
  let count = 0;
  let k = 0;
  for (; k + 16 <= n; k += 16) {
    const v = v128.load(row + <usize>k);
    if (!v128.any_true(v)) continue;
    // Lane bit set where the byte is non-zero.
    let mask = i8x16.bitmask(i8x16.ne(v, i8x16.splat(0)));
    while (mask !== 0) {
      store<i32>(list + ((<usize>count) << 2), k + ctz(mask));
      count++;
      mask &= mask - 1;
    }
  }
  for (; k < n; k++) {
    if (load<u8>(row + <usize>k) !== 0) {
      store<i32>(list + ((<usize>count) << 2), k);
      count++;
    }
  }
  return count;
}

/**
 * dst[0..N) = Σ_q rows[list[q]] (rows of N floats): columns in strips of 32 held in eight accumulators
 * across the whole list, then strips of 4, then single columns.
 */
function gatherRows(rows: usize, list: usize, count: i32, N: i32, dst: usize): void {
  const rowBytes = (<usize>N) << 2;
  let j = 0;
  for (; j + 32 <= N; j += 32) {
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    let a4 = f32x4.splat(0);
    let a5 = f32x4.splat(0);
    let a6 = f32x4.splat(0);
    let a7 = f32x4.splat(0);
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
    const d = dst + ((<usize>j) << 2);
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
    let a = f32x4.splat(0);
    const col = rows + ((<usize>j) << 2);
    for (let q = 0; q < count; q++) {
      a = f32x4.add(a, v128.load(col + <usize>load<i32>(list + ((<usize>q) << 2)) * rowBytes));
    }
    v128.store(dst + ((<usize>j) << 2), a);
  }
  for (; j < N; j++) {
    let a: f32 = 0;
    const col = rows + ((<usize>j) << 2);
    for (let q = 0; q < count; q++)
      a += load<f32>(col + <usize>load<i32>(list + ((<usize>q) << 2)) * rowBytes);
    store<f32>(dst + ((<usize>j) << 2), a);
  }
}

/**
 * out[M, N] = S[M, K] · B[K, N]: each output row is the sum of the B rows its spikes select. `scratch`
 * holds K i32 per part. Parts split the rows.
 */
export function spikeMatmul(
  s: usize,
  b: usize,
  out: usize,
  M: i32,
  K: i32,
  N: i32,
  scratch: usize,
  part: i32,
  parts: i32,
): void {
  const m0 = partStart(M, part, parts);
  const m1 = partStart(M, part + 1, parts);
  const list = scratch + ((<usize>part * <usize>K) << 2);
  const rowBytes = (<usize>N) << 2;
  for (let m = m0; m < m1; m++) {
    const count = activeIndices(s + <usize>m * <usize>K, K, list);
    gatherRows(b, list, count, N, out + <usize>m * rowBytes);
  }
}

/**
 * out[M, N] = Sᵀ · G with S stored [K, M] and G [K, N] (the weight gradient of a spike input): every
 * active S[k, m] adds row k of G to row m of out. Parts split the output rows m, so each part scans
 * its own columns of S and writes only its own rows.
 */
export function spikeMatmulTransA(
  s: usize,
  g: usize,
  out: usize,
  M: i32,
  K: i32,
  N: i32,
  scratch: usize,
  part: i32,
  parts: i32,
): void {
  const m0 = partStart(M, part, parts);
  const m1 = partStart(M, part + 1, parts);
  const rowBytes = (<usize>N) << 2;
  memory.fill(out + <usize>m0 * rowBytes, 0, <usize>(m1 - m0) * rowBytes);
  const list = scratch + ((<usize>part * <usize>M) << 2);
  const base = out + <usize>m0 * rowBytes;
  for (let k = 0; k < K; k++) {
    const count = activeIndices(s + <usize>k * <usize>M + <usize>m0, m1 - m0, list);
    if (count === 0) continue;
    const src = g + <usize>k * rowBytes;
    let j = 0;
    // Strips of 32 columns of G's row k stay in eight registers while they are added to every
    // active output row.
    for (; j + 32 <= N; j += 32) {
      const off = (<usize>j) << 2;
      const g0 = v128.load(src + off);
      const g1 = v128.load(src + off, 16);
      const g2 = v128.load(src + off, 32);
      const g3 = v128.load(src + off, 48);
      const g4 = v128.load(src + off, 64);
      const g5 = v128.load(src + off, 80);
      const g6 = v128.load(src + off, 96);
      const g7 = v128.load(src + off, 112);
      for (let q = 0; q < count; q++) {
        const d = base + <usize>load<i32>(list + ((<usize>q) << 2)) * rowBytes + off;
        v128.store(d, f32x4.add(v128.load(d), g0));
        v128.store(d, f32x4.add(v128.load(d, 16), g1), 16);
        v128.store(d, f32x4.add(v128.load(d, 32), g2), 32);
        v128.store(d, f32x4.add(v128.load(d, 48), g3), 48);
        v128.store(d, f32x4.add(v128.load(d, 64), g4), 64);
        v128.store(d, f32x4.add(v128.load(d, 80), g5), 80);
        v128.store(d, f32x4.add(v128.load(d, 96), g6), 96);
        v128.store(d, f32x4.add(v128.load(d, 112), g7), 112);
      }
    }
    for (; j + 4 <= N; j += 4) {
      const off = (<usize>j) << 2;
      const gv = v128.load(src + off);
      for (let q = 0; q < count; q++) {
        const d = base + <usize>load<i32>(list + ((<usize>q) << 2)) * rowBytes + off;
        v128.store(d, f32x4.add(v128.load(d), gv));
      }
    }
    for (; j < N; j++) {
      const off = (<usize>j) << 2;
      const gv = load<f32>(src + off);
      for (let q = 0; q < count; q++) {
        const d = base + <usize>load<i32>(list + ((<usize>q) << 2)) * rowBytes + off;
        store<f32>(d, load<f32>(d) + gv);
      }
    }
  }
}

import { partStart } from './parts';

/**
 * The index of a spike matrix S[R, C] (one byte per entry, any non-zero byte active) that the
 * event-driven products run on: for each row, the ascending columns of its active entries (CSR:
 * `start[R + 1]` offsets into `cols`), and on demand the same by column (CSC). Built in two passes so
 * the lists are packed exactly and rows can be split between threads: count per row, prefix sums,
 * then fill.
 */

/**
 * For every byte value b, the positions of its set bits, ascending, in 8 bytes (unused bytes 0): the
 * fill pass turns eight spike bytes into their column indices with one lookup and no branch.
 */
const POSITIONS = memory.data(256 * 8, 16);

/** Fills the positions table; the host calls it once per memory, before any index is built. */
export function initSpikeTables(): void {
  for (let b = 0; b < 256; b++) {
    let at = POSITIONS + ((<usize>b) << 3);
    for (let bit = 0; bit < 8; bit++) {
      if ((b >> bit) & 1) {
        store<u8>(at, <u8>bit);
        at++;
      }
    }
  }
}

/** Lane bit i set where byte i of v is non-zero. */
function nonZeroMask(v: v128): i32 {
  return i8x16.bitmask(i8x16.ne(v, i8x16.splat(0)));
}

/** counts[r] = active entries of row r, for the rows of this part. */
export function spikeCounts(s: usize, R: i32, C: i32, counts: usize, part: i32, parts: i32): void {
  const r0 = partStart(R, part, parts);
  const r1 = partStart(R, part + 1, parts);
  for (let r = r0; r < r1; r++) {
    const row = s + <usize>r * <usize>C;
    let count = 0;
    let k = 0;
    for (; k + 16 <= C; k += 16) count += <i32>popcnt(nonZeroMask(v128.load(row + <usize>k)));
    for (; k < C; k++) count += load<u8>(row + <usize>k) !== 0 ? 1 : 0;
    store<i32>(counts + ((<usize>r) << 2), count);
  }
}

/** In place: counts[0..R) become the offsets start[0..R]; returns the total (start[R]). */
export function spikeOffsets(counts: usize, R: i32): i32 {
  let total = 0;
  for (let r = 0; r < R; r++) {
    const at = counts + ((<usize>r) << 2);
    const c = load<i32>(at);
    store<i32>(at, total);
    total += c;
  }
  store<i32>(counts + ((<usize>R) << 2), total);
  return total;
}

/** Appends the indices base + (set bits of `byte`) at `out`; writes 8 lanes whatever the count. */
function emit8(out: usize, byte: i32, base: v128): void {
  const p = i16x8.extend_low_i8x16_u(v128.load64_zero(POSITIONS + ((<usize>byte) << 3)));
  v128.store(out, i32x4.add(i32x4.extend_low_i16x8_u(p), base));
  v128.store(out, i32x4.add(i32x4.extend_high_i16x8_u(p), base), 16);
}

/**
 * Fills `cols` with the active columns of the rows of this part (start from spikeOffsets). Blocks of 64
 * bytes with no spike are skipped with one test; in the others each byte of the 16-lane mask becomes
 * indices by one table lookup, eight lanes written whatever the count. Those writes run up to 7 entries
 * past the row's end, into room that later rows of the same part overwrite; rows ending within 8 entries
 * of the part's end (whose overrun could reach another thread's rows) take the exact path instead.
 */
export function spikeLists(s: usize, R: i32, C: i32, start: usize, cols: usize, part: i32, parts: i32): void {
  const r0 = partStart(R, part, parts);
  const r1 = partStart(R, part + 1, parts);
  const limit = load<i32>(start + ((<usize>r1) << 2));
  for (let r = r0; r < r1; r++) {
    const row = s + <usize>r * <usize>C;
    let out = cols + ((<usize>load<i32>(start + ((<usize>r) << 2))) << 2);
    let k = 0;
    if (load<i32>(start + ((<usize>(r + 1)) << 2)) + 8 <= limit) {
      for (; k + 64 <= C; k += 64) {
        const a = v128.load(row + <usize>k);
        const b = v128.load(row + <usize>k, 16);
        const c = v128.load(row + <usize>k, 32);
        const d = v128.load(row + <usize>k, 48);
        if (!v128.any_true(v128.or(v128.or(a, b), v128.or(c, d)))) continue;
        out = emit16(out, a, k);
        out = emit16(out, b, k + 16);
        out = emit16(out, c, k + 32);
        out = emit16(out, d, k + 48);
      }
      for (; k + 16 <= C; k += 16) out = emit16(out, v128.load(row + <usize>k), k);
    } else {
      for (; k + 16 <= C; k += 16) {
        let mask = nonZeroMask(v128.load(row + <usize>k));
        while (mask !== 0) {
          store<i32>(out, k + ctz(mask));
          out += 4;
          mask &= mask - 1;
        }
      }
    }
    for (; k < C; k++) {
      if (load<u8>(row + <usize>k) !== 0) {
        store<i32>(out, k);
        out += 4;
      }
    }
  }
}

/** emit8 for the two bytes of a 16-lane mask; returns the advanced output address. */
function emit16(out: usize, v: v128, k: i32): usize {
  const mask = nonZeroMask(v);
  const lo = mask & 0xff;
  const hi = mask >> 8;
  emit8(out, lo, i32x4.splat(k));
  out += (<usize>popcnt(lo)) << 2;
  emit8(out, hi, i32x4.splat(k + 8));
  return out + ((<usize>popcnt(hi)) << 2);
}

/**
 * The index by column from the index by row: colStart[C + 1] offsets into `rows`, each column's rows
 * ascending. `cursor` is scratch for C i32.
 */
export function spikeColumns(
  start: usize,
  cols: usize,
  R: i32,
  C: i32,
  colStart: usize,
  rows: usize,
  cursor: usize,
): void {
  const nnz = load<i32>(start + ((<usize>R) << 2));
  memory.fill(cursor, 0, (<usize>C) << 2);
  for (let q = 0; q < nnz; q++) {
    const at = cursor + ((<usize>load<i32>(cols + ((<usize>q) << 2))) << 2);
    store<i32>(at, load<i32>(at) + 1);
  }
  let total = 0;
  for (let c = 0; c < C; c++) {
    const at = cursor + ((<usize>c) << 2);
    const n = load<i32>(at);
    store<i32>(colStart + ((<usize>c) << 2), total);
    store<i32>(at, total);
    total += n;
  }
  store<i32>(colStart + ((<usize>C) << 2), total);
  for (let r = 0; r < R; r++) {
    const q1 = load<i32>(start + ((<usize>(r + 1)) << 2));
    for (let q = load<i32>(start + ((<usize>r) << 2)); q < q1; q++) {
      const at = cursor + ((<usize>load<i32>(cols + ((<usize>q) << 2))) << 2);
      const slot = load<i32>(at);
      store<i32>(rows + ((<usize>slot) << 2), r);
      store<i32>(at, slot + 1);
    }
  }
}

import { partStart } from './parts';

/**
 * Single-precision GEMM, C = A·B, in the classic packed form: A is copied into panels of MR = 4 rows
 * ([K][4] each) and B into panels of NR = 8 columns ([K][8] each), both zero-padded, so the micro-kernel
 * reads both operands contiguously whatever the transposes were. The micro-kernel keeps a 4×8 block of
 * C in eight v128 accumulators (splat one A value, two B loads per k): eleven live vector registers,
 * which fits x64's sixteen without spilling. k runs in blocks of KC so a B panel stays in L1.
 */
const KC: i32 = 256;
/** Column panels (of 8) per block: 512 columns, so a packed B block is at most KC·512 floats. */
const NCP: i32 = 64;

/** Packs row panels [p0, p1) of mathematical A[M, K] (stored [K, M] when transA) as [K][4] each. */
function packA(src: usize, M: i32, K: i32, transA: i32, dst: usize, p0: i32, p1: i32): void {
  for (let p = p0; p < p1; p++) {
    const m0 = p << 2;
    let out = dst + ((<usize>p * <usize>K) << 4);
    if (!transA) {
      if (m0 + 4 <= M) {
        const r0 = src + ((<usize>m0 * <usize>K) << 2);
        const rs = (<usize>K) << 2;
        for (let k = 0; k < K; k++) {
          const o = (<usize>k) << 2;
          store<f32>(out, load<f32>(r0 + o));
          store<f32>(out, load<f32>(r0 + rs + o), 4);
          store<f32>(out, load<f32>(r0 + 2 * rs + o), 8);
          store<f32>(out, load<f32>(r0 + 3 * rs + o), 12);
          out += 16;
        }
      } else {
        for (let k = 0; k < K; k++) {
          for (let r = 0; r < 4; r++) {
            const m = m0 + r;
            store<f32>(
              out + ((<usize>r) << 2),
              m < M ? load<f32>(src + ((<usize>m * <usize>K + <usize>k) << 2)) : 0,
            );
          }
          out += 16;
        }
      }
    } else if (m0 + 4 <= M) {
      // Stored [K, M]: the four values of one k are adjacent.
      for (let k = 0; k < K; k++) {
        v128.store(out, v128.load(src + ((<usize>k * <usize>M + <usize>m0) << 2)));
        out += 16;
      }
    } else {
      for (let k = 0; k < K; k++) {
        for (let r = 0; r < 4; r++) {
          const m = m0 + r;
          store<f32>(
            out + ((<usize>r) << 2),
            m < M ? load<f32>(src + ((<usize>k * <usize>M + <usize>m) << 2)) : 0,
          );
        }
        out += 16;
      }
    }
  }
}

/** Packs mathematical B[K, N] (stored [N, K] when transB) into ceil(N/8) panels of [K][8]. */
export function gemmPackB(src: usize, K: i32, N: i32, transB: i32, dst: usize, part: i32, parts: i32): void {
  const panels = (N + 7) >> 3;
  const p0 = partStart(panels, part, parts);
  const p1 = partStart(panels, part + 1, parts);
  for (let p = p0; p < p1; p++) {
    const n0 = p << 3;
    let out = dst + ((<usize>p * <usize>K) << 5);
    if (!transB && n0 + 8 <= N) {
      let row = src + ((<usize>n0) << 2);
      const rs = (<usize>N) << 2;
      for (let k = 0; k < K; k++) {
        v128.store(out, v128.load(row));
        v128.store(out, v128.load(row, 16), 16);
        row += rs;
        out += 32;
      }
    } else if (transB && n0 + 8 <= N) {
      const col = src + ((<usize>n0 * <usize>K) << 2);
      const cs = (<usize>K) << 2;
      for (let k = 0; k < K; k++) {
        const o = col + ((<usize>k) << 2);
        for (let c = 0; c < 8; c++) store<f32>(out + ((<usize>c) << 2), load<f32>(o + <usize>c * cs));
        out += 32;
      }
    } else {
      for (let k = 0; k < K; k++) {
        for (let c = 0; c < 8; c++) {
          const n = n0 + c;
          let v: f32 = 0;
          if (n < N)
            v = transB
              ? load<f32>(src + ((<usize>n * <usize>K + <usize>k) << 2))
              : load<f32>(src + ((<usize>k * <usize>N + <usize>n) << 2));
          store<f32>(out + ((<usize>c) << 2), v);
        }
        out += 32;
      }
    }
  }
}

/** C[4, 8] (row stride ldc floats) = (accumulate ? C : 0) + Σ_k a[k][0..4] ⊗ b[k][0..8]. */
function micro4x8(a: usize, b: usize, c: usize, kc: i32, ldc: usize, accumulate: bool): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(b);
    const b1 = v128.load(b, 16);
    let x = v128.load32_splat(a);
    c00 = f32x4.add(c00, f32x4.mul(x, b0));
    c01 = f32x4.add(c01, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 4);
    c10 = f32x4.add(c10, f32x4.mul(x, b0));
    c11 = f32x4.add(c11, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 8);
    c20 = f32x4.add(c20, f32x4.mul(x, b0));
    c21 = f32x4.add(c21, f32x4.mul(x, b1));
    x = v128.load32_splat(a, 12);
    c30 = f32x4.add(c30, f32x4.mul(x, b0));
    c31 = f32x4.add(c31, f32x4.mul(x, b1));
    a += 16;
    b += 32;
  }
  const rs = ldc << 2;
  if (accumulate) {
    c00 = f32x4.add(c00, v128.load(c));
    c01 = f32x4.add(c01, v128.load(c, 16));
    c10 = f32x4.add(c10, v128.load(c + rs));
    c11 = f32x4.add(c11, v128.load(c + rs, 16));
    c20 = f32x4.add(c20, v128.load(c + 2 * rs));
    c21 = f32x4.add(c21, v128.load(c + 2 * rs, 16));
    c30 = f32x4.add(c30, v128.load(c + 3 * rs));
    c31 = f32x4.add(c31, v128.load(c + 3 * rs, 16));
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + rs, c10);
  v128.store(c + rs, c11, 16);
  v128.store(c + 2 * rs, c20);
  v128.store(c + 2 * rs, c21, 16);
  v128.store(c + 3 * rs, c30);
  v128.store(c + 3 * rs, c31, 16);
}

/**
 * C[M, N] (row stride N) = A·B from packed B, for the row panels of this part. Each part first packs
 * its own panels of A (stored at `a`, [K, M] when transA) into `ap`, so packing A needs no separate pass
 * and no synchronisation. Full 4×8 tiles are written straight into C; tiles cut by the edges of C go
 * through a per-part 4×8 buffer at `tile` (128 bytes per part). Parts own disjoint rows of C, so the
 * result does not depend on the number of parts.
 */
export function gemm(
  a: usize,
  transA: i32,
  ap: usize,
  bp: usize,
  c: usize,
  M: i32,
  K: i32,
  N: i32,
  tile: usize,
  part: i32,
  parts: i32,
): void {
  const rowPanels = (M + 3) >> 2;
  const colPanels = (N + 7) >> 3;
  const p0 = partStart(rowPanels, part, parts);
  const p1 = partStart(rowPanels, part + 1, parts);
  if (p0 === p1) return;
  const ldc = <usize>N;
  if (K === 0) {
    const r0 = p0 << 2;
    const r1 = min(M, p1 << 2);
    memory.fill(c + ((<usize>r0 * ldc) << 2), 0, (<usize>(r1 - r0) * ldc) << 2);
    return;
  }
  packA(a, M, K, transA, ap, p0, p1);
  const buf = tile + ((<usize>part) << 7);
  // Column blocks of NCP panels, then k blocks: the KC×8·NCP block of packed B (512 KiB at most) stays in
  // L2 while every row panel of this part passes over it.
  for (let jb = 0; jb < colPanels; jb += NCP) {
    const je = min(colPanels, jb + NCP);
    for (let kb = 0; kb < K; kb += KC) {
      const kc = min(KC, K - kb);
      const accumulate = kb > 0;
      for (let ip = p0; ip < p1; ip++) {
        const pa = ap + ((<usize>ip * <usize>K + <usize>kb) << 4);
        const m0 = ip << 2;
        const rows = min(4, M - m0);
        const crow = c + ((<usize>m0 * ldc) << 2);
        for (let jp = jb; jp < je; jp++) {
          const pb = bp + ((<usize>jp * <usize>K + <usize>kb) << 5);
          const n0 = jp << 3;
          const cols = min(8, N - n0);
          if (rows === 4 && cols === 8) {
            micro4x8(pa, pb, crow + ((<usize>n0) << 2), kc, ldc, accumulate);
          } else {
            micro4x8(pa, pb, buf, kc, 8, false);
            for (let r = 0; r < rows; r++) {
              const dst = crow + ((<usize>r * ldc + <usize>n0) << 2);
              const srcRow = buf + ((<usize>r) << 5);
              for (let q = 0; q < cols; q++) {
                const d = dst + ((<usize>q) << 2);
                const v = load<f32>(srcRow + ((<usize>q) << 2));
                store<f32>(d, accumulate ? load<f32>(d) + v : v);
              }
            }
          }
        }
      }
    }
  }
}

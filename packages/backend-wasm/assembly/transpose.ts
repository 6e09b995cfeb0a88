import { partStart } from './parts';

/**
 * dst[cols, rows] = src[rows, cols]ᵀ (f32), in 32×32 blocks so reads and writes both stay in cache; inside
 * a block, 4×4 tiles move through four v128 registers and eight shuffles. Parts split the rows of dst.
 */
export function transpose(src: usize, rows: i32, cols: i32, dst: usize, part: i32, parts: i32): void {
  const c0 = partStart(cols, part, parts);
  const c1 = partStart(cols, part + 1, parts);
  const rs = (<usize>cols) << 2;
  const ds = (<usize>rows) << 2;
  for (let cb = c0; cb < c1; cb += 32) {
    const ce = min(c1, cb + 32);
    for (let rb = 0; rb < rows; rb += 32) {
      const re = min(rows, rb + 32);
      let c = cb;
      for (; c + 4 <= ce; c += 4) {
        let r = rb;
        for (; r + 4 <= re; r += 4) {
          const s = src + ((<usize>r * <usize>cols + <usize>c) << 2);
          const a = v128.load(s);
          const b = v128.load(s + rs);
          const e = v128.load(s + 2 * rs);
          const f = v128.load(s + 3 * rs);
          const ab0 = v128.shuffle<i32>(a, b, 0, 4, 1, 5);
          const ab1 = v128.shuffle<i32>(a, b, 2, 6, 3, 7);
          const ef0 = v128.shuffle<i32>(e, f, 0, 4, 1, 5);
          const ef1 = v128.shuffle<i32>(e, f, 2, 6, 3, 7);
          const d = dst + ((<usize>c * <usize>rows + <usize>r) << 2);
          v128.store(d, v128.shuffle<i32>(ab0, ef0, 0, 1, 4, 5));
          v128.store(d + ds, v128.shuffle<i32>(ab0, ef0, 2, 3, 6, 7));
          v128.store(d + 2 * ds, v128.shuffle<i32>(ab1, ef1, 0, 1, 4, 5));
          v128.store(d + 3 * ds, v128.shuffle<i32>(ab1, ef1, 2, 3, 6, 7));
        }
        for (; r < re; r++) {
          for (let q = 0; q < 4; q++) {
            store<f32>(
              dst + ((<usize>(c + q) * <usize>rows + <usize>r) << 2),
              load<f32>(src + ((<usize>r * <usize>cols + <usize>(c + q)) << 2)),
            );
          }
        }
      }
      for (; c < ce; c++) {
        const d = dst + ((<usize>c * <usize>rows) << 2);
        for (let r = rb; r < re; r++)
          store<f32>(d + ((<usize>r) << 2), load<f32>(src + ((<usize>r * <usize>cols + <usize>c) << 2)));
      }
    }
  }
}

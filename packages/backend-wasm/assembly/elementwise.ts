/**
 * Binary arithmetic with broadcasting, float32: out[o, i] = a[o·sa + i·ia] ⊕ b[o·sb + i·ib] for o < outer,
 * i < inner, where ia, ib ∈ {0, 1} (an operand broadcast along the inner run is read once per run).
 * The host merges the broadcast axes into this (outer, inner) form. In float32 these ops give exactly
 * the reference kernel's results: rounding a double-precision +, −, ×, ÷ of two floats to float32 is
 * the float32 operation, and max/min follow the same NaN and signed-zero rules as Math.max/min.
 */

// Op codes, as the host sends them.
const ADD = 0;
const SUB = 1;
const MUL = 2;
const DIV = 3;
const MAX = 4;
const _MIN = 5;

function apply4(op: i32, x: v128, y: v128): v128 {
  if (op === ADD) return f32x4.add(x, y);
  if (op === SUB) return f32x4.sub(x, y);
  if (op === MUL) return f32x4.mul(x, y);
  if (op === DIV) return f32x4.div(x, y);
  if (op === MAX) return f32x4.max(x, y);
  return f32x4.min(x, y);
}

function apply1(op: i32, x: f32, y: f32): f32 {
  if (op === ADD) return x + y;
  if (op === SUB) return x - y;
  if (op === MUL) return x * y;
  if (op === DIV) return x / y;
  if (op === MAX) return f32.max(x, y);
  return f32.min(x, y);
}

export function binaryOp(
  op: i32,
  a: usize,
  b: usize,
  out: usize,
  outer: i32,
  inner: i32,
  sa: i32,
  sb: i32,
  ia: i32,
  ib: i32,
): void {
  const n4 = inner & ~3;
  for (let o = 0; o < outer; o++) {
    const pa = a + ((<usize>o * <usize>sa) << 2);
    const pb = b + ((<usize>o * <usize>sb) << 2);
    const po = out + ((<usize>o * <usize>inner) << 2);
    let i = 0;
    if (ia && ib) {
      for (; i < n4; i += 4) {
        const off = (<usize>i) << 2;
        v128.store(po + off, apply4(op, v128.load(pa + off), v128.load(pb + off)));
      }
    } else if (ia) {
      const y = v128.load32_splat(pb);
      for (; i < n4; i += 4) {
        const off = (<usize>i) << 2;
        v128.store(po + off, apply4(op, v128.load(pa + off), y));
      }
    } else if (ib) {
      const x = v128.load32_splat(pa);
      for (; i < n4; i += 4) {
        const off = (<usize>i) << 2;
        v128.store(po + off, apply4(op, x, v128.load(pb + off)));
      }
    }
    for (; i < inner; i++) {
      store<f32>(
        po + ((<usize>i) << 2),
        apply1(op, load<f32>(pa + ((<usize>(i * ia)) << 2)), load<f32>(pb + ((<usize>(i * ib)) << 2))),
      );
    }
  }
}

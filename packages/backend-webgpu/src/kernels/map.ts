import { type Shape, sizeOf, stridesOf } from '@neurite/kernel';
import type { WebGPUBackend } from '../backend.js';
import type { DeviceDType } from '../dtype.js';
import type { GpuHandle } from '../memory/handle.js';
import { buffer, convert, ENTRY, loader, params, type Scalar, STORAGE, Words, zero } from '../wgsl/common.js';
import { collapse, isContiguous } from './layout.js';

export interface MapOperand {
  readonly handle: GpuHandle;
  readonly dtype: DeviceDType;
  /** The scalar type the expression sees it as (converted from its storage type). */
  readonly as: Scalar;
  /** Element index at domain coordinates: offset + Σ coord·stride; by default the domain's own layout. */
  readonly strides?: readonly number[];
  readonly offset?: number;
  /** Per domain axis, the coordinates [lo, hi) where the operand exists; elsewhere it reads `outside`. */
  readonly bounds?: readonly (readonly [number, number])[];
  /** WGSL literal of the `as` type read outside the bounds. */
  readonly outside?: string;
}

/**
 * One invocation per element of `domain` (per four elements for spike outputs, which own whole
 * words) computes `expr` from the operands. Elementwise ops, broadcasting, creation ops and every
 * strided movement (permute, slice, flip, pad, broadcast_to, concat) are such maps; they differ only in
 * operand layouts and expressions.
 */
export interface MapSpec {
  readonly domain: Shape;
  readonly inputs: readonly MapOperand[];
  readonly out: DeviceDType;
  /** The output's element index at domain coordinates (32-bit outputs only); default contiguous. */
  readonly outStrides?: readonly number[];
  readonly outOffset?: number;
  /** Writes into this buffer (which must fit the output layout) instead of a new one. */
  readonly into?: GpuHandle;
  /** The type `expr` yields. */
  readonly result: Scalar;
  /** WGSL over v0, v1, … (operands), i (the domain index, u32), f0… and u0… (the scalars below). */
  readonly expr: string;
  readonly floats?: readonly number[];
  readonly uints?: readonly number[];
  /** WGSL functions `expr` calls. */
  readonly helpers?: string;
  /** How a result becomes a spike byte: its low byte (movement) or 0/1 for zero/non-zero (default). */
  readonly spikeStore?: 'byte' | 'nonzero';
  /** Size of the output buffer in elements when it differs from the domain (scatter into a larger one). */
  readonly outSize?: number;
}

/** Generated WGSL by structural key (a bounded set: one entry per kernel structure). */
const SOURCES = new Map<string, string>();

type Mode = { kind: 'same' } | { kind: 'scalar' } | { kind: 'strided'; bounded: boolean };

export function mapKernel(gpu: WebGPUBackend, spec: MapSpec): GpuHandle {
  const n = sizeOf(spec.domain);
  const own = stridesOf(spec.domain);
  const out = spec.into ?? gpu.alloc({ shape: [spec.outSize ?? n], dtype: spec.out });
  if (n === 0) return out;
  const bounded = spec.inputs.some((x) => x.bounds);
  const layouts = [...spec.inputs.map((x) => x.strides ?? own), spec.outStrides ?? own];
  // Bounds are per original axis, so a bounded map keeps every axis.
  const { dims, strides } = bounded
    ? { dims: [...spec.domain], strides: layouts.map((l) => [...l]) }
    : collapse(spec.domain, layouts);
  const R = dims.length;

  const w = new Words();
  w.u(n);
  const dimsAt = w.u(...dims);
  const modes: Mode[] = [];
  const slots: { offset: number; strides: number; lo: number; hi: number }[] = [];
  const operandSlots = (k: number, offset: number, bounds?: readonly (readonly [number, number])[]) => {
    const s = strides[k]!;
    const all0 = s.every((v) => v === 0);
    if (!bounds && isContiguous(dims, s, offset)) return { mode: { kind: 'same' } as Mode, slot: null };
    if (!bounds && all0) {
      const slot = { offset: w.i(offset), strides: -1, lo: -1, hi: -1 };
      return { mode: { kind: 'scalar' } as Mode, slot };
    }
    const slot = {
      offset: w.i(offset),
      strides: R ? w.i(...s) : -1,
      lo: bounds ? w.i(...bounds.map((b) => b[0])) : -1,
      hi: bounds ? w.i(...bounds.map((b) => b[1])) : -1,
    };
    return { mode: { kind: 'strided', bounded: !!bounds } as Mode, slot };
  };
  spec.inputs.forEach((x, k) => {
    const { mode, slot } = operandSlots(k, x.offset ?? 0, x.bounds);
    modes.push(mode);
    slots.push(slot ?? { offset: -1, strides: -1, lo: -1, hi: -1 });
  });
  const outSlot = operandSlots(spec.inputs.length, spec.outOffset ?? 0);
  const floatsAt = spec.floats?.length ? w.f(...spec.floats) : -1;
  const uintsAt = spec.uints?.length ? w.u(...spec.uints) : -1;

  const outStrided = outSlot.mode.kind !== 'same';
  // Sources depend on structure only (dtypes, modes, rank, parameter slots), never on sizes, so one
  // compiled pipeline serves every shape; the text is built once per structure.
  const key = JSON.stringify([
    spec.inputs.map((x, j) => [x.dtype, x.as, modes[j], slots[j], x.outside]),
    R,
    dimsAt,
    spec.out,
    outSlot.mode,
    outSlot.slot,
    spec.result,
    spec.expr,
    spec.spikeStore,
    floatsAt,
    spec.floats?.length,
    uintsAt,
    spec.uints?.length,
    spec.helpers?.length,
    w.length,
  ]);
  let source = SOURCES.get(key);
  if (!source) {
    source = generate();
    SOURCES.set(key, source);
  }
  const threads = spec.out === 'spike' ? Math.ceil(n / 4) : n;
  gpu.run({ source, buffers: [...spec.inputs.map((x) => x.handle), out], params: w, threads });
  return out;

  function generate(): string {
    const k = spec.inputs.length;
    const lines: string[] = [];
    spec.inputs.forEach((x, j) => {
      lines.push(buffer(j, `x${j}`, x.dtype), loader(`x${j}`, x.dtype));
    });
    lines.push(buffer(k, 'out', spec.out, true), params(k + 1, w.length));
    if (spec.helpers) lines.push(spec.helpers);

    // value(i): the coordinates of i feed every strided operand's index, then the expression.
    const body: string[] = [];
    const strided = spec.inputs.map((_, j) => j).filter((j) => modes[j]!.kind === 'strided');
    for (const j of strided) {
      body.push(`  var o${j}: i32 = pi(${slots[j]!.offset}u);`);
      if ((modes[j] as { bounded: boolean }).bounded) body.push(`  var in${j} = true;`);
    }
    if (strided.length && R) {
      body.push('  var rem = i;');
      for (let r = R - 1; r >= 0; r--) {
        body.push(`  { let d = pu(${dimsAt + r}u); let c = rem % d; rem = rem / d;`);
        for (const j of strided) {
          body.push(`    o${j} = o${j} + i32(c) * pi(${slots[j]!.strides + r}u);`);
          if ((modes[j] as { bounded: boolean }).bounded) {
            body.push(
              `    in${j} = in${j} && i32(c) >= pi(${slots[j]!.lo + r}u) && i32(c) < pi(${slots[j]!.hi + r}u);`,
            );
          }
        }
        body.push('  }');
      }
    }
    for (let q = 0; q < (spec.floats?.length ?? 0); q++) body.push(`  let f${q} = pf(${floatsAt + q}u);`);
    for (let q = 0; q < (spec.uints?.length ?? 0); q++) body.push(`  let u${q} = pu(${uintsAt + q}u);`);
    spec.inputs.forEach((x, j) => {
      const mode = modes[j]!;
      const index =
        mode.kind === 'same'
          ? 'i'
          : mode.kind === 'scalar'
            ? `u32(pi(${slots[j]!.offset}u))`
            : `u32(max(o${j}, 0i))`;
      const load = convert(`ld_x${j}(${index})`, STORAGE[x.dtype], x.as);
      if (mode.kind === 'strided' && mode.bounded)
        body.push(`  let v${j} = select(${x.outside ?? zero(x.as)}, ${load}, in${j});`);
      else body.push(`  let v${j} = ${load};`);
    });
    body.push(`  return ${spec.expr};`);
    lines.push(`fn value(i: u32) -> ${spec.result} {\n${body.join('\n')}\n}`);

    if (outStrided) {
      const o: string[] = [`  var o: i32 = pi(${outSlot.slot!.offset}u);`];
      if (R && outSlot.mode.kind === 'strided') {
        o.push('  var rem = i;');
        for (let r = R - 1; r >= 0; r--) {
          o.push(
            `  { let d = pu(${dimsAt + r}u); let c = rem % d; rem = rem / d; o = o + i32(c) * pi(${outSlot.slot!.strides + r}u); }`,
          );
        }
      }
      o.push('  return u32(o);');
      lines.push(`fn out_index(i: u32) -> u32 {\n${o.join('\n')}\n}`);
    }

    if (spec.out === 'spike') {
      if (outStrided) throw new Error('map kernel: a spike output must be contiguous');
      const byte =
        spec.spikeStore === 'byte'
          ? `(${convert('value(e)', spec.result, 'u32')} & 0xffu)`
          : `select(0u, 1u, value(e) != ${zero(spec.result)})`;
      lines.push(
        ENTRY(
          [
            '  let n = pu(0u);',
            '  let base = t * 4u;',
            '  if (base >= n) { return; }',
            '  var word = 0u;',
            '  for (var j = 0u; j < 4u; j = j + 1u) {',
            '    let e = base + j;',
            `    if (e < n) { word = word | (${byte} << (j * 8u)); }`,
            '  }',
            '  out[t] = word;',
          ].join('\n'),
        ),
      );
    } else {
      const store = convert('value(t)', spec.result, STORAGE[spec.out]);
      lines.push(
        ENTRY(`  if (t >= pu(0u)) { return; }\n  out[${outStrided ? 'out_index(t)' : 't'}] = ${store};`),
      );
    }

    return lines.join('\n');
  }
}

import type { DeviceDType } from '../dtype.js';

/** Invocations per workgroup of every one-dimensional kernel. */
export const WG = 256;

/** The scalar types kernels compute in. */
export type Scalar = 'f32' | 'i32' | 'u32';

/** The element type of each dtype's storage array (spikes: four bytes to a u32 word). */
export const STORAGE: Record<DeviceDType, Scalar> = { float32: 'f32', int32: 'i32', spike: 'u32' };

/** A storage buffer declaration. */
export function buffer(binding: number, name: string, dtype: DeviceDType | Scalar, writable = false): string {
  const elem = dtype === 'float32' || dtype === 'int32' || dtype === 'spike' ? STORAGE[dtype] : dtype;
  return `@group(0) @binding(${binding}) var<storage, ${writable ? 'read_write' : 'read'}> ${name}: array<${elem}>;`;
}

/** `fn ld_<name>(i: u32) -> T`: element i of a buffer in its storage scalar (spike bytes as u32). */
export function loader(name: string, dtype: DeviceDType): string {
  if (dtype === 'spike') {
    return `fn ld_${name}(i: u32) -> u32 { return (${name}[i >> 2u] >> ((i & 3u) * 8u)) & 0xffu; }`;
  }
  return `fn ld_${name}(i: u32) -> ${STORAGE[dtype]} { return ${name}[i]; }`;
}

/**
 * The parameter block: `words` 32-bit words read with pu/pi/pf (as u32, i32, f32). Uniform arrays
 * need 16-byte elements, hence vec4 words.
 */
export function params(binding: number, words: number): string {
  const vecs = Math.max(1, Math.ceil(words / 4));
  return [
    `struct Params { w: array<vec4<u32>, ${vecs}> };`,
    `@group(0) @binding(${binding}) var<uniform> P: Params;`,
    'fn pu(i: u32) -> u32 { return P.w[i >> 2u][i & 3u]; }',
    'fn pi(i: u32) -> i32 { return bitcast<i32>(pu(i)); }',
    'fn pf(i: u32) -> f32 { return bitcast<f32>(pu(i)); }',
  ].join('\n');
}

/** Converts a value between scalar types; any non-zero value becomes spike 1 when `toSpike`. */
export function convert(expr: string, from: Scalar, to: Scalar): string {
  if (from === to) return expr;
  return `${to}(${expr})`;
}

/** The zero literal of a scalar type. */
export function zero(t: Scalar): string {
  return t === 'f32' ? '0.0' : t === 'i32' ? '0i' : '0u';
}

/** The invocation's linear index in a grid dispatched by `gridFor` (two dimensions past 65535 groups). */
export const ENTRY = (body: string, size: number | string = WG) =>
  [
    `@compute @workgroup_size(${size})`,
    'fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) lid: u32) {',
    `  let t = (wid.y * nwg.x + wid.x) * ${size}u + lid;`,
    body,
    '}',
  ].join('\n');

/** Writes 32-bit words of a parameter block from numbers (ints as u32/i32 bits, floats as f32 bits). */
export class Words {
  readonly #u: number[] = [];
  readonly #kinds: ('u' | 'i' | 'f')[] = [];

  get length(): number {
    return this.#u.length;
  }

  /** Appends unsigned integers; returns the index of the first. */
  u(...values: number[]): number {
    return this.#push('u', values);
  }
  i(...values: number[]): number {
    return this.#push('i', values);
  }
  f(...values: number[]): number {
    return this.#push('f', values);
  }

  toArray(): Uint32Array {
    const out = new Uint32Array(Math.max(4, Math.ceil(this.#u.length / 4) * 4));
    const f32 = new Float32Array(out.buffer);
    const i32 = new Int32Array(out.buffer);
    this.#u.forEach((v, k) => {
      const kind = this.#kinds[k]!;
      if (kind === 'f') f32[k] = v;
      else if (kind === 'i') i32[k] = v;
      else out[k] = v >>> 0;
    });
    return out;
  }

  #push(kind: 'u' | 'i' | 'f', values: number[]): number {
    const at = this.#u.length;
    for (const v of values) {
      this.#u.push(v);
      this.#kinds.push(kind);
    }
    return at;
  }
}

/** The counter-based hash of the kernel's random/counter.ts, bit for bit, and its uniform and normal draws. */
export const RANDOM_WGSL = `
fn hash32(k0: u32, k1: u32, c: u32) -> u32 {
  var h = c ^ k0;
  h = (h ^ (h >> 16u)) * 0x7feb352du;
  h = (h ^ (h >> 15u)) * 0x846ca68bu;
  h = h ^ (h >> 16u) ^ k1;
  h = (h ^ (h >> 16u)) * 0x7feb352du;
  h = (h ^ (h >> 15u)) * 0x846ca68bu;
  return h ^ (h >> 16u);
}
fn uniform_at(k0: u32, k1: u32, i: u32) -> f32 {
  return f32(hash32(k0, k1, i) >> 8u) * 5.9604644775390625e-8;
}
fn normal_at(k0: u32, k1: u32, i: u32) -> f32 {
  let u = (f32(hash32(k0, k1, 2u * i) >> 8u) + 1.0) * 5.9604644775390625e-8;
  let v = f32(hash32(k0, k1, 2u * i + 1u) >> 8u) * 5.9604644775390625e-8;
  return sqrt(-2.0 * log(u)) * cos(6.283185307179586 * v);
}`;

/** ±∞ at run time (WGSL rejects infinities in constant expressions): `inf_f32()`. */
export const INF_WGSL = `
var<private> INF_BITS: u32 = 0x7f800000u;
fn inf_f32() -> f32 { return bitcast<f32>(INF_BITS); }`;

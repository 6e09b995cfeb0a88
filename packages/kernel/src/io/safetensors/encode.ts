import { NeuriteError } from '../../errors.js';
import type { DataArray, DType } from '../../tensor/dtype.js';
import { sizeOf } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { writeLittleEndian } from '../bytes.js';
import { SAFETENSORS_DTYPES, WRITTEN_AS } from './dtypes.js';
import { LENGTH_BYTES, MAX_HEADER_BYTES, NEURITE_DTYPES_KEY } from './header.js';

/** Named tensors: a state dict (`Map`), name/tensor pairs, or a plain object. */
export type NamedTensors =
  | ReadonlyMap<string, Tensor>
  | Iterable<readonly [string, Tensor]>
  | Readonly<Record<string, Tensor>>;

/** What the writer needs to know about a tensor before it reads its data. */
export interface TensorLayout {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: readonly number[];
}

/** The header of a file and where each tensor's data goes, decided before any data is read. */
export interface SafetensorsPlan {
  /** The padded header, N bytes (a multiple of 8). */
  readonly header: Uint8Array;
  readonly dataLength: number;
  /** Indices into the planned tensors, in data order, with their byte ranges in the data region. */
  readonly order: readonly { readonly index: number; readonly begin: number; readonly end: number }[];
}

/**
 * Encodes tensors as a safetensors file, laid out as the reference implementation writes it: tensors
 * ordered by dtype alignment (widest first) and then by name, the header `__metadata__` first, compact
 * JSON padded with spaces to a multiple of 8 bytes. Metadata keys are sorted (the reference's order is
 * a hash map's). Spike tensors are written as U8 and listed under `neurite.dtypes` in the metadata so
 * that they load back as spike. Each tensor's data is read in turn, into the one output buffer.
 */
export async function encodeSafetensors(
  tensors: NamedTensors,
  metadata?: Readonly<Record<string, string>>,
): Promise<Uint8Array> {
  const entries = namedEntries(tensors);
  const plan = planSafetensors(
    entries.map(([name, t]) => ({ name, dtype: t.dtype, shape: t.shape })),
    metadata,
  );
  const { out, dataOffset } = allocate(plan);
  for (const { index, begin } of plan.order) {
    writeLittleEndian(await entries[index]![1].data(), out, dataOffset + begin);
  }
  return out;
}

/** `encodeSafetensors` for data already on the host. */
export function encodeSafetensorsArrays(
  tensors: readonly (TensorLayout & { readonly data: DataArray })[],
  metadata?: Readonly<Record<string, string>>,
): Uint8Array {
  const plan = planSafetensors(tensors, metadata);
  const { out, dataOffset } = allocate(plan);
  for (const { index, begin } of plan.order) {
    const t = tensors[index]!;
    if (t.data.length !== sizeOf(t.shape)) {
      throw new NeuriteError(
        `encodeSafetensors: ${t.name} has ${t.data.length} values for shape [${t.shape.join(', ')}]`,
      );
    }
    writeLittleEndian(t.data, out, dataOffset + begin);
  }
  return out;
}

/** The header and data layout for these tensors (see `encodeSafetensors`). */
export function planSafetensors(
  tensors: readonly TensorLayout[],
  metadata?: Readonly<Record<string, string>>,
): SafetensorsPlan {
  const seen = new Set<string>();
  for (const { name } of tensors) {
    checkText('tensor name', name);
    if (name === '__metadata__')
      throw new NeuriteError("encodeSafetensors: '__metadata__' cannot name a tensor");
    if (seen.has(name)) throw new NeuriteError(`encodeSafetensors: the name ${name} occurs twice`);
    seen.add(name);
  }
  const meta: Record<string, string> | null = metadata ? { ...metadata } : null;
  for (const [key, value] of Object.entries(meta ?? {})) {
    checkText('metadata key', key);
    if (typeof value !== 'string')
      throw new NeuriteError(`encodeSafetensors: metadata ${key} must be a string`);
    checkText('metadata value', value);
    if (key === NEURITE_DTYPES_KEY) {
      throw new NeuriteError(
        `encodeSafetensors: the metadata key ${NEURITE_DTYPES_KEY} is reserved for neurite`,
      );
    }
  }

  const rank = (t: TensorLayout) => SAFETENSORS_DTYPES[WRITTEN_AS[t.dtype]].rank;
  const sorted = tensors
    .map((t, index) => ({ t, index }))
    .sort((a, b) => rank(b.t) - rank(a.t) || compareCodePoints(a.t.name, b.t.name));

  const spikes = sorted.filter(({ t }) => t.dtype === 'spike').map(({ t }) => t.name);
  const header = meta ?? (spikes.length ? {} : null);
  if (header && spikes.length)
    header[NEURITE_DTYPES_KEY] = objectJson(spikes.map((n) => [n, JSON.stringify('spike')]));

  const parts: string[] = [];
  if (header) {
    const keys = Object.keys(header).sort(compareCodePoints);
    parts.push(`"__metadata__":${objectJson(keys.map((k) => [k, JSON.stringify(header[k])]))}`);
  }
  const order: { index: number; begin: number; end: number }[] = [];
  let offset = 0;
  for (const { t, index } of sorted) {
    const dtype = WRITTEN_AS[t.dtype];
    const end = offset + sizeOf(t.shape) * SAFETENSORS_DTYPES[dtype].size;
    parts.push(
      `${JSON.stringify(t.name)}:{"dtype":"${dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${offset},${end}]}`,
    );
    order.push({ index, begin: offset, end });
    offset = end;
  }
  const json = new TextEncoder().encode(`{${parts.join(',')}}`);
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded > MAX_HEADER_BYTES) {
    throw new NeuriteError(
      `encodeSafetensors: the header would take ${padded} bytes, above the format's ${MAX_HEADER_BYTES}`,
    );
  }
  const bytes = new Uint8Array(padded).fill(0x20);
  bytes.set(json);
  return { header: bytes, dataLength: offset, order };
}

function allocate(plan: SafetensorsPlan): { out: Uint8Array; dataOffset: number } {
  const dataOffset = LENGTH_BYTES + plan.header.length;
  const out = new Uint8Array(dataOffset + plan.dataLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, plan.header.length, true);
  view.setUint32(4, 0, true);
  out.set(plan.header, LENGTH_BYTES);
  return { out, dataOffset };
}

function namedEntries(tensors: NamedTensors): [string, Tensor][] {
  if (tensors instanceof Map) return [...tensors.entries()];
  if (Symbol.iterator in tensors)
    return [...(tensors as Iterable<readonly [string, Tensor]>)].map(([n, t]) => [n, t]);
  return Object.entries(tensors as Readonly<Record<string, Tensor>>);
}

/** A JSON object from already encoded values, keeping the given key order (integer-like keys included). */
function objectJson(entries: readonly (readonly [string, string])[]): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`;
}

/** Strings must be well-formed UTF-16: a lone surrogate has no UTF-8 form, and other readers reject it. */
function checkText(what: string, text: string): void {
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) {
    throw new NeuriteError(`encodeSafetensors: ${what} ${JSON.stringify(text)} contains a lone surrogate`);
  }
}

/**
 * Orders strings by Unicode code point, which is the byte order of their UTF-8 forms and so the order
 * in which the reference implementation (Rust strings) sorts names. JavaScript's `<` compares UTF-16
 * code units, which puts U+E000–U+FFFF after astral characters.
 */
export function compareCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca !== cb) return codePointRank(ca) - codePointRank(cb);
  }
  return a.length - b.length;
}

/** Moves surrogates (astral characters) above U+E000–U+FFFF, restoring code point order. */
function codePointRank(unit: number): number {
  if (unit >= 0xd800 && unit <= 0xdfff) return unit + 0x2000;
  if (unit >= 0xe000) return unit - 0x800;
  return unit;
}

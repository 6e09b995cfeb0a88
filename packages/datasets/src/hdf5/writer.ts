import { lookup3 } from './lookup3.js';

/** Numeric element arrays the writer stores, with their HDF5 types (little-endian). */
export type H5Numeric =
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array;

/** A dataset: a numeric array (1-D unless `shape` says otherwise), ragged sequences, or strings. */
export type H5Dataset =
  | { readonly kind: 'array'; readonly data: H5Numeric; readonly shape?: readonly number[] }
  /** A 1-D dataset of variable-length sequences (HDF5 VLEN), all of one numeric type. */
  | {
      readonly kind: 'vlen';
      readonly data: readonly H5Numeric[];
      readonly type: H5Numeric;
      /** The sequences are Uint16Array bit patterns of IEEE half floats, stored as float16. */
      readonly float16?: boolean;
    }
  /** A 1-D dataset of fixed-length, null-padded UTF-8 strings as long as the longest. */
  | { readonly kind: 'strings'; readonly data: readonly string[] };

export interface H5Group {
  readonly [name: string]: H5Group | H5Dataset;
}

const SIZE = 8; // size of offsets and lengths
const UNDEF = 0xffffffffffffffffn;
const SUPERBLOCK_BYTES = 48;
const GCOL_MIN = 4096;
const GCOL_TARGET = 1 << 20;
const GCOL_MAX_OBJECTS = 0xffff;

function isDataset(node: H5Group | H5Dataset): node is H5Dataset {
  return typeof (node as H5Dataset).kind === 'string' && 'data' in node;
}

/**
 * Writes an HDF5 file (superblock v2, version-2 object headers with lookup3 checksums, compact link
 * storage, contiguous layout, global heap collections for variable-length data) holding a tree of
 * groups and datasets. It exists because h5wasm can read numeric variable-length datasets but cannot
 * create them, and the SHD/SSC layout needs them; what it writes is read back through h5wasm (the HDF5
 * C library) in the tests. Everything is little-endian.
 */
export function writeHdf5(root: H5Group): Uint8Array {
  const plan = new Planner();
  const rootNode = plan.group(root);
  plan.layout();
  return plan.serialize(rootNode);
}

// ---------------------------------------------------------------------------------------------- planning

interface Message {
  readonly type: number;
  readonly size: number;
  write(out: Out, at: number): void;
}

interface ObjectNode {
  readonly messages: Message[];
  address: number;
  readonly headerSize: number;
}

interface RawBlock {
  readonly bytes: (out: Out, at: number) => void;
  readonly size: number;
  address: number;
}

interface HeapObject {
  readonly data: Uint8Array;
  collection: number;
  index: number;
}

interface Collection {
  readonly objects: HeapObject[];
  size: number;
  address: number;
}

class Out {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.view = new DataView(this.bytes.buffer);
  }
  u8(at: number, v: number) {
    this.view.setUint8(at, v);
  }
  u16(at: number, v: number) {
    this.view.setUint16(at, v, true);
  }
  u32(at: number, v: number) {
    this.view.setUint32(at, v >>> 0, true);
  }
  u64(at: number, v: number | bigint) {
    this.view.setBigUint64(at, typeof v === 'bigint' ? v : BigInt(v), true);
  }
  ascii(at: number, s: string) {
    for (let i = 0; i < s.length; i++) this.bytes[at + i] = s.charCodeAt(i);
  }
}

class Planner {
  readonly objects: ObjectNode[] = [];
  readonly blocks: RawBlock[] = [];
  readonly heap: HeapObject[] = [];
  readonly collections: Collection[] = [];
  end = 0;

  group(tree: H5Group): ObjectNode {
    const children = Object.entries(tree).map(([name, child]) => {
      if (!name || name.includes('/') || new TextEncoder().encode(name).length > 255) {
        throw new Error(`HDF5 link name ${JSON.stringify(name)} must be 1–255 bytes without '/'`);
      }
      return { name, node: isDataset(child) ? this.dataset(child) : this.group(child) };
    });
    const messages: Message[] = [
      linkInfoMessage(),
      groupInfoMessage(),
      ...children.map((c) => linkMessage(c.name, c.node)),
    ];
    return this.object(messages);
  }

  dataset(d: H5Dataset): ObjectNode {
    let shape: readonly number[];
    let type: Uint8Array;
    let block: RawBlock;
    if (d.kind === 'array') {
      shape = d.shape ?? [d.data.length];
      if (shape.reduce((a, b) => a * b, 1) !== d.data.length)
        throw new Error(`HDF5 dataset shape [${shape}] does not hold ${d.data.length} values`);
      type = numericType(d.data);
      const data = new Uint8Array(d.data.buffer, d.data.byteOffset, d.data.byteLength);
      block = this.block(data.length, (out, at) => out.bytes.set(data, at));
    } else if (d.kind === 'strings') {
      shape = [d.data.length];
      const encoded = d.data.map((s) => new TextEncoder().encode(s));
      const width = Math.max(1, ...encoded.map((e) => e.length));
      type = stringType(width);
      block = this.block(width * encoded.length, (out, at) =>
        encoded.forEach((e, i) => {
          out.bytes.set(e, at + i * width);
        }),
      );
    } else {
      shape = [d.data.length];
      const base = d.float16 ? halfType() : numericType(d.type);
      type = vlenType(base);
      const refs = d.data.map((seq) => {
        if (seq.constructor !== d.type.constructor)
          throw new Error('HDF5 vlen sequences must all have the declared element type');
        return {
          length: seq.length,
          object: seq.length
            ? this.heapObject(new Uint8Array(seq.buffer, seq.byteOffset, seq.byteLength))
            : undefined,
        };
      });
      block = this.block(16 * refs.length, (out, at) =>
        refs.forEach((ref, i) => {
          const o = at + 16 * i;
          out.u32(o, ref.length);
          out.u64(o + 4, ref.object ? this.collections[ref.object.collection]!.address : 0);
          out.u32(o + 12, ref.object ? ref.object.index : 0);
        }),
      );
    }
    const messages = [
      dataspaceMessage(shape),
      datatypeMessage(type),
      fillValueMessage(),
      layoutMessage(block),
    ];
    return this.object(messages);
  }

  private object(messages: Message[]): ObjectNode {
    const body = messages.reduce((sum, m) => sum + 4 + m.size, 0);
    // OHDR, version, flags (4-byte chunk size), chunk size, messages, checksum.
    const node = { messages, address: 0, headerSize: 4 + 1 + 1 + 4 + body + 4 };
    this.objects.push(node);
    return node;
  }

  private block(size: number, bytes: RawBlock['bytes']): RawBlock {
    const b = { size, bytes, address: 0 };
    this.blocks.push(b);
    return b;
  }

  private heapObject(data: Uint8Array): HeapObject {
    const o = { data, collection: -1, index: 0 };
    this.heap.push(o);
    return o;
  }

  /** Assigns addresses: superblock, object headers, raw data, then heap collections. */
  layout(): void {
    let at = SUPERBLOCK_BYTES;
    // The root group is planned last (children first), so place headers in reverse to keep it first.
    for (const node of [...this.objects].reverse()) {
      node.address = at;
      at += node.headerSize;
    }
    for (const block of this.blocks) {
      at = align8(at);
      block.address = block.size ? at : -1;
      at += block.size;
    }
    let current: Collection | undefined;
    for (const object of this.heap) {
      const need = 16 + align8(object.data.length);
      if (
        !current ||
        current.objects.length >= GCOL_MAX_OBJECTS ||
        (current.size + need > GCOL_TARGET && current.objects.length > 0)
      ) {
        current = { objects: [], size: 16, address: 0 };
        this.collections.push(current);
      }
      object.collection = this.collections.length - 1;
      object.index = current.objects.length + 1;
      current.objects.push(object);
      current.size += need;
    }
    for (const c of this.collections) {
      c.size = Math.max(GCOL_MIN, c.size);
      at = align8(at);
      c.address = at;
      at += c.size;
    }
    this.end = at;
  }

  serialize(root: ObjectNode): Uint8Array {
    const out = new Out(this.end);
    // Superblock version 2.
    out.bytes.set([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a], 0);
    out.u8(8, 2);
    out.u8(9, SIZE);
    out.u8(10, SIZE);
    out.u8(11, 0);
    out.u64(12, 0);
    out.u64(20, UNDEF);
    out.u64(28, this.end);
    out.u64(36, root.address);
    out.u32(44, lookup3(out.bytes.subarray(0, 44)));
    for (const node of this.objects) {
      const a = node.address;
      out.ascii(a, 'OHDR');
      out.u8(a + 4, 2);
      out.u8(a + 5, 0x02);
      out.u32(a + 6, node.headerSize - 14);
      let p = a + 10;
      for (const m of node.messages) {
        out.u8(p, m.type);
        out.u16(p + 1, m.size);
        out.u8(p + 3, 0);
        m.write(out, p + 4);
        p += 4 + m.size;
      }
      out.u32(p, lookup3(out.bytes.subarray(a, p)));
    }
    for (const block of this.blocks) if (block.size) block.bytes(out, block.address);
    for (const c of this.collections) {
      const a = c.address;
      out.ascii(a, 'GCOL');
      out.u8(a + 4, 1);
      out.u64(a + 8, c.size);
      let p = a + 16;
      for (const o of c.objects) {
        out.u16(p, o.index);
        out.u16(p + 2, 0);
        out.u64(p + 8, o.data.length);
        out.bytes.set(o.data, p + 16);
        p += 16 + align8(o.data.length);
      }
      const free = a + c.size - p;
      // Free space large enough for an object header is described by object 0 (its size counts the header).
      if (free >= 16) {
        out.u16(p, 0);
        out.u64(p + 8, free);
      }
    }
    return out.bytes;
  }
}

function align8(n: number): number {
  return (n + 7) & ~7;
}

// ---------------------------------------------------------------------------------------------- messages

function linkInfoMessage(): Message {
  return {
    type: 0x02,
    size: 18,
    write(out, at) {
      out.u8(at, 0);
      out.u8(at + 1, 0);
      out.u64(at + 2, UNDEF); // no fractal heap: links are stored in the header
      out.u64(at + 10, UNDEF); // no name index
    },
  };
}

function groupInfoMessage(): Message {
  return {
    type: 0x0a,
    size: 2,
    write(out, at) {
      out.u8(at, 0);
      out.u8(at + 1, 0);
    },
  };
}

function linkMessage(name: string, target: ObjectNode): Message {
  const encoded = new TextEncoder().encode(name);
  return {
    type: 0x06,
    size: 2 + 1 + encoded.length + SIZE + 1,
    write(out, at) {
      out.u8(at, 1); // version
      out.u8(at + 1, 0x10); // 1-byte name length, hard link, charset field present
      out.u8(at + 2, 1); // UTF-8 name
      out.u8(at + 3, encoded.length);
      out.bytes.set(encoded, at + 4);
      out.u64(at + 4 + encoded.length, target.address);
    },
  };
}

function dataspaceMessage(shape: readonly number[]): Message {
  return {
    type: 0x01,
    size: 4 + SIZE * shape.length,
    write(out, at) {
      out.u8(at, 2);
      out.u8(at + 1, shape.length);
      out.u8(at + 2, 0); // no maximum dimensions (fixed size)
      out.u8(at + 3, 1); // simple
      shape.forEach((d, i) => {
        out.u64(at + 4 + SIZE * i, d);
      });
    },
  };
}

function datatypeMessage(type: Uint8Array): Message {
  return { type: 0x03, size: type.length, write: (out, at) => out.bytes.set(type, at) };
}

function fillValueMessage(): Message {
  // Version 3: late allocation, write the fill value only if one is set, none set.
  return {
    type: 0x05,
    size: 2,
    write(out, at) {
      out.u8(at, 3);
      out.u8(at + 1, 0x02 | (2 << 2));
    },
  };
}

function layoutMessage(block: RawBlock): Message {
  return {
    type: 0x08,
    size: 2 + 2 * SIZE,
    write(out, at) {
      out.u8(at, 3);
      out.u8(at + 1, 1); // contiguous
      out.u64(at + 2, block.size ? block.address : UNDEF);
      out.u64(at + 2 + SIZE, block.size);
    },
  };
}

// ---------------------------------------------------------------------------------------------- datatypes

function typeHeader(cls: number, bits: number, size: number, properties: number[]): Uint8Array {
  const out = new Uint8Array(8 + properties.length);
  out[0] = (1 << 4) | cls; // version 1
  out[1] = bits & 0xff;
  out[2] = (bits >> 8) & 0xff;
  out[3] = (bits >> 16) & 0xff;
  new DataView(out.buffer).setUint32(4, size, true);
  out.set(properties, 8);
  return out;
}

function u16le(v: number): number[] {
  return [v & 0xff, v >> 8];
}

function numericType(a: H5Numeric): Uint8Array {
  const bytes = a.BYTES_PER_ELEMENT;
  if (a instanceof Float32Array || a instanceof Float64Array) {
    const double = a instanceof Float64Array;
    const sign = double ? 63 : 31;
    const [expLoc, expSize, mantSize, bias] = double ? [52, 11, 52, 1023] : [23, 8, 23, 127];
    return typeHeader(1, (2 << 4) | (sign << 8), bytes, [
      ...u16le(0),
      ...u16le(bytes * 8),
      expLoc,
      expSize,
      0,
      mantSize,
      bias & 0xff,
      (bias >> 8) & 0xff,
      0,
      0,
    ]);
  }
  const signed = a instanceof Int8Array || a instanceof Int16Array || a instanceof Int32Array;
  return typeHeader(0, signed ? 0x08 : 0, bytes, [...u16le(0), ...u16le(bytes * 8)]);
}

function halfType(): Uint8Array {
  return typeHeader(1, (2 << 4) | (15 << 8), 2, [...u16le(0), ...u16le(16), 10, 5, 0, 10, 15, 0, 0, 0]);
}

function stringType(width: number): Uint8Array {
  return typeHeader(3, 1 | (1 << 4), width, []); // null-padded, UTF-8
}

function vlenType(base: Uint8Array): Uint8Array {
  return typeHeader(9, 0, 4 + SIZE + 4, [...base]); // sequence of `base`
}

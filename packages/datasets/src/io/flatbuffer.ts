import { ByteBuffer } from 'flatbuffers';

/** Where a FlatBuffer lies, for error messages: a failure reports the field and an offset inside the buffer. */
export type FlatFail = (field: string, expected: string, found: string, innerOffset?: number) => never;

/**
 * Read access to one FlatBuffer table through the `flatbuffers` runtime's ByteBuffer, checking every
 * offset, vtable and vector against the buffer first (the JavaScript runtime has no verifier, and reads
 * past the end silently return garbage). Field indices are the schema's field ids.
 */
export class FlatTable {
  private constructor(
    readonly bb: ByteBuffer,
    readonly pos: number,
    readonly fail: FlatFail,
    private readonly vtable: number,
    private readonly vtableSize: number,
    private readonly tableSize: number,
  ) {}

  /** The root table of `bytes`, optionally checking its 4-character file identifier. */
  static root(bytes: Uint8Array, fail: FlatFail, identifier?: string): FlatTable {
    const bb = new ByteBuffer(bytes);
    if (bytes.length < 8) fail('root offset', 'a FlatBuffer of at least 8 bytes', `${bytes.length} bytes`, 0);
    if (identifier !== undefined && !bb.__has_identifier(identifier)) {
      let found = '';
      for (let i = 4; i < 8; i++) found += String.fromCharCode(bytes[i]!);
      fail('file identifier', JSON.stringify(identifier), JSON.stringify(found), 4);
    }
    return FlatTable.at(bb, bb.readUint32(0), fail);
  }

  static at(bb: ByteBuffer, pos: number, fail: FlatFail): FlatTable {
    const n = bb.capacity();
    if (pos < 0 || pos + 4 > n)
      fail('table offset', `a table inside the ${n}-byte buffer`, `byte ${pos}`, pos);
    const vtable = pos - bb.readInt32(pos);
    if (vtable < 0 || vtable + 4 > n)
      fail('vtable offset', `a vtable inside the ${n}-byte buffer`, `byte ${vtable}`, pos);
    const vtableSize = bb.readUint16(vtable);
    const tableSize = bb.readUint16(vtable + 2);
    if (vtableSize < 4 || vtableSize % 2 !== 0 || vtable + vtableSize > n) {
      fail('vtable size', `an even size of at least 4 within the buffer`, String(vtableSize), vtable);
    }
    if (tableSize < 4 || pos + tableSize > n)
      fail('table size', 'a table inside the buffer', String(tableSize), vtable + 2);
    return new FlatTable(bb, pos, fail, vtable, vtableSize, tableSize);
  }

  /** Absolute position of field `id` (width `bytes`), or 0 when absent. */
  private field(id: number, bytes: number): number {
    const slot = 4 + 2 * id;
    if (slot + 2 > this.vtableSize) return 0;
    const offset = this.bb.readUint16(this.vtable + slot);
    if (offset === 0) return 0;
    if (offset + bytes > this.tableSize)
      this.fail(
        `field ${id}`,
        `inside the ${this.tableSize}-byte table`,
        `offset ${offset}`,
        this.vtable + slot,
      );
    return this.pos + offset;
  }

  int32(id: number, fallback: number): number {
    const at = this.field(id, 4);
    return at ? this.bb.readInt32(at) : fallback;
  }

  /** A 64-bit integer field; it must be exactly representable as a number. */
  int64(id: number, fallback: number): number {
    const at = this.field(id, 8);
    if (!at) return fallback;
    const value = this.bb.readInt64(at);
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) {
      this.fail(`field ${id}`, 'a 64-bit integer within ±2^53', value.toString(), at);
    }
    return Number(value);
  }

  /** Start and length of a vector field of `elementBytes`-byte elements (structs or scalars). */
  vector(id: number, elementBytes: number): { start: number; length: number } | undefined {
    const at = this.field(id, 4);
    if (!at) return undefined;
    const n = this.bb.capacity();
    const vec = at + this.bb.readUint32(at);
    if (vec + 4 > n) this.fail(`vector ${id}`, `a vector inside the ${n}-byte buffer`, `byte ${vec}`, at);
    const length = this.bb.readUint32(vec);
    if (vec + 4 + length * elementBytes > n) {
      this.fail(
        `vector ${id} length`,
        `at most ${Math.floor((n - vec - 4) / elementBytes)} elements`,
        String(length),
        vec,
      );
    }
    return { start: vec + 4, length };
  }

  /** Absolute position of an inline struct field of `bytes` bytes, or 0 when absent. */
  struct(id: number, bytes: number): number {
    return this.field(id, bytes);
  }

  /** The tables of a vector-of-tables field. */
  tables(id: number): FlatTable[] {
    const v = this.vector(id, 4);
    if (!v) return [];
    const out: FlatTable[] = [];
    for (let i = 0; i < v.length; i++) {
      const at = v.start + 4 * i;
      out.push(FlatTable.at(this.bb, at + this.bb.readUint32(at), this.fail));
    }
    return out;
  }

  string(id: number): string | undefined {
    const v = this.vector(id, 1);
    if (!v) return undefined;
    return new TextDecoder().decode(this.bb.bytes().subarray(v.start, v.start + v.length));
  }
}

import type { WasmEngine } from '../engine/engine.js';
import type { RingBlock } from '../engine/ring.js';

/** Addresses of lists of active indices: entries [start[i], start[i + 1]) of `idx` belong to row i. */
export interface ListsAt {
  readonly start: number;
  readonly idx: number;
  /** Active entries in all. */
  readonly nnz: number;
}

/** Lists kept in the engine's ring: one block holding start (count + 1 words) then idx (nnz words). */
interface Kept {
  readonly block: RingBlock;
  readonly count: number;
  readonly nnz: number;
}

interface Indexed {
  byRow?: Kept | undefined;
  byColumn?: Kept | undefined;
}

/**
 * Spike indices already built, per engine (each has its own memory and ring), per spike handle, then per
 * matrix within it (offset and shape), kept in wasm memory (the engine's ring), so keeping one costs no
 * JavaScript allocation. Tensors are immutable, so an index stays right as long as its handle lives, and
 * the WeakMaps let the entry go with the handle or the engine; the ring's block may be overwritten
 * sooner, and the entry is then rebuilt. A layer's spike input is indexed by its forward product (by
 * row) and used again, by column, by its weight gradient.
 */
const caches = new WeakMap<WasmEngine, WeakMap<Uint8Array, Map<string, Indexed>>>();

/**
 * The active entries of the spike matrix stored [R, C] from `offset` of `s`, as lists per row
 * (`byColumn` false: for each row r, its active columns c) or per column (for each column c, its
 * active rows r), both ascending. Built in wasm (counting and filling split across threads) unless the
 * cache still holds them; the addresses are valid for the rest of the kernel call.
 */
export function spikeLists(
  engine: WasmEngine,
  s: Uint8Array,
  offset: number,
  R: number,
  C: number,
  byColumn: boolean,
): ListsAt {
  const key = `${offset}:${R}:${C}`;
  let cache = caches.get(engine);
  if (!cache) caches.set(engine, (cache = new WeakMap()));
  let perHandle = cache.get(s);
  const entry = perHandle?.get(key) ?? {};
  const wanted = byColumn ? entry.byColumn : entry.byRow;
  if (wanted && engine.ring.intact(wanted.block)) return at(wanted);
  const arena = engine.arena;
  const exports = engine.exports;
  let rows: ListsAt;
  if (entry.byRow && engine.ring.intact(entry.byRow.block)) {
    rows = at(entry.byRow);
  } else {
    const sPtr = arena.alloc(R * C);
    const start = arena.alloc(4 * (R + 1));
    arena.u8(sPtr, R * C).set(s.subarray(offset, offset + R * C));
    engine.run('spikeCounts', [sPtr, R, C, start], (R * C) / 8);
    const nnz = exports.spikeOffsets(start, R);
    const idx = arena.alloc(4 * nnz);
    engine.run('spikeLists', [sPtr, R, C, start, idx], (R * C) / 4);
    rows = { start, idx, nnz };
    entry.byRow = keep(engine, rows, R);
  }
  let result = rows;
  if (byColumn) {
    const colStart = arena.alloc(4 * (C + 1));
    const colIdx = arena.alloc(4 * rows.nnz);
    const cursor = arena.alloc(4 * C);
    exports.spikeColumns(rows.start, rows.idx, R, C, colStart, colIdx, cursor);
    result = { start: colStart, idx: colIdx, nnz: rows.nnz };
    entry.byColumn = keep(engine, result, C);
  }
  if (!perHandle) cache.set(s, (perHandle = new Map()));
  perHandle.set(key, entry);
  return result;
}

/** The lists' addresses in the ring. */
function at(kept: Kept): ListsAt {
  const start = kept.block.at;
  return { start, idx: start + 4 * (kept.count + 1), nnz: kept.nnz };
}

/** Copies lists built in the arena into the ring; undefined when they are too large to keep. */
function keep(engine: WasmEngine, lists: ListsAt, count: number): Kept | undefined {
  const words = count + 1 + lists.nnz;
  const block = engine.ring.store(4 * words);
  if (!block) return undefined;
  const memory = engine.arena.memory;
  const to = new Int32Array(memory.buffer, block.at, words);
  to.set(new Int32Array(memory.buffer, lists.start, count + 1));
  to.set(new Int32Array(memory.buffer, lists.idx, lists.nnz), count + 1);
  return { block, count, nnz: lists.nnz };
}

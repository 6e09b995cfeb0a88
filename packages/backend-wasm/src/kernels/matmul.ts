import { type DataArray, type KernelInput, sizeOf } from '@neurite/kernel';
import type { WasmEngine } from '../engine/engine.js';
import { batchIndex } from './batch.js';
import type { WasmKernel } from './kernel.js';
import { type ListsAt, spikeLists } from './spike-index.js';

interface MatmulAttrs {
  readonly transA: boolean;
  readonly transB: boolean;
}

const roundUp = (n: number, m: number) => Math.ceil(n / m) * m;

/**
 * `matmul` ([..., M, K] × [..., K, N], leading axes broadcast, either operand transposed). A spike operand
 * runs the event-driven kernels (S·B and Sᵀ·G on the left, A·S = (Sᵀ·Aᵀ)ᵀ on the right: the weight
 * gradient of a Linear layer); anything else the packed SIMD GEMM. Inputs of
 * any dtype are converted to float32 on their way into wasm memory; float64 results fall back to cpu.
 */
export const matmul: WasmKernel<MatmulAttrs> = ({ inputs: [a, b], attrs, outputs: [o] }, engine) => {
  if (o!.dtype !== 'float32') return null;
  const as = a!.shape;
  const bs = b!.shape;
  const { transA, transB } = attrs;
  const M = transA ? as.at(-1)! : as.at(-2)!;
  const K = transA ? as.at(-2)! : as.at(-1)!;
  const N = transB ? bs.at(-2)! : bs.at(-1)!;
  const out = new Float32Array(sizeOf(o!.shape));
  if (out.length === 0) return [out];
  const batchShape = o!.shape.slice(0, -2);
  const aIndex = batchIndex(batchShape, as.slice(0, -2));
  const bIndex = batchIndex(batchShape, bs.slice(0, -2));
  // One right operand for every batch of a row-major left one (a layer's weight applied at every
  // step): the batches are one matrix of all their rows, so one product replaces many small ones.
  if (aIndex.length > 1 && !transA && bIndex.every((i) => i === bIndex[0]) && isSequence(aIndex)) {
    const rows = aIndex.length * M;
    const one = Int32Array.of(0);
    const b0 = b!.handle.subarray(bIndex[0]! * K * N, (bIndex[0]! + 1) * K * N);
    product(engine, { ...a!, shape: [rows, K] }, { ...b!, handle: b0 }, out, {
      M: rows,
      K,
      N,
      transA,
      transB,
      aIndex: one,
      bIndex: one,
    });
    return [out];
  }
  product(engine, a!, b!, out, { M, K, N, transA, transB, aIndex, bIndex });
  return [out];
};

/** Batch indices 0, 1, 2, …: the operand's batches follow one another in memory, in output order. */
const isSequence = (index: Int32Array) => index.every((i, k) => i === k);

/** A product's sizes, transposes and, per output batch, the batch of each operand it reads. */
export interface Dims {
  readonly M: number;
  readonly K: number;
  readonly N: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly aIndex: Int32Array;
  readonly bIndex: Int32Array;
  /**
   * Runs on each batch's result [M, N] in the arena (at `c`) before it is copied out; it may allocate
   * in the arena (views are taken afresh after it).
   */
  readonly epilogue?: (c: number) => void;
}

/**
 * out = A·B batch by batch, on the kernel that fits the operands: event-driven for a spike operand,
 * the packed GEMM otherwise.
 */
export function product(
  engine: WasmEngine,
  a: KernelInput<DataArray>,
  b: KernelInput<DataArray>,
  out: Float32Array,
  dims: Dims,
): void {
  engine.arena.reset();
  if (a.dtype === 'spike') spikeProduct(engine, a.handle as Uint8Array, b.handle, out, dims);
  else if (b.dtype === 'spike') spikeRightProduct(engine, a.handle, b.handle as Uint8Array, out, dims);
  else denseProduct(engine, a.handle, b.handle, out, dims);
}

function denseProduct(engine: WasmEngine, a: DataArray, b: DataArray, out: Float32Array, d: Dims): void {
  const { M, K, N } = d;
  const arena = engine.arena;
  const aPtr = arena.alloc(4 * M * K);
  const bPtr = arena.alloc(4 * K * N);
  const apPtr = arena.alloc(4 * roundUp(M, 4) * K);
  const bpPtr = arena.alloc(4 * roundUp(N, 8) * K);
  const cPtr = arena.alloc(4 * M * N);
  const tile = arena.alloc(128 * engine.threads);
  let packedB = -1;
  for (let batch = 0; batch < d.aIndex.length; batch++) {
    const aOff = d.aIndex[batch]! * M * K;
    arena.f32(aPtr, M * K).set(a.subarray(aOff, aOff + M * K));
    // A broadcast right operand (the weight of a batched product) is copied and packed once.
    if (d.bIndex[batch] !== packedB) {
      packedB = d.bIndex[batch]!;
      const bOff = packedB * K * N;
      arena.f32(bPtr, K * N).set(b.subarray(bOff, bOff + K * N));
      engine.run('gemmPackB', [bPtr, K, N, d.transB ? 1 : 0, bpPtr], K * N);
    }
    engine.run('gemm', [aPtr, d.transA ? 1 : 0, apPtr, bpPtr, cPtr, M, K, N, tile], M * N * K);
    d.epilogue?.(cPtr);
    out.set(arena.f32(cPtr, M * N), batch * M * N);
  }
}

/**
 * Rows matrices larger than this (bytes) are gathered in blocks that stay in the L2 cache, when each row
 * is read often enough (on average REUSE times or more) for the blocks to pay for their extra passes.
 */
const GATHER_CACHE_BYTES = 1 << 20;
const GATHER_BLOCK_BYTES = 1 << 18;
const GATHER_BLOCK_REUSE = 16;

/** out[M, W] = for each output row, the sum of the rows [K, W] its list selects. */
function gather(
  engine: WasmEngine,
  lists: ListsAt,
  rows: number,
  out: number,
  M: number,
  W: number,
  K: number,
) {
  const work = lists.nnz * W;
  if (4 * K * W <= GATHER_CACHE_BYTES || lists.nnz < GATHER_BLOCK_REUSE * K) {
    engine.run('spikeGather', [lists.start, lists.idx, rows, out, M, W], work);
    return;
  }
  const block = Math.max(16, Math.floor(GATHER_BLOCK_BYTES / (4 * W)));
  const cursor = engine.arena.alloc(4 * M);
  engine.run('spikeGatherBlocked', [lists.start, lists.idx, rows, out, M, W, K, block, cursor], work);
}

/**
 * S·B (S stored [M, K]) or Sᵀ·G (transA: S stored [K, M]) with S spikes: output row m gathers the rows of
 * B (as [K, N]) that its active k select, from the spike lists by row or, for Sᵀ, by column.
 */
function spikeProduct(engine: WasmEngine, s: Uint8Array, b: DataArray, out: Float32Array, d: Dims): void {
  const { M, K, N } = d;
  const arena = engine.arena;
  // The right operand is needed as rows of its mathematical [K, N] form.
  const bPtr = arena.alloc(4 * K * N);
  const rowsPtr = d.transB ? arena.alloc(4 * K * N) : bPtr;
  const cPtr = arena.alloc(4 * M * N);
  const mark = arena.mark();
  let loadedB = -1;
  for (let batch = 0; batch < d.aIndex.length; batch++) {
    arena.release(mark);
    const sOff = d.aIndex[batch]! * M * K;
    const lists = d.transA
      ? spikeLists(engine, s, sOff, K, M, true)
      : spikeLists(engine, s, sOff, M, K, false);
    if (d.bIndex[batch] !== loadedB) {
      loadedB = d.bIndex[batch]!;
      const bOff = loadedB * K * N;
      arena.f32(bPtr, K * N).set(b.subarray(bOff, bOff + K * N));
      if (d.transB) engine.run('transpose', [bPtr, N, K, rowsPtr], K * N);
    }
    gather(engine, lists, rowsPtr, cPtr, M, N, K);
    d.epilogue?.(cPtr);
    out.set(arena.f32(cPtr, M * N), batch * M * N);
  }
}

/**
 * A·S with S spikes: computed transposed, (Sᵀ·Aᵀ)ᵀ: row n of the [N, M] transpose gathers the rows of Aᵀ
 * ([K, M]: A itself when stored transposed) that the active k of column n of S select (the spike lists
 * by column of S stored [K, N], or by row of S stored [N, K]), then one transpose puts it in place.
 */
function spikeRightProduct(
  engine: WasmEngine,
  a: DataArray,
  s: Uint8Array,
  out: Float32Array,
  d: Dims,
): void {
  const { M, K, N } = d;
  const arena = engine.arena;
  const aPtr = arena.alloc(4 * M * K);
  const rowsPtr = d.transA ? aPtr : arena.alloc(4 * K * M);
  const tPtr = arena.alloc(4 * N * M);
  const cPtr = arena.alloc(4 * M * N);
  const mark = arena.mark();
  let loadedA = -1;
  for (let batch = 0; batch < d.aIndex.length; batch++) {
    arena.release(mark);
    if (d.aIndex[batch] !== loadedA) {
      loadedA = d.aIndex[batch]!;
      const aOff = loadedA * M * K;
      arena.f32(aPtr, M * K).set(a.subarray(aOff, aOff + M * K));
      if (!d.transA) engine.run('transpose', [aPtr, M, K, rowsPtr], M * K);
    }
    const sOff = d.bIndex[batch]! * K * N;
    const lists = d.transB
      ? spikeLists(engine, s, sOff, N, K, false)
      : spikeLists(engine, s, sOff, K, N, true);
    gather(engine, lists, rowsPtr, tPtr, N, M, K);
    engine.run('transpose', [tPtr, N, M, cPtr], M * N);
    d.epilogue?.(cPtr);
    out.set(arena.f32(cPtr, M * N), batch * M * N);
  }
}

import { type DataArray, sizeOf } from '@neurite/kernel';
import type { WasmEngine } from '../engine/engine.js';
import { batchIndex } from './batch.js';
import type { WasmKernel } from './kernel.js';

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
  const dims: Dims = {
    M,
    K,
    N,
    transA,
    transB,
    aIndex: batchIndex(batchShape, as.slice(0, -2)),
    bIndex: batchIndex(batchShape, bs.slice(0, -2)),
  };
  engine.arena.reset();
  if (a!.dtype === 'spike') spikeProduct(engine, a!.handle as Uint8Array, b!.handle, out, dims);
  else if (b!.dtype === 'spike') spikeRightProduct(engine, a!.handle, b!.handle as Uint8Array, out, dims);
  else denseProduct(engine, a!.handle, b!.handle, out, dims);
  return [out];
};

interface Dims {
  readonly M: number;
  readonly K: number;
  readonly N: number;
  readonly transA: boolean;
  readonly transB: boolean;
  readonly aIndex: Int32Array;
  readonly bIndex: Int32Array;
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
  const aView = arena.f32(aPtr, M * K);
  const bView = arena.f32(bPtr, K * N);
  const cView = arena.f32(cPtr, M * N);
  let packedB = -1;
  for (let batch = 0; batch < d.aIndex.length; batch++) {
    const aOff = d.aIndex[batch]! * M * K;
    aView.set(a.subarray(aOff, aOff + M * K));
    // A broadcast right operand (the weight of a batched product) is copied and packed once.
    if (d.bIndex[batch] !== packedB) {
      packedB = d.bIndex[batch]!;
      const bOff = packedB * K * N;
      bView.set(b.subarray(bOff, bOff + K * N));
      engine.run('gemmPackB', [bPtr, K, N, d.transB ? 1 : 0, bpPtr], K * N);
    }
    engine.run('gemm', [aPtr, d.transA ? 1 : 0, apPtr, bpPtr, cPtr, M, K, N, tile], M * N * K);
    out.set(cView, batch * M * N);
  }
}

function spikeProduct(engine: WasmEngine, s: Uint8Array, b: DataArray, out: Float32Array, d: Dims): void {
  const { M, K, N } = d;
  const arena = engine.arena;
  const sPtr = arena.alloc(M * K);
  const bPtr = arena.alloc(4 * K * N);
  // The right operand is needed as rows of its mathematical [K, N] form.
  const rowsPtr = d.transB ? arena.alloc(4 * K * N) : bPtr;
  // One row's active list per part: K indices for S·B, M for Sᵀ·G.
  const scratch = arena.alloc(4 * (d.transA ? M : K) * engine.threads);
  const cPtr = arena.alloc(4 * M * N);
  const sView = arena.u8(sPtr, M * K);
  const bView = arena.f32(bPtr, K * N);
  const cView = arena.f32(cPtr, M * N);
  // Spikes are sparse: count the work as an eighth of the dense product.
  const work = (M * N * K) / 8;
  let loadedB = -1;
  for (let batch = 0; batch < d.aIndex.length; batch++) {
    const sOff = d.aIndex[batch]! * M * K;
    sView.set(s.subarray(sOff, sOff + M * K));
    if (d.bIndex[batch] !== loadedB) {
      loadedB = d.bIndex[batch]!;
      const bOff = loadedB * K * N;
      bView.set(b.subarray(bOff, bOff + K * N));
      if (d.transB) engine.run('transpose', [bPtr, N, K, rowsPtr], K * N);
    }
    if (d.transA) engine.run('spikeMatmulTransA', [sPtr, rowsPtr, cPtr, M, K, N, scratch], work);
    else engine.run('spikeMatmul', [sPtr, rowsPtr, cPtr, M, K, N, scratch], work);
    out.set(cView, batch * M * N);
  }
}

/**
 * A·S with S spikes: the product is computed transposed, (Sᵀ·Aᵀ)ᵀ, with S as the event-driven left
 * operand and Aᵀ's rows [K, M] (A itself when stored transposed), then transposed into place.
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
  const sPtr = arena.alloc(K * N);
  const aPtr = arena.alloc(4 * M * K);
  const rowsPtr = d.transA ? aPtr : arena.alloc(4 * K * M);
  const scratch = arena.alloc(4 * (d.transB ? K : N) * engine.threads);
  const tPtr = arena.alloc(4 * N * M);
  const cPtr = arena.alloc(4 * M * N);
  const sView = arena.u8(sPtr, K * N);
  const aView = arena.f32(aPtr, M * K);
  const cView = arena.f32(cPtr, M * N);
  const work = (M * N * K) / 8;
  let loadedA = -1;
  for (let batch = 0; batch < d.aIndex.length; batch++) {
    if (d.aIndex[batch] !== loadedA) {
      loadedA = d.aIndex[batch]!;
      const aOff = loadedA * M * K;
      aView.set(a.subarray(aOff, aOff + M * K));
      if (!d.transA) engine.run('transpose', [aPtr, M, K, rowsPtr], M * K);
    }
    const sOff = d.bIndex[batch]! * K * N;
    sView.set(s.subarray(sOff, sOff + K * N));
    // Sᵀ is S stored [K, N] used transposed, or S stored [N, K] (transB) as it is.
    if (d.transB) engine.run('spikeMatmul', [sPtr, rowsPtr, tPtr, N, K, M, scratch], work);
    else engine.run('spikeMatmulTransA', [sPtr, rowsPtr, tPtr, N, K, M, scratch], work);
    engine.run('transpose', [tPtr, N, M, cPtr], M * N);
    out.set(cView, batch * M * N);
  }
}

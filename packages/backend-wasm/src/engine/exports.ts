/**
 * The functions the compiled module exports (assembly/index.ts). Addresses are byte offsets into the
 * one linear memory. Kernels that may run on several threads end with (part, parts).
 */
export interface KernelExports {
  heapBase(): number;
  gemm(
    a: number,
    transA: number,
    ap: number,
    bp: number,
    c: number,
    M: number,
    K: number,
    N: number,
    tile: number,
    part: number,
    parts: number,
  ): void;
  gemmPackB(
    src: number,
    K: number,
    N: number,
    transB: number,
    dst: number,
    part: number,
    parts: number,
  ): void;
  spikeMatmul(
    s: number,
    b: number,
    out: number,
    M: number,
    K: number,
    N: number,
    scratch: number,
    part: number,
    parts: number,
  ): void;
  spikeMatmulTransA(
    s: number,
    g: number,
    out: number,
    M: number,
    K: number,
    N: number,
    scratch: number,
    part: number,
    parts: number,
  ): void;
  transpose(src: number, rows: number, cols: number, dst: number, part: number, parts: number): void;
  /** Arguments in a descriptor block (see assembly/lif.ts). */
  lifScanForward(desc: number, part: number, parts: number): void;
  lifScanBackward(desc: number, part: number, parts: number): void;
  // Single-threaded (memory-bound; the copies in and out dominate).
  binaryOp(
    op: number,
    a: number,
    b: number,
    out: number,
    outer: number,
    inner: number,
    sa: number,
    sb: number,
    ia: number,
    ib: number,
  ): void;
  sumMiddle(x: number, out: number, outer: number, r: number, inner: number, acc: number): void;
  adamUpdate(
    desc: number,
    p: number,
    g: number,
    m: number,
    v: number,
    vMax: number,
    outP: number,
    outM: number,
    outV: number,
    outVMax: number,
    n: number,
  ): void;
}

/** The exports that split their work into (part, parts) and can run on the thread pool. */
export type ParallelKernel = (typeof PARALLEL_KERNELS)[number];

/** Their leading arguments, without (part, parts). */
export type KernelArgs<K extends ParallelKernel> =
  Parameters<KernelExports[K]> extends [...infer A, number, number] ? A : never;

/** Every parallel export by name, in a fixed order: the thread pool addresses them by index. */
export const PARALLEL_KERNELS = [
  'gemm',
  'gemmPackB',
  'spikeMatmul',
  'spikeMatmulTransA',
  'transpose',
  'lifScanForward',
  'lifScanBackward',
] as const satisfies readonly (keyof KernelExports)[];

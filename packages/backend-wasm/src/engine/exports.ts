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
  /** Fills the table the spike-index kernels read; once per memory. */
  initSpikeTables(): void;
  spikeCounts(s: number, R: number, C: number, counts: number, part: number, parts: number): void;
  /** Turns counts into offsets in place; returns the total. */
  spikeOffsets(counts: number, R: number): number;
  spikeLists(s: number, R: number, C: number, start: number, cols: number, part: number, parts: number): void;
  spikeColumns(
    start: number,
    cols: number,
    R: number,
    C: number,
    colStart: number,
    rows: number,
    cursor: number,
  ): void;
  spikeGather(
    start: number,
    idx: number,
    rows: number,
    out: number,
    M: number,
    N: number,
    part: number,
    parts: number,
  ): void;
  spikeGatherBlocked(
    start: number,
    idx: number,
    rows: number,
    out: number,
    M: number,
    N: number,
    K: number,
    block: number,
    cursor: number,
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
  sumMiddle(
    x: number,
    out: number,
    outer: number,
    r: number,
    inner: number,
    acc: number,
    part: number,
    parts: number,
  ): void;
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
    part: number,
    parts: number,
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
  'spikeCounts',
  'spikeLists',
  'spikeGather',
  'spikeGatherBlocked',
  'transpose',
  'lifScanForward',
  'lifScanBackward',
  'sumMiddle',
  'adamUpdate',
] as const satisfies readonly (keyof KernelExports)[];

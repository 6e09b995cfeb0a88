// The kernels the TypeScript side calls. Every export takes raw byte addresses into the one linear
// memory plus sizes; parallel kernels end with (part, parts) and compute only their share.
export { adamUpdate } from './adam';
export { binaryOp } from './elementwise';
export { gemm, gemmPackB } from './gemm';
export { lifScanBackward } from './lif-backward';
export { lifScanForward } from './lif-forward';
export { sumMiddle } from './reduce';
export { spikeGather, spikeGatherBlocked } from './spike';
export { initSpikeTables, spikeColumns, spikeCounts, spikeLists, spikeOffsets } from './spike-index';
export { transpose } from './transpose';

/** First byte after the module's static data: where the host's scratch arena may start. */
export function heapBase(): usize {
  return __heap_base;
}

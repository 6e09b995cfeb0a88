import { NeuriteError } from '@neurite/kernel';

/**
 * Kernels cannot throw, so an indexing kernel that meets an index outside its axis records it in a
 * small device buffer (the first one wins) and writes zero instead; the next read or flush reports it
 * as the error the cpu kernel would have thrown.
 */
export const FAULT_OPS = ['index_select', 'index_add', 'gather', 'scatter_add'] as const;
export type FaultOp = (typeof FAULT_OPS)[number];

/** WGSL that records a fault: binding `fault` is array<atomic<u32>, 4> (count, op, index, limit). */
export function faultWgsl(binding: number): string {
  return `
@group(0) @binding(${binding}) var<storage, read_write> fault: array<atomic<u32>, 4>;
fn report_fault(op: u32, index: i32, limit: u32) {
  if (atomicAdd(&fault[0], 1u) == 0u) {
    atomicStore(&fault[1], op);
    atomicStore(&fault[2], bitcast<u32>(index));
    atomicStore(&fault[3], limit);
  }
}`;
}

export function faultCode(op: FaultOp): number {
  return FAULT_OPS.indexOf(op);
}

/** The error a fault record describes, or null when none was recorded. */
export function faultError(words: Uint32Array): NeuriteError | null {
  if (words[0] === 0) return null;
  const op = FAULT_OPS[words[1]!] ?? 'an indexing kernel';
  const index = words[2]! | 0;
  return new NeuriteError(`${op}: index ${index} is outside [0, ${words[3]}) (found on the webgpu device)`);
}

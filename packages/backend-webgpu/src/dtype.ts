import { BackendError, type DType, sizeOf, type TensorMeta } from '@neurite/kernel';

/** The dtypes tensors on the device may have. WGSL has no 64-bit floats. */
export type DeviceDType = 'float32' | 'int32' | 'spike';

/**
 * Spikes stay one byte per element on the device, four to a 32-bit word (WGSL has no 8-bit storage
 * type): element i is byte i % 4 of word i / 4, little-endian, which is exactly the host's Uint8Array
 * layout, so uploads and readbacks copy bytes unchanged. Kernels that write spikes give each
 * invocation whole words, so no two invocations write one word.
 */
export function bytesOf(meta: TensorMeta): number {
  return sizeOf(meta.shape) * (meta.dtype === 'spike' ? 1 : 4);
}

export function assertDeviceDType(what: string, dtype: DType): asserts dtype is DeviceDType {
  if (dtype === 'float64') {
    throw new BackendError(`${what}: float64 is not supported on WebGPU (WGSL has no 64-bit floats)`, {
      hint: 'keep float64 work such as gradcheck on the cpu backend, or cast to float32 first',
    });
  }
}

/** Rounds a byte count up to a multiple of 4 (copies and writes on a GPU queue move whole words). */
export function align4(bytes: number): number {
  return (bytes + 3) & ~3;
}

// GPUBufferUsage and GPUMapMode values, spelled out so that the package never needs the binding's
// globals installed on globalThis (they are constants of the WebGPU specification).
export const Usage = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

export const MapMode = { READ: 0x0001, WRITE: 0x0002 } as const;

import type * as H5wasm from 'h5wasm';

/** The in-memory build of h5wasm (the HDF5 C library compiled to WebAssembly; browsers and Node). */
export interface H5Lib {
  readonly File: typeof H5wasm.File;
  readonly Dataset: typeof H5wasm.Dataset;
  readonly Group: typeof H5wasm.Group;
  readonly module: Awaited<typeof H5wasm.ready>;
}

let loaded: Promise<H5Lib> | undefined;

/** Loads h5wasm once per process. */
export function h5lib(): Promise<H5Lib> {
  loaded ??= import('h5wasm').then(async (m) => {
    const lib = m.default;
    return { File: lib.File, Dataset: lib.Dataset, Group: lib.Group, module: await lib.ready };
  });
  return loaded;
}

let counter = 0;

/** A fresh path in h5wasm's in-memory file system (removed by the caller). */
export function scratchPath(): string {
  counter += 1;
  return `/neurite-nir-${counter}-${Math.random().toString(36).slice(2, 10)}.h5`;
}

/** The first line of an error from the HDF5 library, short enough for a one-line message. */
export function describeError(cause: unknown): string {
  const text = cause instanceof Error ? cause.message : String(cause);
  return (
    text
      .split('\n')
      .find((l) => l.trim())
      ?.trim()
      .slice(0, 200) ?? 'an unreadable file'
  );
}

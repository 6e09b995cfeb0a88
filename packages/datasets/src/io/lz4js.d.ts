// Types for the parts of lz4js (pure-JavaScript LZ4, no bundled types) this package uses.
declare module 'lz4js' {
  /** Decodes one LZ4 block from `src[sIndex, sIndex + sLength)` into `dst` at `dIndex`; returns the end index. */
  export function decompressBlock(
    src: Uint8Array,
    dst: Uint8Array,
    sIndex: number,
    sLength: number,
    dIndex: number,
  ): number;
}

declare module 'lz4js/xxh32.js' {
  export function hash(seed: number, src: Uint8Array, index: number, length: number): number;
}

import { readHdf5 } from '../hdf5/read.js';
import { writeHdf5 } from '../hdf5/write.js';
import { parseNirTree } from './parse.js';
import { nirTree } from './serialize.js';
import { NIR_WRITE_VERSION, type NirDocument, type NirGraph } from './types.js';

/**
 * Reads a `.nir` file (HDF5) from its bytes: NIR file versions 0.1.x, 0.2.x and 1.0.x, gzip-compressed
 * or not. Corrupt or truncated bytes are a FormatError naming `file` and the HDF5 path.
 */
export async function readNir(bytes: Uint8Array, file = '(bytes)'): Promise<NirDocument> {
  const tree = await readHdf5(bytes, { file, format: 'nir' });
  return parseNirTree(tree, file);
}

/** Writes a NIR graph as `.nir` bytes readable by the reference library's `nir.read`. */
export async function writeNir(graph: NirGraph, options: { version?: string } = {}): Promise<Uint8Array> {
  return writeHdf5(nirTree({ version: options.version ?? NIR_WRITE_VERSION, graph }));
}

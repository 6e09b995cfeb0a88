import type { H5Group, H5NumericValue, H5Value } from '../hdf5/tree.js';

/**
 * The NIR graph as this package holds it: the node types and field names of the reference library
 * (`nir`, Python), values kept in the precision the file stored them in (float32 or float64 arrays,
 * 64-bit integers), so a file read and written back keeps every number.
 */

/** A numeric array with its shape and element type ([] for a scalar). */
export type NirArray = H5NumericValue;

/** A field of a node: a numeric array, or a string (a convolution's `padding` may be 'same' or 'valid'). */
export type NirField = H5Value;

/** Any node other than a graph: its NIR type name and its fields by NIR's names (`v_threshold`, …). */
export interface NirLeaf {
  readonly type: string;
  readonly fields: ReadonlyMap<string, NirField>;
  /** The node's `metadata` group, carried through unchanged. */
  readonly metadata?: H5Group | undefined;
}

/** A (possibly nested) NIR graph: named nodes and [from, to] edges; several edges into a node are summed. */
export interface NirGraph {
  readonly type: 'NIRGraph';
  readonly nodes: ReadonlyMap<string, NirNode>;
  readonly edges: readonly (readonly [string, string])[];
  readonly metadata?: H5Group | undefined;
}

export type NirNode = NirLeaf | NirGraph;

/** A `.nir` file: the format version it was written with and the root graph. */
export interface NirDocument {
  readonly version: string;
  readonly graph: NirGraph;
}

export function isGraph(node: NirNode): node is NirGraph {
  return node.type === 'NIRGraph';
}

/** The version this package writes: the layout of the reference library's `nir.write` (NIR 1.0.x). */
export const NIR_WRITE_VERSION = '1.0.7';

import type { Tensor } from '../tensor/tensor.js';

/**
 * Options of each node type, by type name. Open for declaration merging, so a node spec written in
 * TypeScript is checked against every installed plugin's options:
 * `declare module '@neurite/kernel' { interface NodeOptions { lif: { beta?: number } } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by declaration merging
export interface NodeOptions {}

type KnownNodeSpec = { [K in keyof NodeOptions]: { type: K } & NodeOptions[K] }[keyof NodeOptions];

/** One node: its type and its options, flattened into one JSON object. */
export type NodeSpec = KnownNodeSpec | ({ type: string } & Record<string, unknown>);

/** A dataflow graph as JSON. Several edges into one node are summed (as in NIR). */
export interface GraphSpec {
  readonly nodes: Readonly<Record<string, NodeSpec>>;
  readonly edges: readonly (readonly [string, string])[];
}

/** A model as consumers of the graph form (NIR export, hardware targets) receive it. */
export interface ModelGraph {
  /** The model's root node (usually `sequential` or `graph`), options fully resolved. */
  readonly spec: NodeSpec;
  /** Parameters and buffers by dotted name. */
  readonly state: ReadonlyMap<string, Tensor>;
}

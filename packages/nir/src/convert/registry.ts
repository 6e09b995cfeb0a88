import type { Module, NodeSpec, Runtime, Tensor } from '@neurite/kernel';
import type { NirArray, NirLeaf } from '../ir/types.js';
import type { Convention } from '../nodes/discretise.js';

/**
 * The two registry kinds this plugin adds, so other plugins can say what their node types mean in NIR
 * without this package depending on them:
 *
 * ```ts
 * ctx.register('nir-export', { name: 'dcls-conv1d', description: '…', toNir: (c) => ({ nodes: {…}, edges, input, output }) });
 * ctx.register('nir-import', { name: 'MyNirNode', description: '…', toNeurite: (node, c) => ({ spec, state }) });
 * ```
 */
declare module '@neurite/kernel' {
  interface RegistryKinds {
    'nir-export': NirExportDef;
    'nir-import': NirImportDef;
  }
}

// ------------------------------------------------------------------------------------------- import

export interface NirImportContext {
  readonly runtime: Runtime;
  /** Time step of the simulation, in seconds. */
  readonly dt: number;
  readonly convention: Convention;
  /** The node's name in its graph (for messages). */
  readonly path: string;
  /** Per-sample shapes flowing into and out of the node, where the graph's shapes can be inferred. */
  readonly inputShape: readonly number[] | undefined;
  readonly outputShape: readonly number[] | undefined;
}

/** A neurite node and its tensors (named as the built module names its parameters and buffers). */
export interface ImportedNode {
  readonly spec: NodeSpec;
  readonly state: ReadonlyMap<string, Tensor>;
}

/** Turns one NIR node type (by its NIR name, e.g. `LIF`) into a neurite node. */
export interface NirImportDef {
  readonly name: string;
  readonly description: string;
  toNeurite(node: NirLeaf, ctx: NirImportContext): ImportedNode;
}

// ------------------------------------------------------------------------------------------- export

export interface NirExportContext {
  readonly runtime: Runtime;
  /** The node's options as its spec has them (defaults applied), and its type. */
  readonly spec: NodeSpec;
  /** The built module (for anything the spec does not say). */
  readonly module: Module;
  /** The module's parameters and buffers (host copies; float64 stays float64), by local name. */
  readonly state: ReadonlyMap<string, NirArray>;
  /** Per-sample shapes: what one time step of one sample looks like going in and coming out. */
  readonly inputShape: readonly number[];
  readonly outputShape: readonly number[];
  /** The time step the discrete model stands for, in seconds (maps decays to time constants). */
  readonly dt: number;
  readonly path: string;
  /**
   * Reports a mapping that changes behaviour (e.g. reset by subtraction, which NIR lacks): an error
   * naming the node, unless the caller allowed lossy export, in which case it becomes a warning.
   */
  lossy(message: string): void;
}

/** Several NIR nodes standing for one neurite node, e.g. DCLS → Delay + Affine. */
export interface NirFragment {
  readonly nodes: Readonly<Record<string, NirLeaf>>;
  readonly edges: readonly (readonly [string, string])[];
  /** The fragment node that receives the input, and the one whose output leaves the fragment. */
  readonly input: string;
  readonly output: string;
}

/**
 * What a neurite node type (by its node type name, e.g. `lif`) is in NIR: one node, a fragment, or
 * `'identity'` (the node passes its input through at inference, e.g. dropout, and is left out). An
 * `encoder` (it turns static data into spikes, e.g. a rate encoder) marks where the NIR graph starts:
 * it and the layers before it are left out, and the NIR input is the encoder's output per time step.
 */
export interface NirExportDef {
  readonly name: string;
  readonly description: string;
  readonly encoder?: boolean;
  toNir(ctx: NirExportContext): NirLeaf | NirFragment | 'identity';
}

export function isFragment(x: NirLeaf | NirFragment): x is NirFragment {
  return 'nodes' in x && 'input' in x && !('type' in x);
}

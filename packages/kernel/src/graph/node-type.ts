import type { Type } from 'arktype';
import type { Module } from '../nn/module.js';
import type { Rng } from '../random/rng.js';
import type { Runtime } from '../runtime.js';
import type { Tensor } from '../tensor/tensor.js';
import type { NodeSpec } from './spec.js';

/** What a node type's factory receives besides its options. */
export interface BuildContext {
  readonly runtime: Runtime;
  /** The random stream for this node's initialisation (split per node, so order does not matter). */
  readonly rng: Rng;
  /** Dotted path of the node in the model, for messages. */
  readonly path: string;
  /** Builds a nested node spec (containers such as `sequential` and `graph` use it). */
  build(spec: NodeSpec, path: string): Module;
}

/**
 * A layer type of the graph form: an arktype schema for its options (validating and applying defaults)
 * and a factory. The module it builds describes itself back (`Module.describe`) for export.
 */
export interface NodeType {
  readonly name: string;
  readonly description: string;
  readonly options: Type<any, any>;
  build(options: any, ctx: BuildContext): Module;
  /**
   * Names of options that hold nested node specs (validated recursively): a key whose value is a
   * NodeSpec, or a list of them.
   */
  readonly childOptions?: readonly string[];
  /** A small instance for the conformance kit (`@neurite/kernel/testing`). */
  readonly example?: NodeExample;
}

/**
 * How the conformance kit builds and runs a node type: options to build with (needed when the schema
 * has required fields) and a sample input for a forward pass.
 */
export interface NodeExample {
  /** Options to build with; absent: `{}`, every option from its schema default. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** A small input for one forward pass; absent: the kit builds and round-trips without running. */
  input?(rt: Runtime): Tensor;
}

/** Declares a node type, typing `build`'s options from the schema (defaults applied). */
export function defineNode<const S extends Type<any, any>>(def: {
  readonly name: string;
  readonly description: string;
  readonly options: S;
  readonly childOptions?: readonly string[];
  readonly example?: NodeExample;
  build(options: S['infer'], ctx: BuildContext): Module;
}): NodeType {
  return def;
}

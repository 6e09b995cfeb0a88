import { NeuriteError } from '../errors.js';
import type { Module } from '../nn/module.js';
import type { ModelGraph, NodeSpec } from './spec.js';

/** The node spec a module describes itself as (recursively for containers). */
export function specOf(module: Module): NodeSpec {
  const d = module.describe();
  if (!d) {
    throw new NeuriteError(`${module.constructor.name} has no graph form`, {
      hint: 'implement describe() returning its node type and options',
    });
  }
  return { type: d.type, ...d.options } as NodeSpec;
}

/** A module as the graph form: its spec and its parameters and buffers. */
export function toModelGraph(module: Module): ModelGraph {
  return { spec: specOf(module), state: module.stateDict() };
}

import { definePlugin } from '@neurite/kernel';
import { exportCommand, runCommand } from './cli/commands.js';
import { nirDataFormat, nirFormat } from './cli/format.js';
import { builtinExporters } from './convert/export-builtins.js';
import { builtinImporters } from './convert/import-builtins.js';
import { nirNodeTypes } from './nodes/types.js';
import { VERSION } from './version.js';
import './convert/registry.js';

/**
 * The NIR plugin: the NIR node types (graphs with cycles, continuous-time neurons simulated at dt, Scale,
 * Threshold, Delay), the `nir-import` and `nir-export` registries with the mappings of the kernel's,
 * the neuron plugin's and its own node types, the `.nir` formats for `neurite inspect`, and the
 * `export` and `run` commands.
 */
export const nirPlugin = definePlugin({
  name: '@neurite/nir',
  version: VERSION,
  apiVersion: '^1.0.0',
  description:
    'NIR (Neuromorphic Intermediate Representation): import, export and simulate at a time step dt',
  setup(ctx) {
    for (const node of nirNodeTypes) ctx.register('node', node);
    for (const def of builtinImporters) ctx.register('nir-import', def);
    for (const def of builtinExporters) ctx.register('nir-export', def);
    ctx.register('format', nirFormat);
    ctx.register('format', nirDataFormat);
    ctx.register('command', exportCommand);
    ctx.register('command', runCommand);
  },
});

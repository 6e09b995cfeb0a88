import type { FileSummary, FormatDef } from '@neurite/kernel';
import { readNirData } from '../data/nirdata.js';
import { readNir } from '../ir/file.js';
import { inferShapes } from '../ir/shapes.js';
import { isGraph, type NirGraph } from '../ir/types.js';
import { planGraph } from '../nodes/plan.js';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

function hasSignature(head: Uint8Array): boolean {
  return head.length >= 8 && HDF5_SIGNATURE.every((b, i) => head[i] === b);
}

/** Whether the bytes hold this ASCII text (HDF5 keeps the root group's link names near the start). */
function contains(head: Uint8Array, text: string): boolean {
  const needle = new TextEncoder().encode(text);
  outer: for (let i = 0; i + needle.length <= head.length; i++) {
    for (let j = 0; j < needle.length; j++) if (head[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

interface Listing {
  nodes: { name: string; type: string; shape: number[] | null }[];
  edges: [string, string][];
  recurrent: [string, string][];
}

/** Nodes (nested graphs as `sub/node`), their output shapes, edges, and the edges that close cycles. */
export function listGraph(
  graph: NirGraph,
  prefix = '',
  out: Listing = { nodes: [], edges: [], recurrent: [] },
): Listing {
  const shapes = inferShapes(graph);
  const inputs = [...graph.nodes].filter(([, n]) => n.type === 'Input').map(([k]) => k);
  const plan = planGraph([...graph.nodes.keys()], graph.edges, inputs);
  for (const [name, node] of graph.nodes) {
    out.nodes.push({
      name: `${prefix}${name}`,
      type: node.type,
      shape: shapes.get(name)?.output ? [...shapes.get(name)!.output!] : null,
    });
    if (isGraph(node)) listGraph(node, `${prefix}${name}/`, out);
  }
  graph.edges.forEach(([a, b], i) => {
    out.edges.push([`${prefix}${a}`, `${prefix}${b}`]);
    if (plan.recurrent.has(i)) out.recurrent.push([`${prefix}${a}`, `${prefix}${b}`]);
  });
  return out;
}

/** `.nir` model files for `neurite inspect`: recognised by the HDF5 signature and the `node`/`version` links. */
export const nirFormat: FormatDef = {
  name: 'nir',
  description:
    'NIR graph (Neuromorphic Intermediate Representation, HDF5): models exchanged between SNN frameworks and chips',
  extensions: ['.nir'],
  detect: (head) => hasSignature(head) && contains(head, 'node') && contains(head, 'version'),
  async inspect(file): Promise<FileSummary> {
    const doc = await readNir(await file.bytes(), file.path);
    const listing = listGraph(doc.graph);
    return {
      format: 'nir',
      version: doc.version,
      nodes: listing.nodes.length,
      details: { nodes: listing.nodes, edges: listing.edges, recurrentEdges: listing.recurrent },
    };
  },
};

/** Recorded NIR data files (`NIRGraphData`): recognised by the HDF5 signature and the `__type__` attribute. */
export const nirDataFormat: FormatDef = {
  name: 'nir-data',
  description: 'NIR recorded data (NIRGraphData, HDF5): time-gridded and event observables per node',
  extensions: ['.nir', '.h5'],
  detect: (head) => hasSignature(head) && contains(head, 'NIRGraphData'),
  async inspect(file): Promise<FileSummary> {
    const data = await readNirData(await file.bytes(), file.path);
    const observables: { node: string; name: string; kind: string; shape: number[] }[] = [];
    const walk = (g: typeof data, prefix: string) => {
      for (const [name, node] of g.nodes) {
        if (node.type === 'graph') walk(node, `${prefix}${name}/`);
        else {
          for (const [obs, o] of node.observables) {
            observables.push({
              node: `${prefix}${name}`,
              name: obs,
              kind: o.kind,
              shape: [...(o.kind === 'time-gridded' ? o.data.shape : o.idx.shape)],
            });
          }
        }
      }
    };
    walk(data, '');
    return {
      format: 'nir-data',
      nodes: new Set(observables.map((o) => o.node)).size,
      details: { observables },
    };
  },
};

import { dataset, group, type H5Group, type H5Node, numeric, strings, stringValue } from '../hdf5/tree.js';
import { isGraph, type NirDocument, type NirGraph, type NirNode } from './types.js';

/**
 * The HDF5 tree of a NIR document, as the reference `nir.write` lays it out: `/version` and `/node`; each
 * node a group with a `type` string and one dataset per field (arrays gzip-compressed), graphs with a
 * `nodes` group and an N×2 `edges` list of variable-length UTF-8 strings; `metadata` only when present.
 */
export function nirTree(doc: NirDocument): H5Group {
  return group({ version: dataset(stringValue(doc.version)), node: nodeTree(doc.graph) });
}

export function nodeTree(node: NirNode): H5Group {
  const children: Record<string, H5Node> = { type: dataset(stringValue(node.type)) };
  if (isGraph(node)) {
    children.nodes = group(
      Object.fromEntries([...node.nodes].map(([name, child]) => [name, nodeTree(child)])),
    );
    children.edges = edgesDataset(node);
  } else {
    for (const [name, value] of node.fields)
      children[name] = dataset(value, { compress: value.dtype !== 'string' && value.shape.length > 0 });
  }
  if (node.metadata && node.metadata.children.size > 0) children.metadata = node.metadata;
  return group(children);
}

function edgesDataset(graph: NirGraph) {
  // h5py stores an empty edge list as an empty float array; the reference reader accepts it.
  if (graph.edges.length === 0) return dataset(numeric('float64', new Float64Array(0), [0]));
  return dataset(strings(graph.edges.flat(), [graph.edges.length, 2]));
}

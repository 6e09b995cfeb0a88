import { FormatError } from '@neurite/kernel';
import type { H5Dataset, H5Group, H5Node, H5Value } from '../hdf5/tree.js';
import { sizeOfShape } from './arrays.js';
import { type FieldSpec, NIR_SCHEMAS } from './schema.js';
import type { NirArray, NirDocument, NirField, NirGraph, NirLeaf, NirNode } from './types.js';

const FORMAT = 'nir';

/**
 * Turns the HDF5 tree of a `.nir` file into a NIR document, checking what the reference reader relies
 * on: `/node` is a graph, every node group has a `type`, graphs have `nodes` and an N×2 `edges` list
 * naming their own nodes, and every field of a known node type is present (or defaulted, see
 * schema.ts) with the right kind and consistent shapes. Each problem is a FormatError naming the file
 * and the HDF5 path. Node types this package does not know are kept with all their fields (another
 * plugin may import them); importing them without such a plugin is an error naming the node.
 */
export function parseNirTree(root: H5Group, file: string): NirDocument {
  const versionNode = root.children.get('version');
  let version = 'unknown';
  if (versionNode) version = scalarString(versionNode, '/version', file);
  const node = root.children.get('node');
  if (node?.kind !== 'group')
    throw new FormatError(
      FORMAT,
      file,
      '/node',
      'a group holding the root graph',
      node ? 'a dataset' : 'nothing',
    );
  const graph = parseNode(node, '/node', file);
  if (graph.type !== 'NIRGraph')
    throw new FormatError(FORMAT, file, '/node/type', "'NIRGraph'", `'${graph.type}'`);
  return { version, graph: graph as NirGraph };
}

function scalarString(node: H5Node, path: string, file: string): string {
  if (node.kind !== 'dataset' || node.value.dtype !== 'string' || node.value.data.length !== 1) {
    throw new FormatError(FORMAT, file, path, 'a string', describe(node));
  }
  return node.value.data[0]!;
}

function describe(node: H5Node | undefined): string {
  if (!node) return 'nothing';
  if (node.kind === 'group') return 'a group';
  return `${node.value.dtype} [${node.value.shape.join(', ')}]`;
}

export function parseNode(g: H5Group, path: string, file: string): NirNode {
  const type = scalarString(g.children.get('type') ?? missing(path, 'type', file), `${path}/type`, file);
  const metadataNode = g.children.get('metadata');
  const metadata = metadataNode?.kind === 'group' ? metadataNode : undefined;
  if (type === 'NIRGraph') return parseGraph(g, path, file, metadata);
  const schema = NIR_SCHEMAS[type];
  const fields = new Map<string, NirField>();
  for (const [name, child] of g.children) {
    if (name === 'type' || name === 'metadata') continue;
    if (child.kind !== 'dataset')
      throw new FormatError(FORMAT, file, `${path}/${name}`, 'a dataset', 'a group');
    fields.set(name, child.value);
  }
  if (schema) {
    for (const spec of schema.fields) checkField(spec, fields, `${path}/${spec.name}`, file);
    if (schema.elementwise) checkElementwise(type, fields, path, file);
    checkStructure(type, fields, path, file);
  }
  const leaf: NirLeaf = { type, fields, metadata };
  return leaf;
}

function missing(path: string, name: string, file: string): never {
  throw new FormatError(FORMAT, file, `${path}/${name}`, 'a dataset', 'nothing');
}

function checkField(spec: FieldSpec, fields: Map<string, NirField>, path: string, file: string): void {
  let value = fields.get(spec.name);
  if (value === undefined) {
    if (spec.fallback === 'optional') return;
    if (!spec.fallback)
      throw new FormatError(FORMAT, file, path, `the required ${spec.kind} field ${spec.name}`, 'nothing');
    value = spec.fallback(fields);
    fields.set(spec.name, value);
    return;
  }
  if (value.dtype === 'string') {
    const text = value.data[0];
    if (
      spec.kind === 'integer-or-string' &&
      value.shape.length === 0 &&
      (text === 'same' || text === 'valid')
    )
      return;
    throw new FormatError(
      FORMAT,
      file,
      path,
      spec.kind === 'integer-or-string' ? "integers, 'same' or 'valid'" : `${spec.kind} numbers`,
      `the string '${String(text).slice(0, 40)}'`,
    );
  }
  if (spec.kind !== 'real') {
    for (const v of Array.from(value.data as ArrayLike<number>)) {
      if (!Number.isSafeInteger(v)) throw new FormatError(FORMAT, file, path, 'integers', `${v}`);
    }
  }
}

/** Neuron-like nodes: real fields share one shape; a field of size 1 stands for every neuron. */
function checkElementwise(type: string, fields: Map<string, NirField>, path: string, file: string): void {
  let shape: readonly number[] | null = null;
  let owner = '';
  for (const spec of NIR_SCHEMAS[type]!.fields) {
    const f = fields.get(spec.name);
    if (!f || f.dtype === 'string' || sizeOfShape(f.shape) === 1) continue;
    if (shape === null) {
      shape = f.shape;
      owner = spec.name;
    } else if (f.shape.join() !== shape.join()) {
      throw new FormatError(
        FORMAT,
        file,
        `${path}/${spec.name}`,
        `the shape [${shape.join(', ')}] of ${owner}`,
        `[${f.shape.join(', ')}]`,
      );
    }
  }
}

const arr = (fields: Map<string, NirField>, name: string) => fields.get(name) as NirArray | undefined;

/** Shapes the simulator and the reference library rely on, checked where the file is read. */
function checkStructure(type: string, fields: Map<string, NirField>, path: string, file: string): void {
  const fail = (name: string, expected: string, found: NirField | undefined) =>
    new FormatError(
      FORMAT,
      file,
      `${path}/${name}`,
      expected,
      found ? `[${found.shape.join(', ')}]` : 'nothing',
    );
  if (type === 'Affine' || type === 'Linear') {
    const w = arr(fields, 'weight')!;
    if (w.shape.length !== 2) throw fail('weight', 'a 2-D [out, in] matrix', w);
    const b = arr(fields, 'bias');
    if (type === 'Affine' && sizeOfShape(b!.shape) !== w.shape[0])
      throw fail('bias', `${w.shape[0]} values`, b);
  }
  if (type === 'Conv1d' || type === 'Conv2d') {
    const rank = type === 'Conv1d' ? 1 : 2;
    const w = arr(fields, 'weight')!;
    if (w.shape.length !== rank + 2 || w.shape.some((d) => d === 0))
      throw fail('weight', `a ${rank + 2}-D [Cout, Cin/groups, …kernel] array`, w);
    const b = arr(fields, 'bias')!;
    if (sizeOfShape(b.shape) !== w.shape[0]) throw fail('bias', `${w.shape[0]} values`, b);
    for (const name of ['stride', 'dilation', 'padding', 'input_shape']) {
      const f = fields.get(name);
      if (!f || f.dtype === 'string') continue;
      const n = sizeOfShape(f.shape);
      if (n !== 1 && n !== rank) throw fail(name, `1 or ${rank} values`, f);
      const min = name === 'padding' ? 0 : 1;
      if (Array.from(f.data as ArrayLike<number>).some((v) => v < min))
        throw fail(name, `values ≥ ${min}`, f);
    }
    const groups = arr(fields, 'groups')!;
    const g = Number(groups.data[0]);
    if (sizeOfShape(groups.shape) !== 1 || g < 1 || w.shape[0]! % g !== 0)
      throw fail('groups', `one divisor of ${w.shape[0]}`, groups);
  }
  if (type === 'SumPool2d' || type === 'AvgPool2d') {
    for (const name of ['kernel_size', 'stride', 'padding']) {
      const f = arr(fields, name)!;
      const n = sizeOfShape(f.shape);
      const min = name === 'padding' ? 0 : 1;
      if ((n !== 1 && n !== 2) || Array.from(f.data as ArrayLike<number>).some((v) => v < min))
        throw fail(name, `1 or 2 values ≥ ${min}`, f);
    }
  }
  if (type === 'Input' || type === 'Output' || type === 'Flatten') {
    const f = arr(fields, type === 'Flatten' ? 'input_type' : 'shape');
    if (f && Array.from(f.data as ArrayLike<number>).some((v) => v < 1))
      throw fail(type === 'Flatten' ? 'input_type' : 'shape', 'positive sizes', f);
  }
}

function parseGraph(g: H5Group, path: string, file: string, metadata: H5Group | undefined): NirGraph {
  const nodesGroup = g.children.get('nodes');
  if (nodesGroup?.kind !== 'group')
    throw new FormatError(FORMAT, file, `${path}/nodes`, 'a group of nodes', describe(nodesGroup));
  const nodes = new Map<string, NirNode>();
  for (const [name, child] of nodesGroup.children) {
    const at = `${path}/nodes/${name}`;
    if (child.kind !== 'group') throw new FormatError(FORMAT, file, at, 'a node group', 'a dataset');
    nodes.set(name, parseNode(child, at, file));
  }
  const edges = parseEdges(g.children.get('edges'), `${path}/edges`, file);
  edges.forEach(([from, to], i) => {
    for (const end of [from, to]) {
      if (!nodes.has(end))
        throw new FormatError(
          FORMAT,
          file,
          `${path}/edges`,
          `edge ${i} to name a node of this graph`,
          `'${end.slice(0, 60)}'`,
        );
    }
  });
  return { type: 'NIRGraph', nodes, edges, metadata };
}

function parseEdges(node: H5Node | undefined, path: string, file: string): [string, string][] {
  if (node?.kind !== 'dataset')
    throw new FormatError(FORMAT, file, path, 'an N×2 dataset of node names', describe(node));
  const v: H5Value = (node as H5Dataset).value;
  const count = sizeOfShape(v.shape);
  // h5py writes an empty edge list as an empty float array.
  if (count === 0) return [];
  if (v.dtype !== 'string' || v.shape.length !== 2 || v.shape[1] !== 2)
    throw new FormatError(FORMAT, file, path, 'an N×2 dataset of node names', describe(node));
  const out: [string, string][] = [];
  for (let i = 0; i < v.shape[0]!; i++) out.push([v.data[2 * i]!, v.data[2 * i + 1]!]);
  return out;
}

import { planGraph } from '../nodes/plan.js';
import { ints, isArray, perAxis, sizeOfShape } from './arrays.js';
import { NIR_SCHEMAS } from './schema.js';
import { isGraph, type NirGraph, type NirLeaf, type NirNode } from './types.js';

/** A node's per-sample input and output shapes (absent where they cannot be inferred). */
export interface NodeShapes {
  readonly input?: readonly number[];
  readonly output?: readonly number[];
}

/**
 * Per-sample shapes of every node, propagated from the Input nodes along the edges in the simulator's
 * order (NIR's own type inference, `NIRGraph.infer_types`, for the node types it knows).
 */
export function inferShapes(graph: NirGraph): Map<string, NodeShapes> {
  const inputs = [...graph.nodes].filter(([, n]) => n.type === 'Input').map(([k]) => k);
  const plan = planGraph([...graph.nodes.keys()], graph.edges, inputs);
  const shapes = new Map<string, NodeShapes>();
  for (const name of plan.order) {
    const node = graph.nodes.get(name)!;
    let input: readonly number[] | undefined;
    for (const [from, to] of graph.edges) {
      if (to === name && shapes.get(from)?.output) {
        input = shapes.get(from)!.output;
        break;
      }
    }
    if (node.type === 'Input') input = ints((node as NirLeaf).fields.get('shape') as never);
    const output = outputShape(node, input);
    shapes.set(name, { ...(input && { input }), ...(output && { output }) });
  }
  return shapes;
}

function convOut(size: number, kernel: number, stride: number, padding: number, dilation: number): number {
  return Math.floor((size + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1);
}

export function outputShape(
  node: NirNode,
  input: readonly number[] | undefined,
): readonly number[] | undefined {
  if (isGraph(node)) {
    const inner = inferShapes(withInputShape(node, input));
    const out = [...node.nodes].find(([, n]) => n.type === 'Output');
    return out ? inner.get(out[0])?.output : undefined;
  }
  const f = node.fields;
  const arr = (name: string) => {
    const v = f.get(name);
    return isArray(v) ? v : undefined;
  };
  switch (node.type) {
    case 'Input':
    case 'Output':
      return ints(arr('shape')!);
    case 'Affine':
    case 'Linear':
      return [arr('weight')!.shape[0]!];
    case 'Conv1d':
    case 'Conv2d': {
      const rank = node.type === 'Conv1d' ? 1 : 2;
      const w = arr('weight')!;
      const given = arr('input_shape');
      const spatial = input ? input.slice(1) : given ? perAxis(given, rank, 'input_shape') : undefined;
      if (!spatial || spatial.length !== rank) return undefined;
      const pad = f.get('padding')!;
      const stride = perAxis(f.get('stride')!, rank, 'stride');
      const dilation = perAxis(f.get('dilation')!, rank, 'dilation');
      const kernel = w.shape.slice(2);
      if (pad.dtype === 'string')
        return [
          w.shape[0]!,
          ...(pad.data[0] === 'same'
            ? spatial
            : spatial.map((s, i) => convOut(s, kernel[i]!, stride[i]!, 0, dilation[i]!))),
        ];
      const padding = perAxis(pad, rank, 'padding');
      return [
        w.shape[0]!,
        ...spatial.map((s, i) => convOut(s, kernel[i]!, stride[i]!, padding[i]!, dilation[i]!)),
      ];
    }
    case 'SumPool2d':
    case 'AvgPool2d': {
      if (input?.length !== 3) return undefined;
      const k = perAxis(f.get('kernel_size')!, 2, 'kernel_size');
      const s = perAxis(f.get('stride')!, 2, 'stride');
      const p = perAxis(f.get('padding')!, 2, 'padding');
      return [input[0]!, ...[0, 1].map((i) => convOut(input[i + 1]!, k[i]!, s[i]!, p[i]!, 1))];
    }
    case 'Flatten': {
      const given = arr('input_type');
      const inShape = input ?? (given ? ints(given) : undefined);
      if (!inShape) return undefined;
      return flattenShape(inShape, Number(arr('start_dim')!.data[0]), Number(arr('end_dim')!.data[0]));
    }
    default: {
      if (!NIR_SCHEMAS[node.type]?.elementwise) return undefined;
      // Neuron-like nodes: the shape of their parameters (or of their input, for one shared value).
      const sizes = [...f.values()].filter(isArray).map((a) => a.shape);
      const full = sizes.find((s) => sizeOfShape(s) > 1);
      return full ?? input ?? sizes[0];
    }
  }
}

/** NIR's Flatten (per sample): merges axes start…end (negative counts from the end). */
export function flattenShape(shape: readonly number[], start: number, end: number): number[] | undefined {
  const s = start < 0 ? start + shape.length : start;
  const e = end < 0 ? end + shape.length : end;
  if (s < 0 || e >= shape.length || e < s) return undefined;
  return [...shape.slice(0, s), shape.slice(s, e + 1).reduce((a, b) => a * b, 1), ...shape.slice(e + 1)];
}

/** The graph with its Input node's shape replaced, for inferring a nested graph from its caller. */
function withInputShape(graph: NirGraph, input: readonly number[] | undefined): NirGraph {
  if (!input) return graph;
  const nodes = new Map(graph.nodes);
  for (const [k, n] of graph.nodes) {
    if (n.type === 'Input' && !isGraph(n)) {
      const fields = new Map(n.fields);
      fields.set('shape', { dtype: 'int64', shape: [input.length], data: Float64Array.from(input) });
      nodes.set(k, { ...n, fields });
    }
  }
  return { ...graph, nodes };
}

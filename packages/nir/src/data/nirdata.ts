import { FormatError } from '@neurite/kernel';
import { readHdf5 } from '../hdf5/read.js';
import {
  dataset,
  float64Scalar,
  group,
  type H5Group,
  type H5Node,
  type H5Value,
  int64,
  stringValue,
} from '../hdf5/tree.js';
import { writeHdf5 } from '../hdf5/write.js';
import { sizeOfShape } from '../ir/arrays.js';
import type { NirArray } from '../ir/types.js';

/**
 * NIR's recorded data (`nir.NIRGraphData`, reference `nir/data_ir`): per node, named observables, either
 * sampled on a time grid (`data` [samples, T, neurons] with the step `dt`) or as events (`idx`, `time`,
 * optionally `value`, with `n_neurons` and `t_max`). Nested graphs nest. The HDF5 layout is the
 * reference's `write_data`: a `__type__` attribute on every group.
 */
export type NirObservable =
  | { readonly kind: 'time-gridded'; readonly data: NirArray; readonly dt: number }
  | {
      readonly kind: 'events';
      readonly idx: NirArray;
      readonly time: NirArray;
      readonly value?: NirArray | undefined;
      readonly nNeurons: number;
      readonly tMax: number;
    };

export interface NirNodeData {
  readonly type: 'node';
  readonly observables: ReadonlyMap<string, NirObservable>;
}

export interface NirGraphData {
  readonly type: 'graph';
  readonly nodes: ReadonlyMap<string, NirNodeData | NirGraphData>;
}

const FORMAT = 'nir-data';

export async function readNirData(bytes: Uint8Array, file = '(bytes)'): Promise<NirGraphData> {
  const root = await readHdf5(bytes, { file, format: FORMAT });
  if (attrString(root, '__type__') !== 'NIRGraphData') {
    throw new FormatError(
      FORMAT,
      file,
      '/@__type__',
      "'NIRGraphData'",
      String(attrString(root, '__type__') ?? 'nothing'),
    );
  }
  return graphData(root, '', file);
}

export async function writeNirData(data: NirGraphData): Promise<Uint8Array> {
  return writeHdf5(graphTree(data));
}

function attrString(g: H5Node, name: string): string | undefined {
  const v = g.attrs.get(name);
  return v?.dtype === 'string' ? v.data[0] : undefined;
}

function attrNumber(g: H5Node, name: string, path: string, file: string): number {
  const v = g.attrs.get(name);
  if (!v || v.dtype === 'string' || sizeOfShape(v.shape) !== 1)
    throw new FormatError(
      FORMAT,
      file,
      `${path}@${name}`,
      'a number',
      v ? `${v.dtype} [${v.shape.join(', ')}]` : 'nothing',
    );
  return Number(v.data[0]);
}

function childGroup(g: H5Group, name: string, path: string, file: string): H5Group {
  const c = g.children.get(name);
  if (c?.kind !== 'group')
    throw new FormatError(FORMAT, file, `${path}/${name}`, 'a group', c ? 'a dataset' : 'nothing');
  return c;
}

function numericChild(
  g: H5Group,
  name: string,
  path: string,
  file: string,
  optional = false,
): NirArray | undefined {
  const c = g.children.get(name);
  if (!c && optional) return undefined;
  if (c?.kind !== 'dataset' || c.value.dtype === 'string')
    throw new FormatError(
      FORMAT,
      file,
      `${path}/${name}`,
      'a numeric dataset',
      c ? 'something else' : 'nothing',
    );
  return c.value;
}

function graphData(g: H5Group, path: string, file: string): NirGraphData {
  const nodesGroup = childGroup(g, 'nodes', path, file);
  const nodes = new Map<string, NirNodeData | NirGraphData>();
  for (const [name, child] of nodesGroup.children) {
    const at = `${path}/nodes/${name}`;
    if (child.kind !== 'group') throw new FormatError(FORMAT, file, at, 'a group', 'a dataset');
    const type = attrString(child, '__type__');
    if (type === 'NIRGraphData') nodes.set(name, graphData(child, at, file));
    else if (type === 'NIRNodeData') nodes.set(name, nodeData(child, at, file));
    else
      throw new FormatError(
        FORMAT,
        file,
        `${at}@__type__`,
        "'NIRNodeData' or 'NIRGraphData'",
        String(type ?? 'nothing'),
      );
  }
  return { type: 'graph', nodes };
}

function nodeData(g: H5Group, path: string, file: string): NirNodeData {
  const obs = childGroup(g, 'observables', path, file);
  const observables = new Map<string, NirObservable>();
  for (const [name, child] of obs.children) {
    const at = `${path}/observables/${name}`;
    if (child.kind !== 'group') throw new FormatError(FORMAT, file, at, 'a group', 'a dataset');
    const type = attrString(child, '__type__');
    if (type === 'TimeGriddedData') {
      const data = numericChild(child, 'data', at, file)!;
      if (data.shape.length !== 3)
        throw new FormatError(
          FORMAT,
          file,
          `${at}/data`,
          '[samples, T, neurons]',
          `[${data.shape.join(', ')}]`,
        );
      observables.set(name, { kind: 'time-gridded', data, dt: attrNumber(child, 'dt', at, file) });
    } else if (type === 'EventData' || type === 'ValuedEventData') {
      const idx = numericChild(child, 'idx', at, file)!;
      const time = numericChild(child, 'time', at, file)!;
      const value = type === 'ValuedEventData' ? numericChild(child, 'value', at, file) : undefined;
      if (idx.shape.join() !== time.shape.join() || (value && value.shape.join() !== idx.shape.join())) {
        throw new FormatError(
          FORMAT,
          file,
          `${at}/time`,
          `the shape of idx [${idx.shape.join(', ')}]`,
          `[${time.shape.join(', ')}]`,
        );
      }
      observables.set(name, {
        kind: 'events',
        idx,
        time,
        value,
        nNeurons: attrNumber(child, 'n_neurons', at, file),
        tMax: attrNumber(child, 't_max', at, file),
      });
    } else
      throw new FormatError(
        FORMAT,
        file,
        `${at}@__type__`,
        "'TimeGriddedData', 'EventData' or 'ValuedEventData'",
        String(type ?? 'nothing'),
      );
  }
  return { type: 'node', observables };
}

const typeAttr = (t: string): Record<string, H5Value> => ({ __type__: stringValue(t) });

function graphTree(data: NirGraphData): H5Group {
  const nodes: Record<string, H5Group> = {};
  for (const [name, node] of data.nodes)
    nodes[name] = node.type === 'graph' ? graphTree(node) : nodeTree(node);
  return group({ nodes: group(nodes) }, typeAttr('NIRGraphData'));
}

function nodeTree(data: NirNodeData): H5Group {
  const obs: Record<string, H5Group> = {};
  for (const [name, o] of data.observables) {
    if (o.kind === 'time-gridded') {
      obs[name] = group(
        { data: dataset(o.data, { compress: true }) },
        { ...typeAttr('TimeGriddedData'), dt: float64Scalar(o.dt) },
      );
    } else {
      obs[name] = group(
        {
          idx: dataset(o.idx, { compress: true }),
          time: dataset(o.time, { compress: true }),
          value: o.value ? dataset(o.value, { compress: true }) : undefined,
        },
        {
          ...typeAttr(o.value ? 'ValuedEventData' : 'EventData'),
          n_neurons: int64([o.nNeurons], []),
          t_max: float64Scalar(o.tMax),
        },
      );
    }
  }
  return group({ observables: group(obs) }, typeAttr('NIRNodeData'));
}

/**
 * Time-gridded observables from recorded [T, B, ...shape] values: NIR's layout [samples, T, neurons]
 * (the batch is the samples axis; the per-sample shape is flattened).
 */
export function timeGridded(
  values: Float32Array | Float64Array | Uint8Array,
  shape: readonly number[],
  dt: number,
): NirObservable {
  const [T, B, ...rest] = shape as [number, number, ...number[]];
  const n = sizeOfShape(rest);
  const out = new Float32Array(B * T * n);
  for (let t = 0; t < T; t++)
    for (let b = 0; b < B; b++)
      for (let k = 0; k < n; k++) out[(b * T + t) * n + k] = values[(t * B + b) * n + k]!;
  return { kind: 'time-gridded', data: { dtype: 'float32', shape: [B, T, n], data: out }, dt };
}

import { type Runtime, type Tensor, ValidationError } from '@neurite/kernel';
import { field, ints, isArray, perAxis, sizeOfShape } from '../ir/arrays.js';
import type { NirArray, NirLeaf } from '../ir/types.js';
import type { NeuronModel } from '../nodes/discretise.js';
import { NEURON_FIELDS, NEURON_NODE_TYPES } from '../nodes/neuron.js';
import type { ImportedNode, NirImportDef } from './registry.js';

/** NIR's field names for neurite's buffer names. */
export const NIR_FIELD_OF: Readonly<Record<string, string>> = {
  tau: 'tau',
  tauSyn: 'tau_syn',
  tauMem: 'tau_mem',
  r: 'r',
  vLeak: 'v_leak',
  vThreshold: 'v_threshold',
  vReset: 'v_reset',
  wIn: 'w_in',
};

function tensorOf(
  rt: Runtime,
  a: NirArray,
  shape: readonly number[] = a.shape,
  dtype: 'float32' | 'float64' = a.dtype === 'float64' ? 'float64' : 'float32',
): Tensor {
  return rt.fromArray(a.data as ArrayLike<number> as Float64Array, [...shape], { dtype });
}

/** A field of size 1 repeated to `shape` (NIR lets one value stand for all neurons). */
function broadcast(a: NirArray, shape: readonly number[]): NirArray {
  const n = sizeOfShape(shape);
  if (sizeOfShape(a.shape) === n) return { ...a, shape };
  const data = a.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  data.fill(Number(a.data[0]));
  return { dtype: a.dtype === 'float64' ? 'float64' : 'float32', shape, data };
}

/** The neurons' shape: the shape of the largest real field. */
function neuronShape(node: NirLeaf): readonly number[] {
  const arrays = [...node.fields.values()].filter(isArray);
  return arrays.reduce(
    (best, a) => (sizeOfShape(a.shape) > sizeOfShape(best) ? a.shape : best),
    arrays[0]?.shape ?? [1],
  );
}

function precisionOf(node: NirLeaf): 'float32' | 'float64' {
  return [...node.fields.values()].some((f) => f.dtype === 'float64') ? 'float64' : 'float32';
}

function neuronImporter(model: NeuronModel): NirImportDef {
  return {
    name: model,
    description: `NIR ${model} → ${NEURON_NODE_TYPES[model]} (continuous-time parameters kept; simulated at dt)`,
    toNeurite(node, ctx) {
      const shape = neuronShape(node);
      const precision = precisionOf(node);
      const state = new Map<string, Tensor>();
      for (const name of Object.keys(NEURON_FIELDS[model])) {
        state.set(
          name,
          tensorOf(ctx.runtime, broadcast(field(node, NIR_FIELD_OF[name]!), shape), shape, precision),
        );
      }
      return {
        spec: {
          type: NEURON_NODE_TYPES[model],
          shape: [...shape],
          dt: ctx.dt,
          convention: ctx.convention,
          precision,
        },
        state,
      };
    },
  };
}

function elementwiseImporter(
  nirType: 'Scale' | 'Threshold' | 'Delay',
  fieldName: string,
  type: string,
): NirImportDef {
  return {
    name: nirType,
    description: `NIR ${nirType} → ${type}`,
    toNeurite(node, ctx) {
      const a = field(node, fieldName);
      const precision = a.dtype === 'float64' ? 'float64' : 'float32';
      const spec = { type, shape: [...a.shape], precision, ...(nirType === 'Delay' ? { dt: ctx.dt } : {}) };
      return { spec, state: new Map([[fieldName, tensorOf(ctx.runtime, a, a.shape, precision)]]) };
    },
  };
}

function denseImporter(nirType: 'Affine' | 'Linear'): NirImportDef {
  return {
    name: nirType,
    description: `NIR ${nirType} → linear${nirType === 'Linear' ? ' without bias' : ''}`,
    toNeurite(node, ctx): ImportedNode {
      const w = field(node, 'weight');
      const [out, inp] = w.shape as [number, number];
      const state = new Map<string, Tensor>([['weight', tensorOf(ctx.runtime, w, w.shape, 'float32')]]);
      if (nirType === 'Affine')
        state.set('bias', tensorOf(ctx.runtime, field(node, 'bias'), [out], 'float32'));
      return {
        spec: { type: 'linear', inFeatures: inp, outFeatures: out, bias: nirType === 'Affine' },
        state,
      };
    },
  };
}

function convImporter(nirType: 'Conv1d' | 'Conv2d'): NirImportDef {
  const rank = nirType === 'Conv1d' ? 1 : 2;
  return {
    name: nirType,
    description: `NIR ${nirType} → conv${rank}d`,
    toNeurite(node, ctx) {
      const w = field(node, 'weight');
      const groups = Number(field(node, 'groups').data[0]);
      const one = (values: number[]) => (rank === 1 ? values[0]! : values);
      const pad = node.fields.get('padding')!;
      const padding = pad.dtype === 'string' ? pad.data[0]! : one(perAxis(pad, rank, 'padding'));
      const spec = {
        type: `conv${rank}d`,
        inChannels: w.shape[1]! * groups,
        outChannels: w.shape[0]!,
        kernelSize: one(w.shape.slice(2) as number[]),
        stride: one(perAxis(node.fields.get('stride')!, rank, 'stride')),
        padding,
        dilation: one(perAxis(node.fields.get('dilation')!, rank, 'dilation')),
        groups,
        bias: true,
      };
      return {
        spec,
        state: new Map([
          ['weight', tensorOf(ctx.runtime, w, w.shape, 'float32')],
          ['bias', tensorOf(ctx.runtime, field(node, 'bias'), [w.shape[0]!], 'float32')],
        ]),
      };
    },
  };
}

function poolImporter(nirType: 'SumPool2d' | 'AvgPool2d'): NirImportDef {
  const type = nirType === 'SumPool2d' ? 'sumpool2d' : 'avgpool2d';
  return {
    name: nirType,
    description: `NIR ${nirType} → ${type}${nirType === 'AvgPool2d' ? ' (padding counted in the mean, as PyTorch)' : ''}`,
    toNeurite(node) {
      const axes = (name: string) => perAxis(node.fields.get(name)!, 2, name);
      return {
        spec: { type, kernelSize: axes('kernel_size'), stride: axes('stride'), padding: axes('padding') },
        state: new Map(),
      };
    },
  };
}

const flattenImporter: NirImportDef = {
  name: 'Flatten',
  description:
    'NIR Flatten → flatten over the per-sample axes (counted from the end, so it works on [T, B, …] and [B, …])',
  toNeurite(node, ctx) {
    const given = node.fields.get('input_type');
    const inShape = ctx.inputShape ?? (isArray(given) ? ints(given) : undefined);
    if (!inShape) {
      throw new ValidationError('NIR import', [
        {
          path: ctx.path,
          message: 'the rank of the Flatten input is unknown (no input_type and no shape flows into it)',
        },
      ]);
    }
    const rank = inShape.length;
    const axis = (name: string) => {
      const v = Number(field(node, name).data[0]);
      return v < 0 ? v : v - rank;
    };
    const startAxis = axis('start_dim');
    const endAxis = axis('end_dim');
    if (startAxis < -rank || endAxis < -rank || endAxis < startAxis) {
      throw new ValidationError('NIR import', [
        { path: ctx.path, message: `start_dim/end_dim do not fit an input of rank ${rank}` },
      ]);
    }
    return { spec: { type: 'flatten', startAxis, endAxis }, state: new Map() };
  },
};

/** The importers of every NIR node type this package simulates (Input, Output and NIRGraph are built in). */
export const builtinImporters: NirImportDef[] = [
  denseImporter('Affine'),
  denseImporter('Linear'),
  convImporter('Conv1d'),
  convImporter('Conv2d'),
  poolImporter('SumPool2d'),
  poolImporter('AvgPool2d'),
  flattenImporter,
  elementwiseImporter('Scale', 'scale', 'nir-scale'),
  elementwiseImporter('Threshold', 'threshold', 'nir-threshold'),
  elementwiseImporter('Delay', 'delay', 'nir-delay'),
  ...(['LIF', 'IF', 'LI', 'I', 'CubaLIF', 'CubaLI'] as const).map(neuronImporter),
];

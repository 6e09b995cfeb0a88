import { NeuriteError } from '@neurite/kernel';
import { f64, i64, i64Scalar, sizeOfShape } from '../ir/arrays.js';
import { flattenShape } from '../ir/shapes.js';
import type { NirArray, NirLeaf } from '../ir/types.js';
import type { NeuronModel } from '../nodes/discretise.js';
import { NEURON_FIELDS, NEURON_NODE_TYPES } from '../nodes/neuron.js';
import { NIR_FIELD_OF } from './import-builtins.js';
import type { NirExportContext, NirExportDef } from './registry.js';

const leaf = (type: string, fields: Record<string, NirArray | string>): NirLeaf => ({
  type,
  fields: new Map(
    Object.entries(fields).map(([k, v]) => [
      k,
      typeof v === 'string' ? { dtype: 'string', shape: [], data: [v] } : v,
    ]),
  ),
});

/** Numpy-style broadcast of an array to `shape` (as float64 numbers). */
function broadcastTo(a: NirArray, shape: readonly number[], what: string): Float64Array {
  const n = sizeOfShape(shape);
  const out = new Float64Array(n);
  const src = a.shape;
  const offset = shape.length - src.length;
  if (offset < 0 || src.some((d, i) => d !== 1 && d !== shape[i + offset])) {
    throw new NeuriteError(
      `NIR export: ${what} of shape [${src.join(', ')}] does not broadcast to the neurons [${shape.join(', ')}]`,
    );
  }
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let j = 0;
    for (let d = 0; d < src.length; d++) j = j * src[d]! + (src[d] === 1 ? 0 : index[d + offset]!);
    out[k] = Number(a.data[j]);
    for (let d = shape.length - 1; d >= 0; d--) {
      index[d]! += 1;
      if (index[d]! < shape[d]!) break;
      index[d] = 0;
    }
  }
  return out;
}

const get = (ctx: NirExportContext, name: string) => {
  const a = ctx.state.get(name);
  if (!a) throw new NeuriteError(`NIR export: ${ctx.path} has no ${name}`);
  return a;
};

// ------------------------------------------------------------------------------ kernel node types

const linear: NirExportDef = {
  name: 'linear',
  description: 'linear → Affine (with bias) or Linear',
  toNir(ctx) {
    const weight = get(ctx, 'weight');
    const bias = ctx.state.get('bias');
    return bias ? leaf('Affine', { weight, bias }) : leaf('Linear', { weight });
  },
};

const spatial = (v: unknown, rank: number): number[] =>
  typeof v === 'number' ? new Array<number>(rank).fill(v) : (v as number[]);

function convExport(rank: 1 | 2): NirExportDef {
  return {
    name: `conv${rank}d`,
    description: `conv${rank}d → Conv${rank}d`,
    toNir(ctx) {
      const o = ctx.spec as unknown as {
        stride: number | number[];
        padding: unknown;
        dilation: number | number[];
        groups: number;
      };
      if (ctx.inputShape.length !== rank + 1) {
        throw new NeuriteError(
          `NIR export: ${ctx.path} gets [${ctx.inputShape.join(', ')}] per sample; NIR's Conv${rank}d takes [C, ${rank === 1 ? 'L' : 'H, W'}]`,
        );
      }
      const weight = get(ctx, 'weight');
      const bias = ctx.state.get('bias') ?? {
        dtype: 'float32',
        shape: [weight.shape[0]!],
        data: new Float32Array(weight.shape[0]!),
      };
      let padding: NirArray | string;
      if (o.padding === 'same' || o.padding === 'valid') padding = o.padding;
      else {
        const axes = (
          typeof o.padding === 'number'
            ? new Array<number | [number, number]>(rank).fill(o.padding)
            : (o.padding as (number | [number, number])[])
        ).map((p) => {
          if (typeof p === 'number') return p;
          if (p[0] !== p[1])
            ctx.lossy(
              `asymmetric padding [${p.join(', ')}] has no NIR form (NIR pads both sides equally); written as ${p[0]}`,
            );
          return p[0];
        });
        padding = rank === 1 ? i64Scalar(axes[0]!) : i64(axes);
      }
      const ints = (v: number | number[]) => (rank === 1 ? i64Scalar(spatial(v, 1)[0]!) : i64(spatial(v, 2)));
      return leaf(`Conv${rank}d`, {
        input_shape: rank === 1 ? i64Scalar(ctx.inputShape[1]!) : i64(ctx.inputShape.slice(1)),
        weight,
        stride: ints(o.stride),
        padding,
        dilation: ints(o.dilation),
        groups: i64Scalar(o.groups),
        bias,
      });
    },
  };
}

function poolExport(kind: 'sum' | 'avg'): NirExportDef {
  return {
    name: `${kind}pool2d`,
    description: `${kind}pool2d → ${kind === 'sum' ? 'SumPool2d' : 'AvgPool2d'}`,
    toNir(ctx) {
      const o = ctx.spec as unknown as {
        kernelSize: number | number[];
        stride?: number | number[];
        padding: number | (number | [number, number])[];
        countIncludePad?: boolean;
      };
      const kernel = spatial(o.kernelSize, 2);
      const padding = (typeof o.padding === 'number' ? [o.padding, o.padding] : o.padding).map((p) => {
        if (typeof p === 'number') return p;
        if (p[0] !== p[1])
          ctx.lossy(`asymmetric padding [${p.join(', ')}] has no NIR form; written as ${p[0]}`);
        return p[0];
      });
      if (kind === 'avg' && o.countIncludePad === false && padding.some((p) => p > 0)) {
        ctx.lossy(
          'countIncludePad: false has no NIR form (readers count the padding, as PyTorch does by default)',
        );
      }
      return leaf(kind === 'sum' ? 'SumPool2d' : 'AvgPool2d', {
        kernel_size: i64(kernel),
        stride: i64(o.stride === undefined ? kernel : spatial(o.stride, 2)),
        padding: i64(padding),
      });
    },
  };
}

const flatten: NirExportDef = {
  name: 'flatten',
  description: 'flatten (of per-sample axes) → Flatten',
  toNir(ctx) {
    const o = ctx.spec as unknown as { startAxis: number; endAxis: number };
    const rank = ctx.inputShape.length + 2; // the module ran on [T, B, ...F]
    const norm = (a: number) => (a < 0 ? a + rank : a);
    const start = norm(o.startAxis) - 2;
    const end = norm(o.endAxis) - 2;
    if (start < 0)
      throw new NeuriteError(
        `NIR export: ${ctx.path} flattens the time or batch axis; NIR's Flatten works within one sample`,
      );
    const endDim = end === ctx.inputShape.length - 1 ? -1 : end;
    if (!flattenShape(ctx.inputShape, start, endDim))
      throw new NeuriteError(`NIR export: ${ctx.path} has axes outside its input`);
    return leaf('Flatten', {
      input_type: i64(ctx.inputShape),
      start_dim: i64Scalar(start),
      end_dim: i64Scalar(endDim),
    });
  },
};

const passThrough = (name: string, description: string): NirExportDef => ({
  name,
  description,
  toNir: () => 'identity',
});

// ------------------------------------------------------------------------- neuron plugin node types

interface FamilyConfig {
  readonly reset: 'subtract' | 'zero' | 'none';
  readonly vReset: number;
  readonly output: 'spikes' | 'membrane';
  readonly decayInput: boolean;
}

/**
 * The neuron plugin's discrete neurons at a time step dt (Euler, the convention snnTorch's exporter
 * uses): β = 1 − dt/τ_mem and α = 1 − dt/τ_syn give τ_mem = dt/(1 − β), τ_syn = dt/(1 − α); the input
 * gain k (1, or 1 − β with decayInput) gives R = k·τ_mem/dt without a synapse, w_in = k·τ_syn/dt and
 * R = τ_mem/dt with one; v_leak = 0; v_threshold = threshold; v_reset = vReset. Values are written as
 * float64, so importing the file at the same dt gives back β, α and the gains exactly.
 */
function familyExport(name: 'lif' | 'if' | 'cuba-lif' | 'li'): NirExportDef {
  return {
    name,
    description: `${name} → ${name === 'if' ? 'IF' : name === 'lif' ? 'LIF' : name === 'cuba-lif' ? 'CubaLIF' : 'LI or CubaLI'} at dt (Euler: τ = dt/(1 − β))`,
    toNir(ctx) {
      const config = (ctx.module as unknown as { config?: FamilyConfig }).config;
      if (!config) throw new NeuriteError(`NIR export: ${ctx.path} is not a neuron plugin layer`);
      const shape = ctx.outputShape;
      const n = sizeOfShape(shape);
      const param = (k: string) => (ctx.state.has(k) ? broadcastTo(ctx.state.get(k)!, shape, k) : undefined);
      const spiking = name !== 'li';
      if (spiking) {
        if (config.reset === 'subtract')
          ctx.lossy(
            'reset by subtraction has no NIR form (NIR neurons reset to v_reset); written as a reset to vReset',
          );
        if (config.reset === 'none')
          ctx.lossy('a neuron without reset has no NIR form; written with a reset to vReset');
        if (config.output === 'membrane')
          ctx.lossy('a spiking neuron that outputs its membrane has no NIR form; written as spiking');
      }
      const dt = ctx.dt;
      const beta = name === 'if' ? new Float64Array(n).fill(1) : param('beta')!;
      const alpha = param('alpha');
      const threshold = spiking ? param('threshold')! : undefined;
      const tau = (decay: Float64Array, what: string) =>
        Float64Array.from(decay, (d) => {
          if (!(d < 1))
            throw new NeuriteError(
              `NIR export: ${ctx.path} has ${what} = ${d}; a time constant needs a decay below 1 (use an IF neuron)`,
            );
          return dt / (1 - d);
        });
      const gain = Float64Array.from(beta, (b) => (config.decayInput ? 1 - b : 1));
      const full = (v: number) => f64(new Float64Array(n).fill(v), shape);
      const arr = (a: Float64Array) => f64(a, shape);
      if (name === 'if')
        return leaf('IF', { r: full(1), v_threshold: arr(threshold!), v_reset: full(config.vReset) });
      const tauMem = tau(beta, 'beta');
      if (!alpha) {
        const r = Float64Array.from(tauMem, (t, i) => (gain[i]! * t) / dt);
        if (name === 'li') return leaf('LI', { tau: arr(tauMem), r: arr(r), v_leak: full(0) });
        return leaf('LIF', {
          tau: arr(tauMem),
          r: arr(r),
          v_leak: full(0),
          v_threshold: arr(threshold!),
          v_reset: full(config.vReset),
        });
      }
      const tauSyn = tau(alpha, 'alpha');
      const r = Float64Array.from(tauMem, (t) => t / dt);
      const wIn = Float64Array.from(tauSyn, (t, i) => (gain[i]! * t) / dt);
      if (name === 'li')
        return leaf('CubaLI', {
          tau_syn: arr(tauSyn),
          tau_mem: arr(tauMem),
          r: arr(r),
          v_leak: full(0),
          w_in: arr(wIn),
        });
      return leaf('CubaLIF', {
        tau_syn: arr(tauSyn),
        tau_mem: arr(tauMem),
        r: arr(r),
        v_leak: full(0),
        v_threshold: arr(threshold!),
        v_reset: full(config.vReset),
        w_in: arr(wIn),
      });
    },
  };
}

const encoder = (name: string): NirExportDef => ({
  name,
  description: `${name}: the NIR graph starts at its output (NIR has no encoders)`,
  encoder: true,
  toNir: () => 'identity',
});

// ------------------------------------------------------------------------------ this plugin's nodes

function neuronExport(model: NeuronModel): NirExportDef {
  return {
    name: NEURON_NODE_TYPES[model],
    description: `${NEURON_NODE_TYPES[model]} → ${model} (its NIR parameters, unchanged)`,
    toNir(ctx) {
      const fields: Record<string, NirArray> = {};
      for (const name of Object.keys(NEURON_FIELDS[model])) fields[NIR_FIELD_OF[name]!] = get(ctx, name);
      return leaf(model, fields);
    },
  };
}

function elementwiseExport(type: string, nirType: string, fieldName: string): NirExportDef {
  return {
    name: type,
    description: `${type} → ${nirType}`,
    toNir: (ctx) => leaf(nirType, { [fieldName]: get(ctx, fieldName) }),
  };
}

/** What the kernel's, the neuron plugin's and this plugin's node types are in NIR. */
export const builtinExporters: NirExportDef[] = [
  linear,
  convExport(1),
  convExport(2),
  poolExport('sum'),
  poolExport('avg'),
  flatten,
  passThrough('dropout', 'dropout: the identity at inference, left out'),
  passThrough('identity', 'identity: left out'),
  familyExport('lif'),
  familyExport('if'),
  familyExport('cuba-lif'),
  familyExport('li'),
  encoder('rate-encoder'),
  encoder('latency-encoder'),
  encoder('delta-encoder'),
  ...(Object.keys(NEURON_NODE_TYPES) as NeuronModel[]).map(neuronExport),
  elementwiseExport('nir-scale', 'Scale', 'scale'),
  elementwiseExport('nir-threshold', 'Threshold', 'threshold'),
  elementwiseExport('nir-delay', 'Delay', 'delay'),
];

import { NeuriteError } from '@neurite/kernel';
// Types only: this package registers into the `nir-export` registry that @neurite/nir declares, without
// depending on it at run time (the entries sit unused when the NIR plugin is not installed).
import type { NirArray, NirExportContext, NirExportDef, NirFragment, NirLeaf } from '@neurite/nir';
import { Dcls1d } from './layers/dcls1d.js';
import { SeqBatchNorm1d } from './layers/seq-batchnorm.js';
import { NORM_EPS } from './ops/bump.js';

const leaf = (type: string, fields: Record<string, NirArray>): NirLeaf => ({
  type,
  fields: new Map(Object.entries(fields)),
});
const f32 = (data: ArrayLike<number>, shape: readonly number[]): NirArray => ({
  dtype: 'float32',
  shape,
  data: Float32Array.from(data),
});
const f64 = (data: ArrayLike<number>, shape: readonly number[]): NirArray => ({
  dtype: 'float64',
  shape,
  data: Float64Array.from(data),
});

function moduleOf<T>(ctx: NirExportContext, cls: abstract new (...args: never[]) => T): T {
  if (!(ctx.module instanceof cls)) throw new NeuriteError(`NIR export: ${ctx.path} is not a ${cls.name}`);
  return ctx.module as T;
}

/**
 * A DCLS layer at inference is a delay line with one delay per synapse; NIR's `Delay` delays each feature
 * of its input, so the synapses are grouped by delay: a `Linear` copies the input once per distinct delay
 * in use (M copies), the `Delay` delays copy m by d_m·dt seconds, and a `Linear` [out, M·in] applies each
 * synapse's weight on the copy of its delay. A layer whose delays are all 0 ('none') is one `Linear`.
 * The weights carry the one-hot kernel's normalisation 1/(1 + 1e-7), so the graph computes exactly what
 * the layer computes in eval mode. (NIR runs step by step: the layer's (K − 1)/2 trailing output steps
 * are what the graph emits when fed that many zero steps after the input.)
 */
export const dcls1dNirExport: NirExportDef = {
  name: 'dcls1d',
  description: 'dcls1d → Linear (one input copy per delay) → Delay → Linear, or Linear when every delay is 0',
  toNir(ctx): NirLeaf | NirFragment {
    const layer = moduleOf(ctx, Dcls1d);
    const { delays, inference, inFeatures: cin, outFeatures: cout } = layer.options;
    if (delays === 'learned' && inference === 'as-trained') {
      ctx.lossy(
        "learned delays evaluated 'as-trained' (a Gaussian kernel) are exported as their rounded delay line",
      );
    }
    const line = layer.delayLine();
    const w = line.weight.dataSync();
    const d = line.delay.dataSync();
    const gain = 1 / (1 + NORM_EPS);
    const used = [...new Set(d)].sort((a, b) => a - b);
    if (used.length === 1 && used[0] === 0)
      return leaf('Linear', {
        weight: f32(
          Array.from(w, (v) => v * gain),
          [cout, cin],
        ),
      });
    const m = used.length;
    const slot = new Map(used.map((delay, k) => [delay, k]));
    const expand = new Float32Array(m * cin * cin);
    for (let k = 0; k < m; k++) for (let i = 0; i < cin; i++) expand[(k * cin + i) * cin + i] = 1;
    const seconds = new Float64Array(m * cin);
    for (let k = 0; k < m; k++) seconds.fill(used[k]! * ctx.dt, k * cin, (k + 1) * cin);
    const weight = new Float32Array(cout * m * cin);
    for (let o = 0; o < cout; o++) {
      for (let i = 0; i < cin; i++) {
        const s = o * cin + i;
        weight[o * m * cin + slot.get(d[s]!)! * cin + i] = w[s]! * gain;
      }
    }
    return {
      nodes: {
        expand: leaf('Linear', { weight: f32(expand, [m * cin, cin]) }),
        delay: leaf('Delay', { delay: f64(seconds, [m * cin]) }),
        weight: leaf('Linear', { weight: f32(weight, [cout, m * cin]) }),
      },
      edges: [
        ['expand', 'delay'],
        ['delay', 'weight'],
      ],
      input: 'expand',
      output: 'weight',
    };
  },
};

/** Batch normalisation at inference is y = s·x + b per channel: an `Affine` with diagonal weight. */
export const seqBatchNormNirExport: NirExportDef = {
  name: 'seq-batchnorm1d',
  description: 'seq-batchnorm1d (running statistics) → Affine with a diagonal weight',
  toNir(ctx): NirLeaf {
    const bn = moduleOf(ctx, SeqBatchNorm1d);
    const { numFeatures: c, eps } = bn.options;
    if (!bn.runningMean || !bn.runningVar) {
      throw new NeuriteError(
        `NIR export: ${ctx.path} normalises by batch statistics at inference (trackRunningStats false)`,
      );
    }
    const mean = bn.runningMean.dataSync();
    const variance = bn.runningVar.dataSync();
    const gamma = bn.weight?.dataSync();
    const beta = bn.bias?.dataSync();
    const weight = new Float32Array(c * c);
    const bias = new Float32Array(c);
    for (let k = 0; k < c; k++) {
      const scale = (gamma ? gamma[k]! : 1) / Math.sqrt(variance[k]! + eps);
      weight[k * c + k] = scale;
      bias[k] = (beta ? beta[k]! : 0) - mean[k]! * scale;
    }
    return leaf('Affine', { weight: f32(weight, [c, c]), bias: f32(bias, [c]) });
  },
};

export const dclsNirExports: NirExportDef[] = [dcls1dNirExport, seqBatchNormNirExport];

import { crossEntropy, type LossDef, type Module, nllLoss, ShapeError, type Tensor } from '@neurite/kernel';
import { type } from 'arktype';
import { NeuronLayer } from './neurons/layer.js';

const sequenceOf = (op: string, output: Tensor) => {
  if (output.rank !== 3)
    throw new ShapeError(op, 'expects the model output time-major [T, B, classes]', [output.shape]);
  return output;
};

/** Cross-entropy with the output spike counts Σ_t s_t as logits (snnTorch's ce_count_loss). */
export function ceSpikeCount(output: Tensor, target: Tensor, labelSmoothing = 0): Tensor {
  return crossEntropy(sequenceOf('ce-spike-count', output).sum(0), target, { labelSmoothing });
}

/** Cross-entropy with the membrane averaged over time as logits (for leaky-integrator readouts). */
export function ceMeanMembrane(output: Tensor, target: Tensor, labelSmoothing = 0): Tensor {
  return crossEntropy(sequenceOf('ce-mean-membrane', output).mean(0), target, { labelSmoothing });
}

/** −log of the softmax averaged over time, p = (1/T) Σ_t softmax(o_t): every step votes with a distribution. */
export function ceSummedSoftmax(output: Tensor, target: Tensor): Tensor {
  const p = sequenceOf('ce-summed-softmax', output).softmax(-1).mean(0);
  return nllLoss(p.maximum(1e-12).log(), target);
}

/** Class scores [B, C] from a time-major output: the sum over time (spike counts, summed membrane). */
export function scoresOverTime(output: Tensor): Tensor {
  return output.rank === 3 ? output.sum(0) : output;
}

const smoothing = type({ labelSmoothing: '0 <= number < 1 = 0' });

export const spikingLosses: LossDef[] = [
  {
    name: 'ce-spike-count',
    description: 'cross-entropy on output spike counts over time ([T, B, C] spikes)',
    options: smoothing,
    create: (o) => (out, y) => ceSpikeCount(out, y, o.labelSmoothing),
    predict: scoresOverTime,
  },
  {
    name: 'ce-mean-membrane',
    description: 'cross-entropy on the time-averaged output membrane ([T, B, C], e.g. an li readout)',
    options: smoothing,
    create: (o) => (out, y) => ceMeanMembrane(out, y, o.labelSmoothing),
    predict: scoresOverTime,
  },
  {
    name: 'ce-summed-softmax',
    description: 'negative log of the per-step softmax averaged over time ([T, B, C])',
    options: type({}),
    create: () => (out, y) => ceSummedSoftmax(out, y),
    predict: (out) => (out.rank === 3 ? out.softmax(-1).sum(0) : out),
  },
];

export const firingRateOptions = type({
  weight: 'number >= 0 = 1',
  /** Pull each layer's mean rate (spikes per neuron per step) towards this value (squared error). */
  'target?': '0 <= number <= 1',
  /** Penalise neurons firing above this rate, squared (Zenke & Vogels 2021's upper bound). */
  'upper?': '0 <= number <= 1',
  /** Penalise neurons firing below this rate, squared (their lower bound against silent neurons). */
  'lower?': '0 <= number <= 1',
});
export type FiringRateOptions = typeof firingRateOptions.inferIn;

/**
 * A firing-rate regulariser over the spiking layers of a model: turns on their recording, and returns a
 * function giving the penalty of the last forward pass (add it to the loss before backward).
 */
export function firingRateRegulariser(model: Module, options: FiringRateOptions): () => Tensor {
  const o = firingRateOptions.assert(options);
  const layers = model.modules().flatMap(([, m]) => (m instanceof NeuronLayer ? [m] : []));
  for (const l of layers) l.record = true;
  return () => {
    let total: Tensor | null = null;
    for (const layer of layers) {
      const spikes = layer.activity?.spikes;
      if (!spikes) continue;
      // Rate per neuron: mean over time and batch.
      const rate = spikes.mean([0, 1]);
      const terms: Tensor[] = [];
      if (o.target !== undefined) terms.push(rate.mean().sub(o.target).square());
      if (o.upper !== undefined) terms.push(rate.sub(o.upper).relu().square().mean());
      if (o.lower !== undefined) terms.push(rate.neg().add(o.lower).relu().square().mean());
      for (const t of terms) total = total ? total.add(t) : t;
    }
    if (!total)
      throw new ShapeError(
        'firing-rate regulariser',
        'no spiking layer recorded activity; run a forward pass first',
      );
    return total.mul(o.weight);
  };
}

import type { Module, Tensor } from '@neurite/kernel';
import { type } from 'arktype';
import { isBatchStateful, setStepMode } from '../neurons/layer.js';

export const dynamicConfidenceOptions = type({
  /** The most steps any sample runs (the T of fixed-length inference). */
  steps: 'number.integer > 0',
  /** Exit once the largest softmax probability of the smoothed output exceeds this (the paper: 0.6). */
  threshold: '0 < number < 1 = 0.6',
  /**
   * z_t = scale · Σ_{τ≤t} o_τ. The paper's code divides converted-ANN logits by 30 (scale 1/30); spike
   * counts need a larger scale, so the default is 1 and models tune it on held-out data.
   */
  scale: 'number > 0 = 1',
  /** Steps every sample runs before it may exit. */
  minSteps: 'number.integer >= 1 = 1',
});
export type DynamicConfidenceOptions = typeof dynamicConfidenceOptions.inferIn;

export interface DynamicConfidenceResult {
  /** Predicted class per sample. */
  readonly predictions: Int32Array;
  /** Steps each sample used (1 … steps). */
  readonly steps: Int32Array;
  readonly meanSteps: number;
}

/**
 * Dynamic Confidence (Li, Jones & Furber, ICCV 2023): run the model one step at a time, accumulate its
 * output, and stop each sample as soon as the softmax of the accumulated output is confident enough,
 * predicting its argmax; samples that never get there run all steps. Finished samples leave the batch
 * (every stateful module drops their rows), so later steps cost only what is still running. The input is
 * static ([B, ...], the model's encoder turns it into one step per call) or a sequence [T, B, ...].
 */
export async function dynamicConfidence(
  model: Module,
  input: Tensor,
  options: DynamicConfidenceOptions,
  sequence = false,
): Promise<DynamicConfidenceResult> {
  const o = dynamicConfidenceOptions.assert(options);
  const rt = input.runtime;
  const B = sequence ? input.shape[1]! : input.shape[0]!;
  const predictions = new Int32Array(B);
  const steps = new Int32Array(B);
  const wasTraining = model.training;
  model.eval();
  setStepMode(model, 'single');
  try {
    await rt.noGradAsync(async () => {
      let active = Int32Array.from({ length: B }, (_, k) => k);
      let x = input;
      let z: Tensor | null = null;
      for (let t = 0; t < o.steps && active.length; t++) {
        const xt = sequence ? x.slice([t], [t + 1]).reshape(x.shape.slice(1)) : x;
        const out = model.forward(xt);
        const scores = out.rank > 2 ? out.reshape([out.shape[0]!, -1]) : out;
        z = z ? z.add(scores.mul(o.scale)) : scores.mul(o.scale);
        const last = t === o.steps - 1;
        const conf = z.softmax(-1).max(-1);
        const [confData, argData] = await Promise.all([conf.data(), z.argmax(-1).data()]);
        const keep: number[] = [];
        active.forEach((sample, k) => {
          if (last || (t + 1 >= o.minSteps && confData[k]! > o.threshold)) {
            predictions[sample] = argData[k]!;
            steps[sample] = t + 1;
          } else keep.push(k);
        });
        if (keep.length === active.length || last) continue;
        const index = rt.fromArray(Int32Array.from(keep), [keep.length], {
          dtype: 'int32',
          backend: input.backend,
        });
        active = Int32Array.from(keep, (k) => active[k]!);
        if (!active.length) break;
        z = z.indexSelect(0, index);
        x = x.indexSelect(sequence ? 1 : 0, index);
        for (const [, m] of model.modules()) if (isBatchStateful(m)) m.selectBatch(index);
      }
    });
  } finally {
    setStepMode(model, 'multi');
    model.train(wasTraining);
  }
  return { predictions, steps, meanSteps: steps.reduce((a, b) => a + b, 0) / B };
}

/** Fraction of predictions equal to the labels. */
export function accuracyOf(predictions: Int32Array, labels: ArrayLike<number>): number {
  let hits = 0;
  for (let k = 0; k < predictions.length; k++) if (predictions[k] === labels[k]) hits++;
  return hits / predictions.length;
}

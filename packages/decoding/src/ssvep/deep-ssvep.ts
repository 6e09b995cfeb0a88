import {
  Conv2d,
  Dropout,
  defineNode,
  Linear,
  Module,
  type NodeDescription,
  Parameter,
  type Rng,
  type Runtime,
  type Tensor,
} from '@neurite/kernel';
import { type } from 'arktype';
import { sosfiltfilt } from '../signal/filter.js';
import { cheby1 } from '../signal/iir-design.js';

/**
 * The Deep-SSVEP-BCI network (Guney, Oblokulov & Ozkan, IEEE TBME 2022; methods.md §6) as a trainable
 * kernel module. Input [B, 3 sub-bands, C channels, L samples]:
 *   1×1 conv over sub-bands to one map (weights start at 1, no bias) — a learned sum of the sub-bands;
 *   C×1 conv, 120 filters (spatial); dropout;
 *   1×2 conv, 120 filters, stride 2; dropout; ReLU;
 *   1×10 conv, 120 filters, 'same'; dropout;
 *   fully connected to the classes (logits; softmax lives in the loss).
 * Weights start N(0, 0.01) as in the paper.
 */
export const deepSsvepOptions = type({
  channels: 'number.integer > 0',
  samples: 'number.integer > 1',
  classes: 'number.integer > 1',
  subBands: 'number.integer > 0 = 3',
  filters: 'number.integer > 0 = 120',
  /** Dropout after the spatial and the stride-2 convolutions (0.1 global, 0.6–0.7 when fine-tuning). */
  firstDropout: '0 <= number < 1 = 0.1',
  /** Dropout before the classifier (0.95 in the paper). */
  lastDropout: '0 <= number < 1 = 0.95',
});
export type DeepSsvepOptions = typeof deepSsvepOptions.infer;

declare module '@neurite/kernel' {
  interface NodeOptions {
    'deep-ssvep': typeof deepSsvepOptions.inferIn;
  }
}

export class DeepSsvep extends Module {
  readonly options: DeepSsvepOptions;
  subBandWeight: Parameter;
  spatial: Conv2d;
  temporal: Conv2d;
  context: Conv2d;
  dropout1: Dropout;
  dropout2: Dropout;
  dropout3: Dropout;
  classifier: Linear;

  constructor(rt: Runtime, options: typeof deepSsvepOptions.inferIn, rng: Rng = rt.rng.split()) {
    super();
    const o = deepSsvepOptions.assert(options);
    this.options = o;
    const normal = (shape: number[]) => rt.randn(shape, { std: 0.01, rng });
    this.subBandWeight = new Parameter(rt.ones([1, o.subBands, 1, 1]));
    this.spatial = new Conv2d(
      rt,
      { inChannels: 1, outChannels: o.filters, kernelSize: [o.channels, 1] },
      rng,
    );
    this.temporal = new Conv2d(
      rt,
      { inChannels: o.filters, outChannels: o.filters, kernelSize: [1, 2], stride: [1, 2] },
      rng,
    );
    this.context = new Conv2d(
      rt,
      { inChannels: o.filters, outChannels: o.filters, kernelSize: [1, 10], padding: 'same' },
      rng,
    );
    const half = Math.floor(o.samples / 2);
    this.classifier = new Linear(rt, { inFeatures: o.filters * half, outFeatures: o.classes }, rng);
    for (const layer of [this.spatial, this.temporal, this.context]) {
      layer.weight.assign(normal([...layer.weight.shape]));
      if (layer.bias) layer.bias.assign(normal([...layer.bias.shape]));
    }
    this.classifier.weight.assign(normal([...this.classifier.weight.shape]));
    if (this.classifier.bias) this.classifier.bias.assign(normal([...this.classifier.bias.shape]));
    this.dropout1 = new Dropout({ p: o.firstDropout }, rng.split());
    this.dropout2 = new Dropout({ p: o.firstDropout }, rng.split());
    this.dropout3 = new Dropout({ p: o.lastDropout }, rng.split());
  }

  forward(x: Tensor): Tensor {
    // 1×1 convolution over sub-bands without bias: a weighted sum, [B, 1, C, L].
    let h = x.mul(this.subBandWeight).sum(1, true);
    h = this.dropout1.forward(this.spatial.forward(h));
    h = this.dropout2.forward(this.temporal.forward(h)).relu();
    h = this.dropout3.forward(this.context.forward(h));
    return this.classifier.forward(h.flatten(1));
  }

  override describe(): NodeDescription {
    return { type: 'deep-ssvep', options: this.options };
  }
}

export const deepSsvepNode = defineNode({
  name: 'deep-ssvep',
  description:
    'Deep-SSVEP-BCI network: sub-band sum, spatial, stride-2 and context convolutions, linear classifier',
  options: deepSsvepOptions,
  // A small network (8 filters instead of 120) over 2 sub-bands of 4 channels × 20 samples.
  example: {
    options: { channels: 4, samples: 20, classes: 3, subBands: 2, filters: 8 },
    input: (rt) => rt.randn([2, 2, 4, 20]),
  },
  build: (options, ctx) => new DeepSsvep(ctx.runtime, options, ctx.rng),
});

/**
 * The network's input from trials [channels × samples] (row-major): three sub-bands by zero-phase
 * Chebyshev I filters (order 2, 1 dB ripple) passing [8i, 90] Hz for i = 1..3, as [N, 3, C, L] float32.
 * The upper edge is lowered below Nyquist for low sampling rates.
 */
export function deepSsvepInput(
  trials: readonly Float64Array[],
  channels: number,
  samples: number,
  fs: number,
  subBands = 3,
): Float32Array {
  const upper = Math.min(90, 0.45 * fs);
  const bank = Array.from({ length: subBands }, (_, i) => cheby1(2, 1, [8 * (i + 1), upper], 'bandpass', fs));
  const out = new Float32Array(trials.length * subBands * channels * samples);
  trials.forEach((t, n) => {
    bank.forEach((sos, b) => {
      for (let c = 0; c < channels; c++) {
        const y = sosfiltfilt(sos, t.subarray(c * samples, (c + 1) * samples));
        out.set(y, ((n * subBands + b) * channels + c) * samples);
      }
    });
  });
  return out;
}

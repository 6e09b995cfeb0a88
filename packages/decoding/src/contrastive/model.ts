import {
  Conv1d,
  defineNode,
  Module,
  type NodeDescription,
  Parameter,
  type Rng,
  type Runtime,
  type Tensor,
} from '@neurite/kernel';
import { type } from 'arktype';

/**
 * brainmagick's subject layer (methods.md §8): one matrix M_s [C_in × C_out] per subject, initialised
 * randn/√C_in; out[b, d, t] = Σ_c x[b, c, t]·M_{s_b}[c, d]. Subjects are an int32 tensor [B].
 */
export class SubjectLayers extends Module {
  weights: Parameter;
  constructor(
    rt: Runtime,
    readonly subjects: number,
    readonly inChannels: number,
    readonly outChannels: number,
    rng: Rng = rt.rng.split(),
  ) {
    super();
    this.weights = new Parameter(
      rt.randn([subjects, inChannels, outChannels], { std: 1 / Math.sqrt(inChannels), rng }),
    );
  }

  forward(x: Tensor, subjects?: Tensor): Tensor {
    const b = x.shape[0]!;
    const index = subjects ?? x.runtime.zeros([b], { dtype: 'int32' });
    // [B, C_in, C_out] → transposed [B, C_out, C_in] @ x [B, C_in, T] = [B, C_out, T].
    return this.weights.indexSelect(0, index).matmul(x, { transA: true });
  }
}

export const brainEncoderOptions = type({
  inChannels: 'number.integer > 0',
  outChannels: 'number.integer > 0',
  subjects: 'number.integer > 0 = 1',
  hidden: 'number.integer > 0 = 32',
  /** Temporal kernel of the first convolution ('valid'): the output is kernel − 1 samples shorter. */
  kernel: 'number.integer > 0 = 21',
});

declare module '@neurite/kernel' {
  interface NodeOptions {
    'brain-encoder': typeof brainEncoderOptions.inferIn;
  }
}

/**
 * A small brain → stimulus encoder in brainmagick's shape: per-subject layer, a temporal convolution
 * with a ReLU, a residual 3-tap convolution, and a 1×1 projection to the stimulus features.
 * Input [B, C_in, T] and subject ids [B]; output [B, C_out, T − kernel + 1].
 */
export class BrainEncoder extends Module {
  readonly options: typeof brainEncoderOptions.infer;
  subjectLayers: SubjectLayers;
  temporal: Conv1d;
  residual: Conv1d;
  project: Conv1d;

  constructor(rt: Runtime, options: typeof brainEncoderOptions.inferIn, rng: Rng = rt.rng.split()) {
    super();
    const o = brainEncoderOptions.assert(options);
    this.options = o;
    this.subjectLayers = new SubjectLayers(rt, o.subjects, o.inChannels, o.hidden, rng);
    this.temporal = new Conv1d(
      rt,
      { inChannels: o.hidden, outChannels: o.hidden, kernelSize: o.kernel },
      rng,
    );
    this.residual = new Conv1d(
      rt,
      { inChannels: o.hidden, outChannels: o.hidden, kernelSize: 3, padding: 'same' },
      rng,
    );
    this.project = new Conv1d(rt, { inChannels: o.hidden, outChannels: o.outChannels, kernelSize: 1 }, rng);
  }

  forward(x: Tensor, subjects?: Tensor): Tensor {
    const h = this.temporal.forward(this.subjectLayers.forward(x, subjects)).relu();
    return this.project.forward(h.add(this.residual.forward(h).relu()));
  }

  override describe(): NodeDescription {
    return { type: 'brain-encoder', options: this.options };
  }
}

export const brainEncoderNode = defineNode({
  name: 'brain-encoder',
  description:
    'brain → stimulus encoder: subject layers, temporal and residual convolutions, projection (brainmagick-style)',
  options: brainEncoderOptions,
  // Two subjects' layers (the forward without subject ids uses subject 0), 5 → 3 channels over 16 samples.
  example: {
    options: { inChannels: 5, outChannels: 3, subjects: 2, hidden: 6, kernel: 5 },
    input: (rt) => rt.randn([2, 5, 16]),
  },
  build: (options, ctx) => new BrainEncoder(ctx.runtime, options, ctx.rng),
});

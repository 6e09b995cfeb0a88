import {
  BatchNorm1d,
  batchNormOptions,
  type NodeDescription,
  ShapeError,
  type Tensor,
} from '@neurite/kernel';

declare module '@neurite/kernel' {
  interface NodeOptions {
    'seq-batchnorm1d': typeof batchNormOptions.inferIn;
  }
}

/**
 * Batch normalisation of a time-major sequence [T, B, C] per channel, with the statistics taken over every
 * step and sample (T·B values per channel): SpikingJelly's multi-step BatchNorm1d, which the DCLS network
 * puts after each synaptic layer. The kernel's `batchnorm1d` reads axis 1 as channels, so the sequence is
 * folded to [T·B, C] around it (a reshape, no copy).
 */
export class SeqBatchNorm1d extends BatchNorm1d {
  override forward(x: Tensor): Tensor {
    if (x.rank !== 3 || x.shape[2] !== this.options.numFeatures) {
      throw new ShapeError('seq-batchnorm1d', `input must be [T, B, ${this.options.numFeatures}]`, [x.shape]);
    }
    const [T, B, C] = x.shape as [number, number, number];
    return super.forward(x.reshape([T * B, C])).reshape([T, B, C]);
  }

  override describe(): NodeDescription {
    return { type: 'seq-batchnorm1d', options: this.options };
  }
}

export { batchNormOptions as seqBatchNormOptions };

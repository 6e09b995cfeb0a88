import { crossEntropy, type LossDef, ShapeError, type Tensor } from '@neurite/kernel';
import { type } from 'arktype';

/**
 * The DCLS reference's loss (`loss = 'sum'`, `loss_fn = 'CEloss'`): the readout membrane's softmax summed
 * over time, m = Σ_t softmax(o_t), taken as the logits of a cross-entropy, CE(m, y) = −log softmax(m)_y.
 * (Not the same as `ce-summed-softmax` of @neurite/neuron-lif, which is −log of the time-averaged
 * softmax; the two rank classes alike, so accuracy is the same.)
 */
export function summedSoftmaxCrossEntropy(output: Tensor, target: Tensor): Tensor {
  if (output.rank !== 3) {
    throw new ShapeError('summed-softmax-ce', 'expects the model output time-major [T, B, classes]', [
      output.shape,
    ]);
  }
  return crossEntropy(output.softmax(-1).sum(0), target);
}

export const summedSoftmaxLoss: LossDef = {
  name: 'summed-softmax-ce',
  description: 'cross-entropy with Σ_t softmax(o_t) as the logits ([T, B, C]; the DCLS reference loss)',
  options: type({}),
  create: () => summedSoftmaxCrossEntropy,
  predict: (out) => (out.rank === 3 ? out.softmax(-1).sum(0) : out),
};

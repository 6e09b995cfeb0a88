import { definePlugin } from '@neurite/kernel';
import { datasetDefs } from './data/datasets.js';
import { formatDefs } from './formats/registry.js';
import { VERSION } from './version.js';

/** The datasets plugin: file formats for `neurite inspect` and datasets for training configs. */
export const datasetsPlugin = definePlugin({
  name: '@neurite/datasets',
  version: VERSION,
  apiVersion: '^1.0.0',
  description:
    'Event-camera, cochlea, SHD/SSC and audio readers; transforms; spiking FSDD, SHD, SSC, N-MNIST and MNIST datasets',
  setup(ctx) {
    for (const format of formatDefs()) ctx.register('format', format);
    for (const dataset of datasetDefs()) ctx.register('dataset', dataset);
  },
});

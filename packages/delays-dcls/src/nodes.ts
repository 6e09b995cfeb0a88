import { defineNode, type NodeType } from '@neurite/kernel';
import { Dcls1d, dcls1dOptions } from './layers/dcls1d.js';
import { SeqBatchNorm1d, seqBatchNormOptions } from './layers/seq-batchnorm.js';
import { buildDclsSnn, dclsSnnOptions } from './network/dcls-snn.js';

export const dcls1dNode: NodeType = defineNode({
  name: 'dcls1d',
  description:
    'DCLS synaptic layer over time: a weight and a learnable delay per synapse, [T, B, in] → [T + (K−1)/2, B, out]',
  options: dcls1dOptions,
  example: {
    options: { inFeatures: 3, outFeatures: 2, kernelSize: 5 },
    input: (rt) => rt.rand([6, 2, 3]).lt(0.4),
  },
  build: (o, ctx) => new Dcls1d(ctx.runtime, o, ctx.rng),
});

export const seqBatchNormNode: NodeType = defineNode({
  name: 'seq-batchnorm1d',
  description:
    'batch normalisation of [T, B, C] sequences per channel, statistics over all T·B (multi-step BatchNorm1d)',
  options: seqBatchNormOptions,
  example: { options: { numFeatures: 3 }, input: (rt) => rt.randn([5, 2, 3]) },
  build: (o, ctx) => new SeqBatchNorm1d(ctx.runtime, o),
});

export const dclsSnnNode: NodeType = defineNode({
  name: 'dcls-snn',
  description:
    'the DCLS delay SNN: (dcls1d → seq-batchnorm1d → lif → dropout) × layers → dcls1d → li, layers named dcls1, bn1, …',
  options: dclsSnnOptions,
  example: {
    options: { inFeatures: 4, classes: 3, hidden: 5, maxDelay: 5 },
    input: (rt) => rt.rand([8, 2, 4]).lt(0.4),
  },
  build: buildDclsSnn,
});

export const dclsNodes: NodeType[] = [dcls1dNode, seqBatchNormNode, dclsSnnNode];

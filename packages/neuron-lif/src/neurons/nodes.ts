import { type BuildContext, defineNode, type NodeType, type Runtime } from '@neurite/kernel';
import { type } from 'arktype';
import { resolveSurrogate, type SurrogateOption, surrogateOptionSchema } from '../surrogates/resolve.js';
import { type NeuronConfig, NeuronFamilyLayer, type ParamName } from './family.js';
import { type Discretisation, decayFrom } from './params.js';

const unit = '0 <= number <= 1';
const spikingOptions = {
  threshold: 'number = 1',
  reset: "'subtract' | 'zero' | 'none' = 'subtract'",
  vReset: 'number = 0',
  detachReset: 'boolean = false',
  'surrogate?': surrogateOptionSchema,
  output: "'spikes' | 'membrane' = 'spikes'",
} as const;
const decayOptions = {
  'beta?': unit,
  'tau?': 'number > 0',
  dt: 'number > 0 = 1',
  discretisation: "'euler' | 'exact' = 'euler'",
} as const;
const shapeOption = { 'paramShape?': 'number.integer > 0 []' } as const;

export const ifOptions = type({ ...spikingOptions, ...shapeOption, 'learn?': "'threshold'[]" });
export const lifOptions = type({
  ...spikingOptions,
  ...decayOptions,
  ...shapeOption,
  decayInput: 'boolean = false',
  'learn?': "('beta' | 'threshold')[]",
});
export const cubaLifOptions = type({
  ...spikingOptions,
  ...decayOptions,
  ...shapeOption,
  'alpha?': unit,
  'tauSyn?': 'number > 0',
  'learn?': "('beta' | 'alpha' | 'threshold')[]",
});
export const alifOptions = type({
  ...spikingOptions,
  ...decayOptions,
  ...shapeOption,
  decayInput: 'boolean = false',
  'rho?': unit,
  'tauAdapt?': 'number > 0',
  kappa: 'number >= 0 = 0.1',
  'learn?': "('beta' | 'threshold' | 'rho' | 'kappa')[]",
});
export const liOptions = type({
  ...decayOptions,
  ...shapeOption,
  decayInput: 'boolean = false',
  'alpha?': unit,
  'tauSyn?': 'number > 0',
  'learn?': "('beta' | 'alpha')[]",
});

declare module '@neurite/kernel' {
  interface NodeOptions {
    if: typeof ifOptions.inferIn;
    lif: typeof lifOptions.inferIn;
    'cuba-lif': typeof cubaLifOptions.inferIn;
    alif: typeof alifOptions.inferIn;
    li: typeof liOptions.inferIn;
  }
}

/** A sample input for the conformance kit: [T, B, N] = [6, 2, 3] currents that cross the threshold. */
const sequence = (rt: Runtime) => rt.rand([6, 2, 3], { low: -0.2, high: 1.2 });

/** Default membrane decay when neither beta nor tau is given (the snnTorch tutorials' β). */
export const DEFAULT_BETA = 0.9;

interface Common {
  threshold?: number;
  reset?: 'subtract' | 'zero' | 'none';
  vReset?: number;
  detachReset?: boolean;
  surrogate?: SurrogateOption | undefined;
  output?: 'spikes' | 'membrane';
  paramShape?: number[] | undefined;
  learn?: ParamName[] | undefined;
  beta?: number | undefined;
  tau?: number | undefined;
  dt?: number;
  discretisation?: Discretisation;
  decayInput?: boolean;
}

/** Resolves the options every member shares; returns the config and the options as exported. */
function common(rt: Runtime, o: Common, path: string, spiking: boolean, leaky: boolean) {
  const surrogateSpec = resolveSurrogate(rt, o.surrogate ?? 'atan', `${path}.surrogate`);
  const { name, ...surrogateParams } = surrogateSpec;
  const beta = leaky
    ? decayFrom(o.beta, o.tau, o.dt ?? 1, o.discretisation ?? 'euler', DEFAULT_BETA, path, ['beta', 'tau'])
    : 1;
  const config: NeuronConfig = {
    beta,
    ...(spiking && { threshold: o.threshold ?? 1 }),
    learn: o.learn ?? [],
    ...(o.paramShape && { paramShape: o.paramShape }),
    reset: o.reset ?? 'subtract',
    vReset: o.vReset ?? 0,
    detachReset: o.detachReset ?? false,
    surrogate: surrogateSpec,
    output: o.output ?? 'spikes',
    decayInput: o.decayInput ?? false,
  };
  const exported: Record<string, unknown> = {
    ...o,
    ...(spiking && { surrogate: { type: name, ...surrogateParams } }),
  };
  return { config, exported };
}

function buildFamily(
  type: string,
  o: Common & Record<string, unknown>,
  ctx: BuildContext,
  spiking: boolean,
  leaky: boolean,
  extra: (c: NeuronConfig) => NeuronConfig,
) {
  const { config, exported } = common(ctx.runtime, o, ctx.path, spiking, leaky);
  return new NeuronFamilyLayer(ctx.runtime, type, exported, extra(config));
}

export const ifNode: NodeType = defineNode({
  name: 'if',
  description: 'integrate-and-fire neuron: v ← v + x, spike when v > threshold, then reset',
  options: ifOptions,
  example: { options: { paramShape: [3], learn: ['threshold'] }, input: sequence },
  build: (o, ctx) => buildFamily('if', o, ctx, true, false, (c) => c),
});

export const lifNode: NodeType = defineNode({
  name: 'lif',
  description:
    'leaky integrate-and-fire neuron: v ← β·v + x (beta, or tau with dt), spike when v > threshold',
  options: lifOptions,
  example: {
    options: { tau: 4, paramShape: [3], learn: ['beta', 'threshold'], reset: 'zero' },
    input: sequence,
  },
  build: (o, ctx) => buildFamily('lif', o, ctx, true, true, (c) => c),
});

export const cubaLifNode: NodeType = defineNode({
  name: 'cuba-lif',
  description: 'current-based LIF: i ← α·i + x, v ← β·v + i, spike when v > threshold',
  options: cubaLifOptions,
  example: { options: { alpha: 0.7, threshold: 0.8, learn: ['alpha'] }, input: sequence },
  build: (o, ctx) => {
    const alpha = decayFrom(o.alpha, o.tauSyn, o.dt, o.discretisation, 0.8, ctx.path, ['alpha', 'tauSyn']);
    return buildFamily('cuba-lif', o, ctx, true, true, (c) => ({ ...c, alpha }));
  },
});

export const alifNode: NodeType = defineNode({
  name: 'alif',
  description: 'adaptive LIF: threshold θ + κ·a with a ← ρ·a + s; v ← β·v + x',
  options: alifOptions,
  example: {
    options: { tauAdapt: 10, kappa: 0.3, paramShape: [3], learn: ['rho', 'kappa'] },
    input: sequence,
  },
  build: (o, ctx) => {
    const rho = decayFrom(o.rho, o.tauAdapt, o.dt, o.discretisation, 0.95, ctx.path, ['rho', 'tauAdapt']);
    return buildFamily('alif', o, ctx, true, true, (c) => ({ ...c, rho, kappa: o.kappa }));
  },
});

export const liNode: NodeType = defineNode({
  name: 'li',
  description: 'leaky integrator readout (no spikes): v ← β·v + x, with an optional synaptic current (alpha)',
  options: liOptions,
  example: { options: { tauSyn: 3, learn: ['beta'] }, input: sequence },
  build: (o, ctx) => {
    const hasSynapse = o.alpha !== undefined || o.tauSyn !== undefined;
    const alpha = hasSynapse
      ? decayFrom(o.alpha, o.tauSyn, o.dt, o.discretisation, 0.8, ctx.path, ['alpha', 'tauSyn'])
      : undefined;
    return buildFamily('li', { ...o, output: 'membrane' }, ctx, false, true, (c) => ({
      ...c,
      ...(alpha !== undefined && { alpha }),
    }));
  },
});

export const neuronNodes: NodeType[] = [ifNode, lifNode, cubaLifNode, alifNode, liNode];

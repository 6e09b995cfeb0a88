import type { NodeDescription, Runtime, Tensor } from '@neurite/kernel';
import type { ResetMode, SurrogateSpec } from '../ops/attrs.js';
import type { ScanParams } from '../ops/scan.js';
import { NeuronLayer } from './layer.js';
import { forScan, type NeuronParam, neuronParam } from './params.js';

/** The names of the neuron parameters, as the options' `learn` list and the state dict name them. */
export type ParamName = 'beta' | 'alpha' | 'threshold' | 'rho' | 'kappa';

/** A neuron of the LIF family with every choice resolved to numbers. */
export interface NeuronConfig {
  /** Membrane decay per step (1 for IF). */
  readonly beta: number;
  /** Synaptic current decay per step: present for current-based neurons. */
  readonly alpha?: number;
  /** Threshold: present for spiking neurons. */
  readonly threshold?: number;
  /** Adaptation decay and strength: present for adaptive neurons. */
  readonly rho?: number;
  readonly kappa?: number;
  readonly learn: readonly ParamName[];
  /** Shape of per-neuron parameters ([N], [C, 1, 1], …); absent: one value per layer. */
  readonly paramShape?: readonly number[];
  readonly reset: ResetMode;
  readonly vReset: number;
  readonly detachReset: boolean;
  readonly surrogate: SurrogateSpec;
  readonly output: 'spikes' | 'membrane';
  /** Scale the input by 1 − β (SpikingJelly's decay_input), so a constant input x settles at x. */
  readonly decayInput: boolean;
}

/** Decays are kept in [0, 1] while they train (snnTorch clamps β the same way). */
const DECAYS: readonly ParamName[] = ['beta', 'alpha', 'rho'];

/**
 * The one module behind `if`, `lif`, `cuba-lif`, `alif` and `li`: which parameters exist decides which
 * states the scan keeps. The node type and its options are kept for export to the graph form.
 */
export class NeuronFamilyLayer extends NeuronLayer {
  beta: NeuronParam | undefined;
  alpha: NeuronParam | undefined;
  threshold: NeuronParam | undefined;
  rho: NeuronParam | undefined;
  kappa: NeuronParam | undefined;
  readonly #unitDecay: Tensor | null;
  protected readonly outputKind: 'spikes' | 'membrane';

  constructor(
    rt: Runtime,
    readonly type: string,
    readonly options: Readonly<Record<string, unknown>>,
    readonly config: NeuronConfig,
  ) {
    super();
    const learn = new Set(config.learn);
    const make = (name: ParamName, value: number | undefined) =>
      value === undefined ? undefined : neuronParam(rt, value, config.paramShape, learn.has(name));
    // IF has no leak: β = 1 is a constant of the neuron, not a parameter.
    this.#unitDecay = type === 'if' ? rt.scalar(1) : null;
    if (!this.#unitDecay) this.beta = make('beta', config.beta);
    this.alpha = make('alpha', config.alpha);
    this.threshold = make('threshold', config.threshold);
    this.rho = make('rho', config.rho);
    this.kappa = make('kappa', config.kappa);
    this.outputKind = config.threshold === undefined ? 'membrane' : config.output;
  }

  #value(name: ParamName, features: readonly number[]): Tensor | undefined {
    const p = this[name];
    if (!p) return undefined;
    const bounded = p.requiresGrad && DECAYS.includes(name) ? p.clamp(0, 1) : p;
    return forScan(bounded, features, this.type);
  }

  protected scanParams(features: readonly number[]): ScanParams {
    const beta = this.#unitDecay ?? this.#value('beta', features)!;
    const params: { -readonly [K in keyof ScanParams]: ScanParams[K] } = { beta };
    for (const name of ['alpha', 'threshold', 'rho', 'kappa'] as const) {
      const v = this.#value(name, features);
      if (v) params[name] = v;
    }
    return params;
  }

  protected scanOptions() {
    const { reset, vReset, detachReset, surrogate } = this.config;
    return { reset, vReset, detachReset, surrogate };
  }

  protected override transformInput(x: Tensor): Tensor {
    if (!this.config.decayInput) return x;
    const beta = this.#value('beta', x.shape.slice(2))!;
    const scale = beta.neg().add(1);
    return x.mul(scale.size === 1 ? scale.reshape([]) : scale.reshape(x.shape.slice(2)));
  }

  override describe(): NodeDescription {
    return { type: this.type, options: this.options };
  }
}

import {
  Buffer,
  init,
  Module,
  type NodeDescription,
  Parameter,
  type Rng,
  type Runtime,
  ShapeError,
  type Tensor,
} from '@neurite/kernel';
import { type } from 'arktype';
import type { DclsVersion } from '../ops/bump.js';
import { dcls1d } from '../ops/dcls1d.js';
import { sigmaAfter } from './sigma-schedule.js';

export const delayModes = ['learned', 'random', 'none'] as const;
export type DelayMode = (typeof delayModes)[number];

/** Options every DCLS layer shares (the composite network passes them through). */
export const dclsKernelOptions = {
  /**
   * 'learned': positions are trained (Gaussian kernel whose width decays, clamped positions);
   * 'random': positions drawn once, rounded and frozen (the reference's `snn_delays_lr0`);
   * 'none': every delay 0 (a plain weight matrix per step).
   */
  delays: "'learned' | 'random' | 'none' = 'learned'",
  /** The training kernel of learned delays: Gaussian ('gauss') or triangle ('max'). */
  version: "'gauss' | 'max' = 'gauss'",
  /** Initial SIG of learned delays; default ⌊K/2⌋ (the reference's sigInit = max_delay // 2). */
  'sigInit?': 'number >= 0',
  /** SIG at the end of its decay (0.23: σ = 0.5). */
  sigFinal: 'number >= 0 = 0.23',
  /** Share of the epochs over which SIG decays (the reference: epochs // 4). */
  decayFraction: '0 <= number <= 1 = 0.25',
  /** 'gauss': taps beyond truncate·σ from the centre are skipped (error < 1e-7·|w| per tap at 6). */
  truncate: 'number > 0 = 6',
  /**
   * Eval mode of learned delays: 'rounded' (SIG = 0, 'max', rounded positions: integer delays, a pure
   * delay line) or 'as-trained' (the training kernel, as the reference's validation loop runs it).
   */
  inference: "'rounded' | 'as-trained' = 'rounded'",
} as const;

export const dcls1dOptions = type({
  inFeatures: 'number.integer > 0',
  outFeatures: 'number.integer > 0',
  /** K, taps per synapse: delays 0 … K − 1 steps. Odd, as the reference keeps it. */
  kernelSize: 'number.integer > 0',
  ...dclsKernelOptions,
}).narrow((o, ctx) =>
  o.kernelSize % 2 === 1
    ? true
    : ctx.reject({
        path: ['kernelSize'],
        expected: 'odd (the reference makes it odd: use K + 1)',
        actual: String(o.kernelSize),
      }),
);
export type Dcls1dOptions = typeof dcls1dOptions.infer;

declare module '@neurite/kernel' {
  interface NodeOptions {
    dcls1d: typeof dcls1dOptions.inferIn;
  }
}

/** The layer as a pure delay line: one weight and one whole-step delay per synapse. */
export interface DelayLine {
  /** [out, in] */
  readonly weight: Tensor;
  /** [out, in], int32 steps in 0 … K − 1 */
  readonly delay: Tensor;
}

/**
 * A DCLS synaptic layer over time (Hammouamri, Khalfaoui-Hassani & Masquelier, ICLR 2024): one weight and
 * one position per synapse; x [T, B, in] → [T + (K − 1)//2, B, out], synapse (o, i) delaying its input
 * by d = lim − p steps (lim = ⌊K/2⌋) once its kernel is one-hot.
 *
 * State: `weight` and `positions` (Parameters, [out, in]) and `sig` (a Buffer holding SIG). Positions are
 * Parameters in every mode so that every mode has the same state and parameter names; in 'random' and
 * 'none' they are frozen (no gradient), as the reference freezes P with requires_grad = False.
 */
export class Dcls1d extends Module {
  #options: Dcls1dOptions;
  weight: Parameter;
  positions: Parameter;
  sig: Buffer;
  readonly #rt: Runtime;

  constructor(rt: Runtime, options: typeof dcls1dOptions.inferIn, rng: Rng = rt.rng.split()) {
    super();
    this.#rt = rt;
    this.#options = dcls1dOptions.assert(options);
    const { inFeatures, outFeatures, kernelSize: K, delays } = this.options;
    const lim = this.lim;
    // Kaiming-uniform with the relu gain, U(±√(6/in)), as the reference re-initialises its weights.
    this.weight = new Parameter(
      init.kaimingUniform(rt, [outFeatures, inFeatures], { rng, nonlinearity: 'relu' }),
    );
    let p: Tensor;
    if (delays === 'none') p = rt.full([outFeatures, inFeatures], lim);
    else {
      // U[-K//2, K//2] in Python's floor division (−13 … 12 for K = 25), clamped to [−lim, lim].
      p = init.uniform(rt, [outFeatures, inFeatures], Math.floor(-K / 2), lim, { rng }).clamp(-lim, lim);
      if (delays === 'random') p = p.round().clamp(-lim, lim);
    }
    this.positions = new Parameter(p);
    if (delays !== 'learned') this.positions.requiresGrad = false;
    this.sig = new Buffer(rt.scalar(delays === 'learned' ? this.sigInit : 0));
  }

  /** The validated options (defaults applied), as the layer exports them. */
  get options(): Dcls1dOptions {
    return this.#options;
  }

  /** How eval mode runs learned delays; switchable after training (e.g. to compare both). */
  get inference(): Dcls1dOptions['inference'] {
    return this.#options.inference;
  }

  set inference(mode: Dcls1dOptions['inference']) {
    this.#options = dcls1dOptions.assert({ ...this.#options, inference: mode });
  }

  get kernelSize(): number {
    return this.options.kernelSize;
  }

  /** ⌊K/2⌋: positions live in [−lim, lim], delay d = lim − p. */
  get lim(): number {
    return Math.floor(this.options.kernelSize / 2);
  }

  /** SIG at the start of training: the option, or ⌊K/2⌋ as the reference's max_delay // 2. */
  get sigInit(): number {
    return this.options.sigInit ?? this.lim;
  }

  /** Trainable weights plus, for learned delays, trainable positions. */
  trainableCount(): { weights: number; positions: number } {
    const n = this.options.inFeatures * this.options.outFeatures;
    return { weights: n, positions: this.positions.requiresGrad ? n : 0 };
  }

  /** What the convolution runs with now: learned delays in eval mode become integer delays. */
  #kernel(): { positions: Tensor; sig: Tensor | number; version: DclsVersion } {
    const { delays, inference, version } = this.options;
    if (delays !== 'learned') return { positions: this.positions, sig: 0, version: 'max' };
    if (!this.training && inference === 'rounded') {
      return { positions: this.#rt.noGrad(() => this.positions.round()), sig: 0, version: 'max' };
    }
    return { positions: this.positions, sig: this.sig, version };
  }

  forward(x: Tensor): Tensor {
    if (x.rank !== 3 || x.shape[2] !== this.options.inFeatures) {
      throw new ShapeError('dcls1d', `input must be time-major [T, B, ${this.options.inFeatures}]`, [
        x.shape,
      ]);
    }
    const k = this.#kernel();
    return dcls1d(x, this.weight, k.positions, k.sig, {
      kernelSize: this.options.kernelSize,
      version: k.version,
      truncate: this.options.truncate,
    });
  }

  /** Positions back into [−lim, lim] after every optimiser step (the reference's clamp_parameters). */
  onStepEnd(): void {
    if (this.options.delays !== 'learned') return;
    const lim = this.lim;
    this.#rt.noGrad(() => this.positions.assign(this.positions.clamp(-lim, lim)));
  }

  /** SIG after `epoch` of `epochs` epochs, by the reference's exponential schedule. */
  onEpochEnd(epoch: number, epochs: number): void {
    if (this.options.delays !== 'learned') return;
    const value = sigmaAfter({ ...this.options, sigInit: this.sigInit }, epoch, epochs);
    this.sig.assign(this.#rt.scalar(value, { dtype: this.sig.dtype, backend: this.sig.backend }));
  }

  /**
   * The layer as it runs at inference with rounded positions: weights and whole-step delays
   * d = lim − round(p) ∈ [0, K − 1]. (The normalised one-hot kernel is 1/(1 + 1e-7), so the delay line's
   * gain differs from the weight by 1e-7 relative.)
   */
  delayLine(): DelayLine {
    return this.#rt.noGrad(() => ({
      weight: this.weight.detach(),
      delay: this.positions.round().clamp(-this.lim, this.lim).neg().add(this.lim).cast('int32'),
    }));
  }

  override describe(): NodeDescription {
    return { type: 'dcls1d', options: this.options };
  }
}

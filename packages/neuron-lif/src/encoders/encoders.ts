import {
  DTypeError,
  defineNode,
  Module,
  type NodeDescription,
  type NodeType,
  ops,
  type Rng,
  ShapeError,
  type Tensor,
} from '@neurite/kernel';
import { type } from 'arktype';
import type { BatchStateful, StepMode, Stepped } from '../neurons/layer.js';

export const rateEncoderOptions = type({ steps: 'number.integer > 0', gain: 'number > 0 = 1' });
export const latencyEncoderOptions = type({
  steps: 'number.integer > 0',
  /** linear: t = (1 − x)·(T − 1); log: the RC charging time τ·ln(x / (x − threshold)), clipped to T − 1. */
  mode: "'linear' | 'log' = 'linear'",
  tau: 'number > 0 = 5',
  /** Inputs at or below it never spike. */
  threshold: '0 <= number < 1 = 0.01',
});
export const deltaEncoderOptions = type({
  threshold: 'number > 0 = 0.1',
  /** Emit OFF spikes (a decrease) on a second channel: output [T, B, 2, ...F]. */
  off: 'boolean = true',
  /** What step 0 is compared with: itself (no initial spikes) or zero. */
  initial: "'first' | 'zero' = 'first'",
});

declare module '@neurite/kernel' {
  interface NodeOptions {
    'rate-encoder': typeof rateEncoderOptions.inferIn;
    'latency-encoder': typeof latencyEncoderOptions.inferIn;
    'delta-encoder': typeof deltaEncoderOptions.inferIn;
  }
}

const checkUnit = (name: string, x: Tensor) => {
  if (x.dtype !== 'float32' && x.dtype !== 'float64')
    throw new DTypeError(name, `expects intensities in [0, 1] as float, found ${x.dtype}`);
};

/**
 * Rate coding: at every step each input fires with probability clamp(gain·x, 0, 1) (Bernoulli). Multi-step:
 * [B, ...F] → [T, B, ...F] spikes in one random op; single-step: one step [B, ...F] per call. Draws from
 * its own stream (saved in checkpoints with the model).
 */
export class RateEncoder extends Module implements Stepped {
  stepMode: StepMode = 'multi';
  readonly options: typeof rateEncoderOptions.infer;
  constructor(
    options: typeof rateEncoderOptions.inferIn,
    readonly rng: Rng,
  ) {
    super();
    this.options = rateEncoderOptions.assert(options);
  }
  forward(x: Tensor): Tensor {
    checkUnit('rate-encoder', x);
    const { steps, gain } = this.options;
    const p = (gain === 1 ? x : x.mul(gain)).clamp(0, 1);
    const shape = this.stepMode === 'single' ? x.shape : [steps, ...x.shape];
    return x.runtime.bernoulli(p.detach(), shape, { rng: this.rng, backend: x.backend });
  }
  override describe(): NodeDescription {
    return { type: 'rate-encoder', options: this.options };
  }
}

/**
 * Latency (time-to-first-spike) coding: each input fires once, earlier the stronger it is; inputs at or
 * below the threshold never fire. Single-step mode emits the spikes of step t on the t-th call.
 */
export class LatencyEncoder extends Module implements Stepped {
  stepMode: StepMode = 'multi';
  readonly options: typeof latencyEncoderOptions.infer;
  #step = 0;
  constructor(options: typeof latencyEncoderOptions.inferIn) {
    super();
    this.options = latencyEncoderOptions.assert(options);
  }

  /** The step at which each input fires, −1 for none ([B, ...F], float). */
  spikeTimes(x: Tensor): Tensor {
    const { steps, mode, tau, threshold } = this.options;
    const v = x.clamp(0, 1).detach();
    const last = steps - 1;
    const time =
      mode === 'linear'
        ? v.neg().add(1).mul(last).round()
        : // RC charging: τ·ln(x / (x − θ)); inputs just above θ fire late, clipped to the last step.
          v.div(v.sub(threshold).maximum(1e-12)).log().mul(tau).round().minimum(last);
    return ops.where(v.gt(threshold), time, -1);
  }

  forward(x: Tensor): Tensor {
    checkUnit('latency-encoder', x);
    const rt = x.runtime;
    const times = this.spikeTimes(x);
    if (this.stepMode === 'single') {
      const out = times.eq(this.#step);
      this.#step++;
      return out;
    }
    const { steps } = this.options;
    const t = rt.arange(0, steps, 1, { backend: x.backend }).reshape([steps, ...x.shape.map(() => 1)]);
    return t.eq(times);
  }
  resetState(): void {
    this.#step = 0;
  }
  override describe(): NodeDescription {
    return { type: 'latency-encoder', options: this.options };
  }
}

/**
 * Delta coding of a sequence [T, B, ...F]: an ON spike where the signal rose by at least the threshold
 * since the previous step, an OFF spike (second channel) where it fell by at least it. Output
 * [T, B, 2, ...F] (ON, OFF), or [T, B, ...F] with `off: false`. Single-step mode keeps the previous frame.
 */
export class DeltaEncoder extends Module implements Stepped, BatchStateful {
  stepMode: StepMode = 'multi';
  readonly options: typeof deltaEncoderOptions.infer;
  #previous: Tensor | null = null;
  constructor(options: typeof deltaEncoderOptions.inferIn) {
    super();
    this.options = deltaEncoderOptions.assert(options);
  }

  #code(diff: Tensor, channelAxis: number): Tensor {
    const { threshold, off } = this.options;
    const on = diff.ge(threshold);
    if (!off) return on;
    return ops.stack([on, diff.le(-threshold)], channelAxis);
  }

  forward(x: Tensor): Tensor {
    const { initial } = this.options;
    const signal = x.detach();
    if (this.stepMode === 'single') {
      const previous = this.#previous ?? (initial === 'first' ? signal : signal.mul(0));
      this.#previous = signal;
      return this.#code(signal.sub(previous), 1);
    }
    if (x.rank < 2)
      throw new ShapeError('delta-encoder', 'expects a time-major sequence [T, B, ...F]', [x.shape]);
    const T = x.shape[0]!;
    const first = signal.slice([0], [1]);
    const start = initial === 'first' ? first : first.mul(0);
    const previous = T > 1 ? ops.concat([start, signal.slice([0], [T - 1])], 0) : start;
    return this.#code(signal.sub(previous), 2);
  }
  resetState(): void {
    this.#previous = null;
  }
  selectBatch(index: Tensor): void {
    if (this.#previous) this.#previous = this.#previous.indexSelect(0, index);
  }
  override describe(): NodeDescription {
    return { type: 'delta-encoder', options: this.options };
  }
}

export const encoderNodes: NodeType[] = [
  defineNode({
    name: 'rate-encoder',
    description: 'Bernoulli rate coding: [B, ...F] intensities in [0, 1] → [T, B, ...F] spikes',
    options: rateEncoderOptions,
    example: { options: { steps: 4, gain: 0.8 }, input: (rt) => rt.rand([2, 5]) },
    build: (o, ctx) => new RateEncoder(o, ctx.rng.split()),
  }),
  defineNode({
    name: 'latency-encoder',
    description: 'time-to-first-spike coding: one spike per input, earlier for stronger inputs',
    options: latencyEncoderOptions,
    example: { options: { steps: 4, mode: 'log', tau: 2 }, input: (rt) => rt.rand([2, 5]) },
    build: (o) => new LatencyEncoder(o),
  }),
  defineNode({
    name: 'delta-encoder',
    description: 'delta coding of a sequence: ON/OFF spikes where the signal changes by a threshold',
    options: deltaEncoderOptions,
    example: { options: { threshold: 0.2 }, input: (rt) => rt.rand([5, 2, 3]) },
    build: (o) => new DeltaEncoder(o),
  }),
];

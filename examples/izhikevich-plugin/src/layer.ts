import {
  defineNode,
  Module,
  type NodeDescription,
  type Recordable,
  type Runtime,
  type Tensor,
} from '@neurite/kernel';
import { resolveSurrogate, type SurrogateSpec, surrogateOptionSchema } from '@neurite/neuron-lif';
import { type } from 'arktype';
import { CELL_TYPES, type IzhikevichAttrs } from './params.js';

const rs = CELL_TYPES['regular-spiking'];

/** Options of the `izhikevich` node type; defaults are the paper's regular-spiking cell at 1 ms steps. */
export const izhikevichOptions = type({
  a: `number = ${rs.a}`,
  b: `number = ${rs.b}`,
  c: `number = ${rs.c}`,
  d: `number = ${rs.d}`,
  /** Euler step in ms. */
  dt: 'number > 0 = 1',
  vPeak: 'number = 30',
  /** Membrane potential at the start of every sequence (u starts at b·vInit). */
  vInit: 'number = -65',
  /** Input current per unit of input, so that weights of order 1/√fan-in drive the cell. */
  gain: 'number > 0 = 1',
  detachReset: 'boolean = false',
  /** A surrogate from the `surrogate` registry; the plugin's own `izhikevich` (mV-wide) by default. */
  surrogate: surrogateOptionSchema.default('izhikevich'),
  /** What the layer outputs: spikes (carrying the surrogate gradient) or the membrane trace. */
  output: "'spikes' | 'membrane' = 'spikes'",
});

declare module '@neurite/kernel' {
  interface NodeOptions {
    izhikevich: typeof izhikevichOptions.inferIn;
  }
}

/**
 * A layer of Izhikevich neurons over a time-major input current [T, B, …]: one `izhikevich_scan` call for
 * all steps. Every sequence starts from rest (vInit, b·vInit); the layer has no parameters.
 */
export class IzhikevichLayer extends Module implements Recordable {
  readonly options: typeof izhikevichOptions.infer;
  readonly #attrs: IzhikevichAttrs;
  #last: { membrane: Tensor; spikes: Tensor } | null = null;

  constructor(rt: Runtime, options: typeof izhikevichOptions.inferIn) {
    super();
    this.options = izhikevichOptions.assert(options);
    const { a, b, c, d, dt, vPeak, detachReset } = this.options;
    const surrogate: SurrogateSpec = resolveSurrogate(rt, this.options.surrogate);
    this.#attrs = { a, b, c, d, dt, vPeak, detachReset, surrogate };
  }

  forward(x: Tensor): Tensor {
    const rt = x.runtime;
    const current = this.options.gain === 1 ? x : x.mul(this.options.gain);
    const state = current.shape.slice(1);
    const v0 = rt.full(state, this.options.vInit, { dtype: current.dtype, backend: current.backend });
    const u0 = rt.full(state, this.options.b * this.options.vInit, {
      dtype: current.dtype,
      backend: current.backend,
    });
    const [spikes, membrane] = rt.run('izhikevich_scan', [current, v0, u0], this.#attrs) as [Tensor, Tensor];
    this.#last = { membrane, spikes };
    return this.options.output === 'spikes' ? spikes : membrane;
  }

  recordedStates(): Record<string, Tensor> {
    return this.#last ? { membrane: this.#last.membrane, spikes: this.#last.spikes } : {};
  }

  override describe(): NodeDescription {
    return { type: 'izhikevich', options: this.options };
  }
}

export const izhikevichNode = defineNode({
  name: 'izhikevich',
  description:
    'Izhikevich (2003) neurons, Euler at dt over [T, B, …] in one fused scan with a surrogate gradient',
  options: izhikevichOptions,
  example: { input: (rt) => rt.rand([10, 2, 3], { low: 0, high: 30 }) },
  build: (options, ctx) => new IzhikevichLayer(ctx.runtime, options),
});

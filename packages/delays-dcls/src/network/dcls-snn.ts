import {
  type BuildContext,
  type Module,
  type NodeDescription,
  type NodeSpec,
  PluginError,
  resolveNode,
  Sequential,
} from '@neurite/kernel';
import { type } from 'arktype';
import { dclsKernelOptions } from '../layers/dcls1d.js';

export const dclsSnnOptions = type({
  /** Input channels per step (140 for SHD binned by 5). */
  inFeatures: 'number.integer > 0',
  /** Output classes. */
  classes: 'number.integer > 0',
  /** Hidden neurons per layer. */
  hidden: 'number.integer > 0 = 256',
  /** Hidden (DCLS → BatchNorm → LIF → Dropout) blocks. */
  layers: 'number.integer > 0 = 2',
  /** The reference's max_delay, in steps: the kernel length, made odd (25 → K = 25, 30 → K = 31). */
  maxDelay: 'number.integer > 0 = 25',
  dropout: '0 <= number < 1 = 0.4',
  /** Membrane time constant in steps (10.05 ms at 10 ms steps); Euler decay β = 1 − 1/τ. */
  tau: 'number >= 1 = 1.005',
  threshold: 'number > 0 = 1',
  /** ATan surrogate sharpness (SpikingJelly's ATan(alpha)). */
  surrogateAlpha: 'number > 0 = 5',
  batchnorm: 'boolean = true',
  ...dclsKernelOptions,
});
export type DclsSnnOptions = typeof dclsSnnOptions.infer;

declare module '@neurite/kernel' {
  interface NodeOptions {
    'dcls-snn': typeof dclsSnnOptions.inferIn;
  }
}

/** The kernel length of a max delay, made odd as the reference does. */
export function oddKernelSize(maxDelay: number): number {
  return maxDelay % 2 === 1 ? maxDelay : maxDelay + 1;
}

/**
 * The paper's network as named layers of primitive node types, so that configs can address them by glob
 * (`*.positions`, `bn*`):
 *
 *   (dcls{l} → bn{l} → lif{l} → dropout{l}) × layers → dcls{layers+1} → li
 *
 * LIF as the reference's SpikingJelly LIFNode(tau, decay_input=False, v_threshold, ATan(α),
 * detach_reset=True, v_reset=0): h = (1 − 1/τ)·v + x, hard reset to 0. The readout is a LIF with
 * v_threshold = 1e9 that never fires, i.e. a leaky integrator whose membrane is the output.
 */
export function dclsSnnLayers(o: DclsSnnOptions): [string, NodeSpec][] {
  const kernelSize = oddKernelSize(o.maxDelay);
  const {
    inFeatures,
    classes,
    hidden,
    layers,
    dropout,
    tau,
    threshold,
    surrogateAlpha,
    batchnorm,
    maxDelay: _,
    ...rest
  } = o;
  const kernel = { kernelSize, ...rest };
  const out: [string, NodeSpec][] = [];
  for (let l = 1; l <= layers; l++) {
    out.push([
      `dcls${l}`,
      { type: 'dcls1d', inFeatures: l === 1 ? inFeatures : hidden, outFeatures: hidden, ...kernel },
    ]);
    if (batchnorm) out.push([`bn${l}`, { type: 'seq-batchnorm1d', numFeatures: hidden }]);
    out.push([
      `lif${l}`,
      {
        type: 'lif',
        tau,
        dt: 1,
        decayInput: false,
        threshold,
        reset: 'zero',
        detachReset: true,
        surrogate: { type: 'atan', alpha: surrogateAlpha },
      },
    ]);
    if (dropout > 0) out.push([`dropout${l}`, { type: 'dropout', p: dropout }]);
  }
  out.push([`dcls${layers + 1}`, { type: 'dcls1d', inFeatures: hidden, outFeatures: classes, ...kernel }]);
  out.push(['li', { type: 'li', tau, dt: 1, decayInput: false }]);
  return out;
}

/**
 * The built network: a sequence of primitive layers, with its parameters named by layer (`dcls1.weight`,
 * `bn1.bias`, …) rather than by position, that exports as the `dcls-snn` node it was built from (so
 * `model.delays` stays one switch). Consumers that walk layers (NIR export) see a plain sequence.
 */
export class DclsSnn extends Sequential {
  readonly #names: readonly string[];
  constructor(
    layers: Module[],
    names: readonly string[],
    readonly options: DclsSnnOptions,
  ) {
    super(layers);
    this.#names = names;
  }

  override children(): [string, Module][] {
    return this.layers.map((m, i) => [this.#names[i]!, m]);
  }

  /** A layer by name (`dcls1`, `lif2`, `li`, …). */
  layer(name: string): Module | undefined {
    const at = this.#names.indexOf(name);
    return at < 0 ? undefined : this.layers[at];
  }

  override describe(): NodeDescription {
    return { type: 'dcls-snn', options: this.options };
  }
}

/** Builds `dcls-snn`: each layer's spec validated against the registered node types, then built. */
export function buildDclsSnn(o: DclsSnnOptions, ctx: BuildContext): DclsSnn {
  const rt = ctx.runtime;
  if (!rt.hasPlugin('@neurite/neuron-lif')) {
    throw new PluginError(
      '@neurite/delays-dcls',
      `${ctx.path}: dcls-snn needs the LIF neurons of @neurite/neuron-lif`,
      {
        hint: "install it first: runtime.use(neuronLif()) with `import neuronLif from '@neurite/neuron-lif'`",
      },
    );
  }
  const named = dclsSnnLayers(o);
  const layers = named.map(([name, spec]) => {
    const at = `${ctx.path}.${name}`;
    return ctx.build(resolveNode(rt, spec, at), at);
  });
  return new DclsSnn(
    layers,
    named.map(([name]) => name),
    o,
  );
}

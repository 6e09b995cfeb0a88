import {
  type Buffer,
  Module,
  type NodeDescription,
  ops,
  type Recordable,
  type Runtime,
  ShapeError,
  type Tensor,
} from '@neurite/kernel';
import { lifScan } from '@neurite/neuron-lif';
import { type Convention, coefficients, type NeuronModel, type StepCoefficients } from './discretise.js';
import { HostCache, hostValues, paramBuffer } from './params.js';
import type { StepMode, Stepped } from './stepping.js';

/** The NIR parameters of each neuron model, by neurite's (camelCase) buffer names, with defaults. */
export const NEURON_FIELDS: Readonly<Record<NeuronModel, Readonly<Record<string, number>>>> = {
  LIF: { tau: 0.01, r: 1, vLeak: 0, vThreshold: 1, vReset: 0 },
  IF: { r: 1, vThreshold: 1, vReset: 0 },
  LI: { tau: 0.01, r: 1, vLeak: 0 },
  I: { r: 1 },
  CubaLIF: { tauSyn: 0.005, tauMem: 0.01, r: 1, vLeak: 0, vThreshold: 1, vReset: 0, wIn: 1 },
  CubaLI: { tauSyn: 0.005, tauMem: 0.01, r: 1, vLeak: 0, wIn: 1 },
};

export interface NirNeuronOptions {
  /** Shape of the parameters: the neurons' shape per sample ([] or [1]: one value for all). */
  readonly shape: readonly number[];
  /** Time step in seconds. */
  readonly dt: number;
  readonly convention: Convention;
  /** Precision of the stored parameters (float64 keeps a float64 NIR file's values exactly). */
  readonly precision: 'float32' | 'float64';
  /** Initial values of the parameters (a model loaded from a file replaces them with its state). */
  readonly [param: string]: unknown;
}

interface Activity {
  readonly v: Tensor;
  readonly i: Tensor | null;
  readonly out: Tensor;
}

/**
 * A NIR neuron layer (LIF, IF, LI, I, CubaLIF, CubaLI) that keeps NIR's continuous-time parameters as
 * buffers and runs at a time step dt: the parameters become per-step coefficients (discretise.ts) and the
 * neuron plugin's fused `lif_scan` runs the recurrence, one scan per call (a second scan, as a leaky
 * integrator, for the synaptic current of the Cuba models). Spiking models output spikes, the others
 * their membrane. Recorded states: `v` (membrane after the reset, NIR's state), `i` (synaptic current).
 */
export class NirNeuron extends Module implements Recordable, Stepped {
  stepMode: StepMode = 'multi';
  readonly #coefficients = new HostCache<{ c: StepCoefficients; tensors: Map<string, Tensor> }>();
  #state: { v: Tensor | null; i: Tensor | null } = { v: null, i: null };
  #last: Activity | null = null;

  constructor(
    rt: Runtime,
    readonly model: NeuronModel,
    readonly options: NirNeuronOptions,
  ) {
    super();
    for (const [name, fallback] of Object.entries(NEURON_FIELDS[model])) {
      const given = options[name];
      const value = typeof given === 'number' ? given : fallback;
      (this as unknown as Record<string, Buffer>)[name] = paramBuffer(
        rt,
        options.shape,
        value,
        options.precision,
      );
    }
  }

  get spiking(): boolean {
    return this.model === 'LIF' || this.model === 'IF' || this.model === 'CubaLIF';
  }

  /** The buffer of a NIR parameter by neurite's name (`vThreshold`, …). */
  param(name: string): Tensor | undefined {
    return (this as unknown as Record<string, Tensor | undefined>)[name];
  }

  #step(): { c: StepCoefficients; tensors: Map<string, Tensor> } {
    const names = Object.keys(NEURON_FIELDS[this.model]);
    const buffers = names.map((n) => this.param(n));
    return this.#coefficients.get(buffers, () => {
      const host = (n: string) => {
        const t = this.param(n);
        return t ? hostValues(t) : undefined;
      };
      const c = coefficients(
        this.model,
        {
          r: host('r')!,
          precision: this.options.precision,
          ...Object.fromEntries(names.filter((n) => n !== 'r').map((n) => [n, host(n)])),
        },
        this.options.dt,
        this.options.convention,
        this.describe().type,
      );
      return { c, tensors: new Map() };
    });
  }

  forward(x: Tensor): Tensor {
    const single = this.stepMode === 'single';
    const seq = single ? x.reshape([1, ...x.shape]) : x;
    const type = this.describe().type;
    if (seq.rank < 2)
      throw new ShapeError(type, `input must be ${single ? '[B, ...neurons]' : '[T, B, ...neurons]'}`, [
        x.shape,
      ]);
    const features = seq.shape.slice(2);
    const P = features.reduce((a, b) => a * b, 1);
    const { c, tensors } = this.#step();
    for (const [name, a] of Object.entries(c)) {
      if (a && a.length !== 1 && a.length !== P) {
        throw new ShapeError(type, `${a.length} neurons' ${name} do not fit ${P} inputs per sample`, [
          this.options.shape,
          seq.shape,
        ]);
      }
    }
    const rt = seq.runtime;
    // Coefficients as tensors: flat [P] (or size 1) for the scan, shaped like the features for broadcasts.
    const tensor = (name: keyof StepCoefficients, broadcast: boolean): Tensor => {
      const key = `${name}:${broadcast}:${features.join('x')}:${seq.backend}`;
      let t = tensors.get(key);
      if (!t) {
        const a = c[name]!;
        t = rt.fromArray(a, a.length === 1 ? [] : broadcast ? features : [a.length], {
          backend: seq.backend,
        });
        tensors.set(key, t);
      }
      return t;
    };
    const all = (a: Float32Array | undefined, v: number) => a?.every((e) => e === v);

    const state = single ? this.#state : { v: null, i: null };
    let current: Tensor | null = null;
    let iState: Tensor | null = null;
    let u = seq;
    if (c.alpha) {
      const xs = all(c.synGain, 1) ? seq : seq.mul(tensor('synGain', true));
      const syn = lifScan(xs, { beta: tensor('alpha', false) }, { v: state.i }, { spiking: false });
      current = syn.membrane;
      iState = syn.state.v;
      u = current;
    }
    if (!all(c.memGain, 1)) u = u.mul(tensor('memGain', true));
    if (!all(c.bias, 0)) u = u.add(tensor('bias', true));

    let v: Tensor;
    let out: Tensor;
    let vState: Tensor;
    if (this.spiking) {
      const resets = c.vReset!;
      const uniform = resets.every((r) => r === resets[0]);
      let threshold = tensor('threshold', false);
      let drive = u;
      if (!uniform) {
        // Per-neuron reset values: run in coordinates shifted by v_reset (so the reset is to 0):
        // v' = v − v_r gives v'_t = β·v'_{t−1} + u_t − (1 − β)·v_r, threshold θ − v_r.
        const vr = rt.fromArray(resets, features, { backend: seq.backend });
        const beta =
          c.beta.length === 1 ? rt.scalar(c.beta[0]!, { backend: seq.backend }) : tensor('beta', true);
        drive = u.sub(beta.neg().add(1).mul(vr));
        const theta = c.threshold!;
        const shifted = Float32Array.from(resets, (r, i) => (theta.length === 1 ? theta[0]! : theta[i]!) - r);
        threshold = rt.fromArray(shifted, [P], { backend: seq.backend });
        const r = lifScan(
          drive,
          { beta: tensor('beta', false), threshold },
          { v: state.v },
          { reset: 'zero', vReset: 0 },
        );
        vState = r.state.v;
        v = ops.where(r.spikes!, 0, r.membrane).add(vr);
        out = r.spikes!;
      } else {
        const r = lifScan(
          drive,
          { beta: tensor('beta', false), threshold },
          { v: state.v },
          { reset: 'zero', vReset: resets[0]! },
        );
        vState = r.state.v;
        v = ops.where(r.spikes!, resets[0]!, r.membrane);
        out = r.spikes!;
      }
    } else {
      const r = lifScan(u, { beta: tensor('beta', false) }, { v: state.v }, { spiking: false });
      vState = r.state.v;
      v = r.membrane;
      out = v;
    }
    if (single) this.#state = { v: vState, i: iState };
    const unstep = (t: Tensor) => (single ? t.reshape(x.shape) : t);
    this.#last = { v: unstep(v), i: current ? unstep(current) : null, out: unstep(out) };
    return unstep(out);
  }

  resetState(): void {
    this.#state = { v: null, i: null };
    this.#last = null;
  }

  recordedStates(): Record<string, Tensor> {
    const a = this.#last;
    if (!a) return {};
    return a.i ? { v: a.v, i: a.i } : { v: a.v };
  }

  override describe(): NodeDescription {
    const { shape, dt, convention, precision } = this.options;
    return { type: NEURON_NODE_TYPES[this.model], options: { shape: [...shape], dt, convention, precision } };
  }
}

export const NEURON_NODE_TYPES: Readonly<Record<NeuronModel, string>> = {
  LIF: 'nir-lif',
  IF: 'nir-if',
  LI: 'nir-li',
  I: 'nir-i',
  CubaLIF: 'nir-cuba-lif',
  CubaLI: 'nir-cuba-li',
};

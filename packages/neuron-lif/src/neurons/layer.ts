import { Module, type NodeDescription, type Recordable, ShapeError, type Tensor } from '@neurite/kernel';
import type { ResetMode, SurrogateSpec } from '../ops/attrs.js';
import { lifScan, type ScanParams, type ScanResult } from '../ops/scan.js';

/** 'multi': forward takes [T, B, ...F] sequences. 'single': forward takes one step [B, ...F] (streaming). */
export type StepMode = 'multi' | 'single';

/** What one forward call of a neuron layer produced, [T, B, ...F] (T = 1 in single-step mode). */
export interface NeuronActivity {
  readonly spikes: Tensor | null;
  /** Membrane before each step's reset. */
  readonly membrane: Tensor;
  readonly current: Tensor | null;
  readonly adaptation: Tensor | null;
}

export interface NeuronState {
  v: Tensor;
  i: Tensor | null;
  a: Tensor | null;
}

/** Modules that run differently per step mode (neurons, encoders). */
export interface Stepped {
  stepMode: StepMode;
}

export function isStepped(m: Module): m is Module & Stepped {
  return typeof (m as Partial<Stepped>).stepMode === 'string';
}

/** Modules whose carried state is per sample, so an early-exit loop can drop finished samples. */
export interface BatchStateful {
  selectBatch(index: Tensor): void;
}

export function isBatchStateful(m: Module): m is Module & BatchStateful {
  return typeof (m as Partial<BatchStateful>).selectBatch === 'function';
}

/** Sets the step mode of every neuron and encoder in a model and clears their state. */
export function setStepMode(model: Module, mode: StepMode): void {
  for (const [, m] of model.modules()) if (isStepped(m)) m.stepMode = mode;
  model.visit('resetState');
}

/**
 * The shared machinery of every neuron layer: one `lif_scan` per call (never one op per step), the
 * single-step form that carries the state between calls, detaching the carried state (SLTT, truncated
 * BPTT), and recording of the last call's activity. Subclasses supply the parameters and options.
 */
export abstract class NeuronLayer extends Module implements Recordable, Stepped, BatchStateful {
  stepMode: StepMode = 'multi';
  /** In multi-step mode, start each call from the previous call's final state (streaming in chunks). */
  carryState = false;
  /** Cut the carried state from the tape between calls: SLTT's per-step training, truncated BPTT. */
  detachState = false;
  /** Keep the last call's activity for `recordedStates()` and the metrics. */
  record = false;
  /** Called with every call's activity (metrics accumulate across single steps this way). */
  readonly observers = new Set<(activity: NeuronActivity, layer: NeuronLayer) => void>();
  #state: NeuronState | null = null;
  #last: NeuronActivity | null = null;

  /** What the layer returns: spikes (dtype spike) or the pre-reset membrane. */
  protected abstract readonly outputKind: 'spikes' | 'membrane';
  protected abstract scanParams(features: readonly number[]): ScanParams;
  protected abstract scanOptions(): {
    reset: ResetMode;
    vReset: number;
    detachReset: boolean;
    surrogate: SurrogateSpec;
  };
  abstract override describe(): NodeDescription;

  /** Applied to the whole input sequence before the scan (e.g. scaling by 1 − β); identity here. */
  protected transformInput(x: Tensor): Tensor {
    return x;
  }

  forward(x: Tensor): Tensor {
    const single = this.stepMode === 'single';
    const seq = single ? x.reshape([1, ...x.shape]) : x;
    if (seq.rank < 2) {
      throw new ShapeError(
        this.describe().type,
        `input must be ${single ? '[B, ...features]' : '[T, B, ...features]'}`,
        [x.shape],
      );
    }
    const carry = single || this.carryState;
    let state = carry ? this.#state : null;
    if (state && state.v.shape.join() !== seq.shape.slice(1).join()) {
      throw new ShapeError(
        this.describe().type,
        'the carried state does not fit this input; call resetState() between sequences',
        [state.v.shape, seq.shape],
      );
    }
    const features = seq.shape.slice(2);
    const r: ScanResult = lifScan(
      this.transformInput(seq),
      this.scanParams(features),
      state ?? {},
      this.scanOptions(),
    );
    if (carry) {
      state = r.state;
      this.#state = this.detachState
        ? { v: state.v.detach(), i: state.i?.detach() ?? null, a: state.a?.detach() ?? null }
        : state;
    }
    const activity: NeuronActivity = {
      spikes: r.spikes,
      membrane: r.membrane,
      current: r.current,
      adaptation: r.adaptation,
    };
    if (this.record) this.#last = activity;
    for (const observe of this.observers) observe(activity, this);
    const out = this.outputKind === 'spikes' && r.spikes ? r.spikes : r.membrane;
    return single ? out.reshape(x.shape) : out;
  }

  /** The state carried into the next call (null: zero). */
  get state(): NeuronState | null {
    return this.#state;
  }

  resetState(): void {
    this.#state = null;
    this.#last = null;
  }

  selectBatch(index: Tensor): void {
    const s = this.#state;
    if (!s) return;
    this.#state = {
      v: s.v.indexSelect(0, index),
      i: s.i?.indexSelect(0, index) ?? null,
      a: s.a?.indexSelect(0, index) ?? null,
    };
  }

  /** The last call's activity, when `record` is on: spikes, membrane (pre-reset), current, adaptation. */
  recordedStates(): Record<string, Tensor> {
    const a = this.#last;
    if (!a) return {};
    const out: Record<string, Tensor> = { membrane: a.membrane };
    if (a.spikes) out.spikes = a.spikes;
    if (a.current) out.current = a.current;
    if (a.adaptation) out.adaptation = a.adaptation;
    return out;
  }

  /** The last recorded activity (null unless `record` is on). */
  get activity(): NeuronActivity | null {
    return this.#last;
  }
}

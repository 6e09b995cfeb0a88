import { type Module, observeForward, type Runtime, type Tensor } from '@neurite/kernel';
import { type NeuronActivity, NeuronLayer } from '../neurons/layer.js';
import { type EnergyEstimate, type EnergyModel, estimateEnergy, HOROWITZ_45NM_FP32 } from './energy.js';
import type { SynapticOpsDef } from './synops.js';

export interface LayerActivity {
  readonly name: string;
  readonly type: string;
  /** Spikes emitted over everything monitored. */
  readonly spikes: number;
  /** Neuron updates (neurons × samples × steps) over everything monitored. */
  readonly neuronSteps: number;
  /** Spikes per neuron per step. */
  readonly firingRate: number;
}

export interface SynapticActivity {
  readonly name: string;
  readonly type: string;
  /** Whether the inputs were spikes (accumulates) or real values (multiply-accumulates). */
  readonly spikeInput: boolean;
  readonly acs: number;
  readonly macs: number;
  /** Multiply-accumulates of the same layer on dense real input. */
  readonly denseMacs: number;
}

export interface ActivityReport {
  readonly neurons: readonly LayerActivity[];
  readonly synapses: readonly SynapticActivity[];
  readonly totals: { spikes: number; acs: number; macs: number; denseMacs: number; synops: number };
  readonly energy: EnergyEstimate;
  /** The same figures divided by `samples`, when given. */
  readonly perSample: { spikes: number; acs: number; macs: number; synops: number; joules: number } | null;
}

interface Pending {
  readonly layer: string;
  readonly value: Tensor | number;
}

/**
 * Watches a model while it runs: spikes per neuron layer (through the layers' observers) and the
 * synaptic operations of every layer whose node type has a `synaptic-ops` counter (by wrapping that
 * module's forward through the kernel's `observeForward` for as long as the monitor is attached). Counts stay
 * tensors until `report()` reads them, so monitoring does not synchronise a device every step.
 */
export class ActivityMonitor {
  readonly #neurons: { name: string; layer: NeuronLayer; observer: (a: NeuronActivity) => void }[] = [];
  readonly #synapses: { name: string; type: string }[] = [];
  readonly #stopObserving: () => void;
  #spikes: Pending[] = [];
  #neuronSteps = new Map<string, number>();
  #events: Pending[] = [];
  #dense = new Map<string, number>();
  #spikeInput = new Map<string, boolean>();

  constructor(
    readonly runtime: Runtime,
    readonly model: Module,
  ) {
    const counters = new Map<Module, { count: SynapticOpsDef['count']; options: unknown }>();
    for (const [name, m] of model.modules()) {
      if (m instanceof NeuronLayer) {
        const observer = (a: NeuronActivity) => {
          if (!a.spikes) return;
          this.#spikes.push({ layer: name, value: runtime.noGrad(() => a.spikes!.sum()) });
          this.#neuronSteps.set(name, (this.#neuronSteps.get(name) ?? 0) + a.spikes.size);
        };
        m.observers.add(observer);
        this.#neurons.push({ name, layer: m, observer });
        continue;
      }
      const d = m.describe();
      const counter = d && runtime.registry('synaptic-ops').get(d.type);
      if (!d || !counter) continue;
      counters.set(m, { count: counter.count.bind(counter), options: d.options });
      this.#synapses.push({ name, type: d.type });
    }
    this.#stopObserving = observeForward(
      model,
      (name, m, [x], y) => {
        const { count, options } = counters.get(m)!;
        const c = runtime.noGrad(() => count(x!, y, options as never));
        this.#events.push({ layer: name, value: c.events });
        this.#dense.set(name, (this.#dense.get(name) ?? 0) + c.dense);
        this.#spikeInput.set(name, x!.dtype === 'spike');
      },
      (_name, m) => counters.has(m),
    );
  }

  /** Forgets the counts so far. */
  reset(): void {
    this.#spikes = [];
    this.#events = [];
    this.#neuronSteps.clear();
    this.#dense.clear();
  }

  /** Stops watching: removes the observers and restores the wrapped forwards. */
  detach(): void {
    for (const n of this.#neurons) n.layer.observers.delete(n.observer);
    this.#stopObserving();
  }

  async report(options: { samples?: number; energy?: EnergyModel } = {}): Promise<ActivityReport> {
    const sums = async (list: Pending[]) => {
      const out = new Map<string, number>();
      for (const p of list)
        out.set(
          p.layer,
          (out.get(p.layer) ?? 0) + (typeof p.value === 'number' ? p.value : await p.value.item()),
        );
      return out;
    };
    const spikes = await sums(this.#spikes);
    const events = await sums(this.#events);
    // Layers that never emitted a spike tensor (leaky-integrator readouts) have no firing rate.
    const neurons = this.#neurons.flatMap(({ name, layer }) => {
      const steps = this.#neuronSteps.get(name) ?? 0;
      if (!steps) return [];
      const s = spikes.get(name) ?? 0;
      return [{ name, type: layer.describe().type, spikes: s, neuronSteps: steps, firingRate: s / steps }];
    });
    const synapses = this.#synapses.map(({ name, type }) => {
      const spikeInput = this.#spikeInput.get(name) ?? false;
      const e = events.get(name) ?? 0;
      const dense = this.#dense.get(name) ?? 0;
      return {
        name,
        type,
        spikeInput,
        acs: spikeInput ? e : 0,
        macs: spikeInput ? 0 : dense,
        denseMacs: dense,
      };
    });
    const sum = (f: (s: SynapticActivity) => number) => synapses.reduce((a, s) => a + f(s), 0);
    const totals = {
      spikes: neurons.reduce((a, n) => a + n.spikes, 0),
      acs: sum((s) => s.acs),
      macs: sum((s) => s.macs),
      denseMacs: sum((s) => s.denseMacs),
      synops: sum((s) => s.acs + s.macs),
    };
    const energy = estimateEnergy(totals, options.energy ?? HOROWITZ_45NM_FP32);
    const n = options.samples;
    const perSample = n
      ? {
          spikes: totals.spikes / n,
          acs: totals.acs / n,
          macs: totals.macs / n,
          synops: totals.synops / n,
          joules: energy.joules / n,
        }
      : null;
    return { neurons, synapses, totals, energy, perSample };
  }
}

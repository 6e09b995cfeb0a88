import {
  type Buffer,
  Module,
  type NodeDescription,
  ops,
  type Runtime,
  ShapeError,
  type Tensor,
  ValidationError,
} from '@neurite/kernel';
import { surrogateSpike } from '@neurite/neuron-lif';
import { HostCache, hostValues, paramBuffer } from './params.js';
import type { StepMode, Stepped } from './stepping.js';

export interface ElementwiseOptions {
  /** Shape of the parameter (one value per feature, or [] / [1] for all). */
  readonly shape: readonly number[];
  readonly precision: 'float32' | 'float64';
}

/** Broadcasts a per-feature parameter over the leading [T, B] or [B] axes of `x`. */
function perFeature(p: Tensor, x: Tensor, type: string): Tensor {
  if (p.size === 1) return p.reshape([]);
  const features = x.shape.slice(x.rank - p.rank);
  if (features.join() !== p.shape.join())
    throw new ShapeError(type, `parameter [${p.shape.join(', ')}] does not match the features`, [
      p.shape,
      x.shape,
    ]);
  return p.dtype === x.dtype ? p : p.cast(x.dtype === 'spike' ? 'float32' : x.dtype);
}

/** NIR Scale: y = x ⊙ s. */
export class NirScale extends Module {
  scale: Buffer;
  constructor(
    rt: Runtime,
    readonly options: ElementwiseOptions & { readonly value?: number },
  ) {
    super();
    this.scale = paramBuffer(rt, options.shape, options.value ?? 1, options.precision);
  }
  forward(x: Tensor): Tensor {
    const s = perFeature(this.scale, x, 'nir-scale');
    return (x.dtype === 'spike' ? x.cast('float32') : x).mul(s.dtype === 'float64' ? s.cast('float32') : s);
  }
  override describe(): NodeDescription {
    return {
      type: 'nir-scale',
      options: { shape: [...this.options.shape], precision: this.options.precision },
    };
  }
}

/** NIR Threshold: spikes where x > θ (Heaviside, with the neuron plugin's surrogate gradient). */
export class NirThreshold extends Module {
  threshold: Buffer;
  constructor(
    rt: Runtime,
    readonly options: ElementwiseOptions & { readonly value?: number },
  ) {
    super();
    this.threshold = paramBuffer(rt, options.shape, options.value ?? 1, options.precision);
  }
  forward(x: Tensor): Tensor {
    const theta = perFeature(this.threshold, x, 'nir-threshold');
    const v = x.dtype === 'spike' ? x.cast('float32') : x;
    return surrogateSpike(v.sub(theta.dtype === v.dtype ? theta : theta.cast(v.dtype)), {
      name: 'atan',
      alpha: 2,
    });
  }
  override describe(): NodeDescription {
    return {
      type: 'nir-threshold',
      options: { shape: [...this.options.shape], precision: this.options.precision },
    };
  }
}

/**
 * NIR Delay: y(t) = x(t − d), per feature, with d (seconds) rounded to the nearest whole number of steps
 * of dt. Before the first d steps the output is 0. Multi-step: one gather over the time axis; single-step:
 * a history of the last max(d) + 1 inputs.
 */
export class NirDelay extends Module implements Stepped {
  stepMode: StepMode = 'multi';
  delay: Buffer;
  readonly #steps = new HostCache<Int32Array>();
  #history: Tensor | null = null;

  constructor(
    rt: Runtime,
    readonly options: ElementwiseOptions & { readonly dt: number; readonly value?: number },
  ) {
    super();
    this.delay = paramBuffer(rt, options.shape, options.value ?? 0, options.precision);
  }

  /** Whole steps per feature. */
  steps(): Int32Array {
    return this.#steps.get([this.delay], () => {
      const seconds = hostValues(this.delay);
      const bad = seconds.findIndex((s) => !(s >= 0) || !Number.isFinite(s));
      if (bad >= 0)
        throw new ValidationError('nir-delay', [
          { path: 'delay', message: `delays must be ≥ 0 seconds (found ${seconds[bad]})` },
        ]);
      return Int32Array.from(seconds, (s) => Math.round(s / this.options.dt));
    });
  }

  forward(x: Tensor): Tensor {
    const d = this.steps();
    const max = d.reduce((a, b) => Math.max(a, b), 0);
    const single = this.stepMode === 'single';
    const seq = single ? x.reshape([1, ...x.shape]) : x;
    const features = seq.shape.slice(2);
    const P = features.reduce((a, b) => a * b, 1);
    if (d.length !== 1 && d.length !== P)
      throw new ShapeError('nir-delay', `${d.length} delays for ${P} features`, [
        this.options.shape,
        x.shape,
      ]);
    if (max === 0) return x;
    const rt = x.runtime;
    const B = seq.shape[1]!;
    if (single) {
      // History [max + 1, B, ...F], oldest first; the output takes, per feature, the entry d steps back.
      const past =
        this.#history ?? rt.zeros([max, ...seq.shape.slice(1)], { dtype: seq.dtype, backend: seq.backend });
      const window = ops.concat([past, seq], 0);
      this.#history = window.slice([1]);
      const index = new Int32Array(B * P);
      for (let b = 0; b < B; b++)
        for (let f = 0; f < P; f++) index[b * P + f] = max - (d.length === 1 ? d[0]! : d[f]!);
      const y = window.gather(
        0,
        rt.fromArray(index, [1, ...seq.shape.slice(1)], { dtype: 'int32', backend: seq.backend }),
      );
      return y.reshape(x.shape);
    }
    // Pad the front of time with `max` zero steps; step t of feature f reads padded[t + max − d_f].
    const T = seq.shape[0]!;
    const padded = ops.concat(
      [rt.zeros([max, ...seq.shape.slice(1)], { dtype: seq.dtype, backend: seq.backend }), seq],
      0,
    );
    const index = new Int32Array(T * B * P);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        for (let f = 0; f < P; f++) index[(t * B + b) * P + f] = t + max - (d.length === 1 ? d[0]! : d[f]!);
      }
    }
    return padded.gather(0, rt.fromArray(index, seq.shape, { dtype: 'int32', backend: seq.backend }));
  }

  resetState(): void {
    this.#history = null;
  }

  override describe(): NodeDescription {
    return {
      type: 'nir-delay',
      options: { shape: [...this.options.shape], precision: this.options.precision, dt: this.options.dt },
    };
  }
}

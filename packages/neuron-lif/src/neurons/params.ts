import { Buffer, Parameter, type Runtime, ShapeError, type Tensor, ValidationError } from '@neurite/kernel';

/** A neuron parameter: trainable (a Parameter) or fixed (a Buffer, still saved with the model's state). */
export type NeuronParam = Parameter | Buffer;

/**
 * One value per layer (shape []) or one per neuron in `shape` (e.g. [256], or [C, 1, 1] for one per
 * channel of a conv layer), trainable when `learn` is set.
 */
export function neuronParam(
  rt: Runtime,
  value: number,
  shape: readonly number[] | undefined,
  learn: boolean,
): NeuronParam {
  const t = rt.full(shape ?? [], value);
  return learn ? new Parameter(t) : new Buffer(t);
}

/**
 * The parameter as the scan takes it (OPS.md): size 1, or size P in the order of the features F. A
 * per-channel shape is broadcast to F here (its gradient is summed back by the broadcast's own gradient).
 */
export function forScan(p: Tensor, features: readonly number[], name: string): Tensor {
  const P = features.reduce((a, b) => a * b, 1);
  if (
    p.size === 1 ||
    (p.size === P && p.rank === features.length && p.shape.every((d, k) => d === features[k]))
  )
    return p;
  if (p.size === P && p.rank === 1) return p;
  try {
    return p.broadcastTo(features);
  } catch {
    throw new ShapeError(
      name,
      `parameter shape [${p.shape.join(', ')}] does not broadcast to the features [${features.join(', ')}]`,
    );
  }
}

export type Discretisation = 'euler' | 'exact';

/**
 * A decay factor per step from either the factor itself or a time constant: Euler gives 1 − dt/τ (snnTorch,
 * Norse, SpikingJelly and NIR exports use it), exact (zero-order hold) gives e^{−dt/τ}.
 */
export function decayFrom(
  factor: number | undefined,
  tau: number | undefined,
  dt: number,
  discretisation: Discretisation,
  fallback: number,
  path: string,
  names: [string, string],
): number {
  if (factor !== undefined && tau !== undefined) {
    throw new ValidationError('invalid neuron', [
      { path, message: `give either ${names[0]} or ${names[1]}, not both` },
    ]);
  }
  if (factor !== undefined) return factor;
  if (tau === undefined) return fallback;
  const value = discretisation === 'exact' ? Math.exp(-dt / tau) : 1 - dt / tau;
  if (!(value >= 0)) {
    throw new ValidationError('invalid neuron', [
      {
        path: `${path}.${names[1]}`,
        message: `Euler decay 1 − dt/τ = ${value} is negative: τ must be at least dt (${dt})`,
      },
    ]);
  }
  return value;
}

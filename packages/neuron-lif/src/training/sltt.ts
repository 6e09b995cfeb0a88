import { type Module, ops, type Rng, type Tensor } from '@neurite/kernel';
import { NeuronLayer, setStepMode } from '../neurons/layer.js';

export interface SlttOptions {
  /** Time steps per sample. */
  readonly steps: number;
  /** Per-step loss on the step's output [B, ...] (already the paper's per-step form; divided by T here). */
  readonly loss: (output: Tensor, target: Tensor) => Tensor;
  /** SLTT-K: run backward at only K steps drawn at random per batch (`rng` required). */
  readonly k?: number;
  readonly rng?: Rng;
  /** Whether `input` is a sequence [T, B, ...] rather than a static input the model encodes per step. */
  readonly sequence?: boolean;
}

export interface SlttResult {
  /** Σ_t L_t (the loss the accumulated gradients belong to). */
  readonly loss: number;
  /** The outputs of every step, [T, B, ...], cut from the tape. */
  readonly output: Tensor;
}

/**
 * Spatial learning through time (Meng et al., ICCV 2023): the model runs one step at a time with every
 * neuron's carried state detached, so each step's graph holds that step only; the per-step loss
 * L_t = loss(o_t, y)/T is backpropagated at once and the gradients accumulate. The result is
 * Σ_t ∂L_t/∂W with u[t−1] held constant, and the memory does not grow with T. Call `optimizer.step()`
 * afterwards (and `zeroGrad()` before).
 */
export async function slttBackward(
  model: Module,
  input: Tensor,
  target: Tensor,
  options: SlttOptions,
): Promise<SlttResult> {
  const { steps, loss, k, rng, sequence = false } = options;
  const neurons = model.modules().flatMap(([, m]) => (m instanceof NeuronLayer ? [m] : []));
  const detached = neurons.map((n) => n.detachState);
  let chosen: Set<number> | null = null;
  if (k !== undefined && k < steps) {
    if (!rng) throw new Error('slttBackward: SLTT-K needs an rng to draw the steps');
    chosen = new Set(Array.from(rng.permutation(steps).slice(0, k)));
  }
  setStepMode(model, 'single');
  for (const n of neurons) n.detachState = true;
  const rt = input.runtime;
  const outputs: Tensor[] = [];
  let total = 0;
  try {
    for (let t = 0; t < steps; t++) {
      const xt = sequence ? input.slice([t], [t + 1]).reshape(input.shape.slice(1)) : input;
      const backward = chosen === null || chosen.has(t);
      const step = () => {
        const out = model.forward(xt);
        const value = loss(out, target).div(steps);
        return { out, value };
      };
      const { out, value } = backward ? step() : rt.noGrad(step);
      if (backward) value.backward();
      outputs.push(out.detach());
      total += await value.item();
    }
  } finally {
    setStepMode(model, 'multi');
    neurons.forEach((n, i) => {
      n.detachState = detached[i]!;
    });
  }
  return { loss: total, output: rt.noGrad(() => stackSteps(outputs)) };
}

function stackSteps(list: Tensor[]): Tensor {
  return ops.stack(list, 0);
}

import {
  Adam,
  buildModel,
  crossEntropy,
  type Module,
  type NodeSpec,
  type Runtime,
  type Tensor,
} from '@neurite/kernel';

/** The benchmarks' LIF: β 0.9, threshold 1, subtract reset, fast-sigmoid surrogate with slope 25. */
const LIF = {
  type: 'lif',
  beta: 0.9,
  threshold: 1,
  reset: 'subtract',
  surrogate: { type: 'fast-sigmoid', slope: 25 },
} as const satisfies NodeSpec;

/**
 * The SHD MLP as a graph spec: Linear → LIF for each hidden size, then Linear → leaky readout (no
 * reset). Time-major [T, B, sizes[0]] in, the readout membrane [T, B, classes] out; each layer is one
 * matmul over all T·B rows and one fused scan.
 */
export function spikingMlp(rt: Runtime, sizes: readonly number[]): Module {
  const layers: NodeSpec[] = [];
  sizes.slice(1).forEach((out, k) => {
    layers.push({ type: 'linear', inFeatures: sizes[k]!, outFeatures: out });
    layers.push(k === sizes.length - 2 ? { type: 'li', beta: 0.9 } : LIF);
  });
  return buildModel(rt, { type: 'sequential', layers });
}

/** The shd-mlp workload's sizes: batch, timesteps, layer widths, input spike probability. */
export interface ShdMlpParams {
  readonly batch: number;
  readonly steps: number;
  readonly sizes: readonly number[];
  readonly inputRate: number;
}

/**
 * The shd-mlp workload on `rt`'s backend: the network, Adam (lr 1e-3), Bernoulli input spikes and fixed
 * labels, and a function running one training step (cross-entropy on the time-mean readout, backward,
 * optimiser step) that returns the loss tensor, still on the device.
 */
export function shdMlpTrainingStep(
  rt: Runtime,
  { batch, steps, sizes, inputRate }: ShdMlpParams,
): () => Tensor {
  const model = spikingMlp(rt, sizes);
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const x = rt.bernoulli(inputRate, [steps, batch, sizes[0]!]);
  const classes = sizes.at(-1)!;
  const labels = rt.fromArray(
    Int32Array.from({ length: batch }, (_, k) => (k * 7) % classes),
    [batch],
  );
  return () => {
    optimizer.zeroGrad();
    const loss = crossEntropy(model.forward(x).mean(0), labels);
    loss.backward();
    optimizer.step();
    return loss;
  };
}

/** The Open Neuromorphic benchmark's network: Linear(n, n) then LIF; the output is the spike train. */
export function linearLif(rt: Runtime, n: number): Module {
  return buildModel(rt, {
    type: 'sequential',
    layers: [{ type: 'linear', inFeatures: n, outFeatures: n }, LIF],
  });
}

/** One LIF layer (its own module, for networks that convert between layers). */
export function lifLayer(rt: Runtime, threshold: number): Module {
  return buildModel(rt, { ...LIF, threshold });
}

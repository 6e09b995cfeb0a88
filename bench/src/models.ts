import { buildModel, type Module, type NodeSpec, type Runtime } from '@neurite/kernel';

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

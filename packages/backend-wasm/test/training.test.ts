import { Adam, createRuntime, crossEntropy, Linear, type Runtime, type Tensor } from '@neurite/kernel';
import lifPlugin, { lifScan } from '@neurite/neuron-lif';
import { describe, expect, it } from 'vitest';
import { wasmBackend } from '../src/index.js';

/**
 * A small spiking classifier trained for a few steps: spike input → Linear → LIF → Linear → leaky
 * readout, cross-entropy on the time-mean membrane, Adam. Returns the loss of every step.
 */
async function lossCurve(backend: 'cpu' | 'wasm', threads: number): Promise<number[]> {
  const rt: Runtime = createRuntime({ seed: 11 }).use(lifPlugin()).use(wasmBackend({ threads }));
  const be = await rt.setBackend(backend);
  try {
    const beta = rt.full([1], 0.9);
    const threshold = rt.full([1], 1);
    const fc1 = new Linear(rt, { inFeatures: 40, outFeatures: 48 });
    const fc2 = new Linear(rt, { inFeatures: 48, outFeatures: 5 });
    const params = [...fc1.parameters(), ...fc2.parameters()];
    const optimizer = new Adam(params, { lr: 5e-3 });
    const x = rt.bernoulli(0.15, [25, 8, 40]);
    const labels = rt.fromArray(Int32Array.from([0, 1, 2, 3, 4, 0, 1, 2]), [8]);
    const forward = (input: Tensor) => {
      const hidden = lifScan(
        fc1.forward(input).mul(2),
        { beta, threshold },
        {},
        { surrogate: { name: 'fast-sigmoid', slope: 25 } },
      );
      return lifScan(fc2.forward(hidden.spikes!), { beta }, {}, { spiking: false }).membrane.mean(0);
    };
    const losses: number[] = [];
    for (let step = 0; step < 15; step++) {
      optimizer.zeroGrad();
      const loss = crossEntropy(forward(x), labels);
      loss.backward();
      optimizer.step();
      losses.push(loss.itemSync());
    }
    return losses;
  } finally {
    be.dispose?.();
  }
}

describe('training on wasm', () => {
  // The kernels agree to float32 rounding, so the curves coincide until a membrane within rounding of the
  // threshold spikes on one backend and not the other; after that the runs are two nearby trainings.
  it('follows the cpu loss curve on 1 and 2 threads', async () => {
    const cpu = await lossCurve('cpu', 1);
    expect(cpu.at(-1)!).toBeLessThan(cpu[0]! * 0.5);
    const curves = [await lossCurve('wasm', 1), await lossCurve('wasm', 2)];
    for (const wasm of curves) {
      wasm.forEach((loss, k) => {
        const tolerance = k < 5 ? 1e-5 : 2e-2;
        expect(Math.abs(loss - cpu[k]!), `step ${k}`).toBeLessThanOrEqual(tolerance * cpu[k]!);
      });
    }
    expect(curves[1]).toEqual(curves[0]);
  });
});

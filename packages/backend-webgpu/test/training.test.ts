import {
  Adam,
  createRuntime,
  crossEntropy,
  Linear,
  Module,
  type Runtime,
  type Tensor,
} from '@neurite/kernel';
import neuronLif, { lifScan } from '@neurite/neuron-lif';
import { afterAll, describe, expect, it } from 'vitest';
import { type WebGPUBackend, webgpuBackend } from '../src/index.js';

const T = 10;
const B = 8;
const IN = 20;
const HIDDEN = 32;
const CLASSES = 4;

/** Linear → LIF (fused scan) → Linear, logits summed over time: the SHD-style network in miniature. */
class Net extends Module {
  readonly fc1: Linear;
  readonly fc2: Linear;
  readonly beta: Tensor;
  readonly threshold: Tensor;
  constructor(rt: Runtime) {
    super();
    this.fc1 = new Linear(rt, { inFeatures: IN, outFeatures: HIDDEN });
    this.fc2 = new Linear(rt, { inFeatures: HIDDEN, outFeatures: CLASSES });
    this.beta = rt.full([1], 0.9);
    this.threshold = rt.full([1], 1);
  }
  forward(x: Tensor): Tensor {
    const current = this.fc1.forward(x).mul(3);
    const { spikes } = lifScan(current, { beta: this.beta, threshold: this.threshold });
    return this.fc2.forward(spikes!).sum(0);
  }
}

/** Trains a few Adam steps on one backend from the same seed; returns the loss of every step. */
async function train(backend: 'cpu' | 'webgpu'): Promise<{ losses: number[]; gpu?: WebGPUBackend }> {
  const rt = createRuntime({ seed: 11 });
  rt.use(neuronLif());
  let gpu: WebGPUBackend | undefined;
  if (backend === 'webgpu') {
    rt.use(webgpuBackend());
    gpu = (await rt.setBackend('webgpu')) as unknown as WebGPUBackend;
  }
  const net = new Net(rt);
  const opt = new Adam(net.parameters(), { lr: 0.02 });
  const data = createRuntime({ seed: 3 });
  const losses: number[] = [];
  for (let step = 0; step < 6; step++) {
    // The same batch on both backends: drawn on a cpu runtime, then uploaded.
    const x = rt.fromArray(await data.bernoulli(0.3, [T, B, IN]).data(), [T, B, IN], { dtype: 'spike' });
    const y = rt.fromArray(await data.rand([B]).mul(CLASSES).floor().cast('int32').data(), [B], {
      dtype: 'int32',
    });
    opt.zeroGrad();
    const loss = crossEntropy(net.forward(x), y);
    loss.backward();
    opt.step();
    losses.push(await loss.item());
  }
  return gpu ? { losses, gpu } : { losses };
}

let gpuBackend: WebGPUBackend | undefined;
afterAll(() => gpuBackend?.dispose());

describe('training on the device', () => {
  it('Linear + LIF + Adam: the loss of every step equals the cpu run', async () => {
    const cpu = await train('cpu');
    const gpu = await train('webgpu');
    gpuBackend = gpu.gpu;
    expect(gpu.losses).toHaveLength(cpu.losses.length);
    for (let k = 0; k < cpu.losses.length; k++) {
      expect(Math.abs(gpu.losses[k]! - cpu.losses[k]!)).toBeLessThanOrEqual(1e-3 * Math.abs(cpu.losses[k]!));
    }
    // It learns (the same way on both).
    expect(cpu.losses.at(-1)!).toBeLessThan(cpu.losses[0]!);
    const stats = gpu.gpu!.stats();
    expect(stats.hostTasks).toBe(0);
    expect(stats.dispatches).toBeGreaterThan(50);
  });
});

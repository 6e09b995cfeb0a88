// Bundled for Chromium by browser.test.ts: runs kernels on the page's WebGPU (navigator.gpu) and returns
// the results, which the test compares with the cpu backend in Node.
import { createRuntime } from '@neurite/kernel';
import neuronLif, { lifScan } from '@neurite/neuron-lif';
import { type WebGPUBackend, webgpuBackend } from '../../src/index.js';

export interface BrowserCase {
  readonly a: number[];
  readonly b: number[];
  readonly seed: number;
}

async function run(input: BrowserCase) {
  const rt = createRuntime({ seed: input.seed });
  rt.use(webgpuBackend()).use(neuronLif());
  const gpu = (await rt.setBackend('webgpu')) as unknown as WebGPUBackend;
  const a = rt.fromArray(new Float32Array(input.a), [6, 7]);
  const b = rt.fromArray(new Float32Array(input.b), [5, 7]);
  const spikes = rt.bernoulli(0.4, [6, 7]);
  const x = a.reshape([3, 2, 7]);
  const scan = lifScan(x, { beta: rt.full([1], 0.9), threshold: rt.full([1], 0.5) });
  const results = {
    matmul: a.matmul(b, { transB: true }),
    broadcast: a.add(b.slice([0], [1])).mul(a.sigmoid()),
    softmax: a.logSoftmax(-1),
    sum: a.sum(0),
    spikes: spikes.cast('float32'),
    spikeMatmul: spikes.matmul(b, { transB: true }),
    membrane: scan.membrane,
    scanSpikes: scan.spikes!.cast('float32'),
  };
  const out: Record<string, number[]> = {};
  for (const [name, t] of Object.entries(results)) out[name] = Array.from(await t.data());
  const info = { backend: gpu.name, adapter: gpu.adapter, fellBack: gpu.stats().hostTasks };
  gpu.dispose();
  return { ...info, results: out };
}

(globalThis as { neuriteWebGPU?: typeof run }).neuriteWebGPU = run;

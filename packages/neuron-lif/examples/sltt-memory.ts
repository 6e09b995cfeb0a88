/**
 * Peak memory of one training step, BPTT against SLTT, at T = 25 and T = 100 (issue #4): the bytes of tensor
 * data the autograd tape holds where backward starts (every tensor reachable from the loss through the
 * tape, parameters and inputs included, each storage counted once), which is the step's peak. For SLTT that
 * point comes once per step; the largest is reported, plus the carried neuron states. Counting the tape is
 * exact and deterministic; the process's ArrayBuffer total is printed beside it as a cross-check (it lags,
 * since V8 frees buffers concurrently after a collection).
 *
 *   pnpm -F @neurite/neuron-lif example:sltt-memory
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadMnist } from '@neurite/datasets';
import { buildModel, createRuntime, type Tensor } from '@neurite/kernel';
import lif, { ceSpikeCount, mnistSnnBaselineModel, NeuronLayer, slttBackward } from '../src/index.js';

setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;
const live = () => {
  gc();
  return process.memoryUsage().arrayBuffers;
};

/** Bytes of the distinct storages reachable from `root` through the tape. */
function tapeBytes(root: Tensor, extra: readonly Tensor[] = []): number {
  const seen = new Set<unknown>();
  const nodes = new Set<unknown>();
  let bytes = 0;
  const count = (t: Tensor) => {
    const h = t.storage.handle as ArrayBufferView;
    if (seen.has(h)) return;
    seen.add(h);
    bytes += h.byteLength;
  };
  const stack: Tensor[] = [root, ...extra];
  while (stack.length) {
    const t = stack.pop()!;
    count(t);
    const node = t.gradNode;
    if (!node || nodes.has(node)) continue;
    nodes.add(node);
    for (const o of node.outputs) count(o);
    stack.push(...node.inputs);
  }
  return bytes;
}

const B = 128;
/** 128 training digits, copied out so the rest of the dataset can be collected. */
async function batch(): Promise<{ x: Float32Array; y: Int32Array }> {
  const { train } = await loadMnist({ train: 8000, test: 2000, seed: 0, augment: 0 });
  const x = new Float32Array(B * 784);
  const y = new Int32Array(B);
  for (let i = 0; i < B; i++) {
    const example = train.get(i * 37);
    x.set(example.input, i * 784);
    y[i] = example.label;
  }
  return { x, y };
}
const { x, y } = await batch();

/** One training step's live tensor data: before it, and at its largest (where a backward starts). */
async function measure(
  method: 'bptt' | 'sltt',
  T: number,
): Promise<{ peak: number; base: number; tape: number }> {
  const spec = structuredClone(mnistSnnBaselineModel) as { layers: { type: string; steps?: number }[] };
  spec.layers.find((l) => l.type === 'rate-encoder')!.steps = T;
  const rt = createRuntime({ seed: 1 }).use(lif());
  const model = buildModel(rt, spec);
  const input = rt.fromArray(x, [B, 784]);
  const target = rt.fromArray(y, [B], { dtype: 'int32' });
  const base = live();
  let peak = 0;
  let tape = 0;
  const neurons = model.modules().flatMap(([, m]) => (m instanceof NeuronLayer ? [m] : []));
  if (method === 'bptt') {
    const loss = ceSpikeCount(model.forward(input), target);
    peak = live();
    tape = tapeBytes(loss);
    loss.backward();
  } else {
    await slttBackward(model, input, target, {
      steps: T,
      loss: (o: Tensor, t: Tensor) => {
        // Per-step loss of the step's output spikes; memory is sampled just before this step's backward.
        const value = ceSpikeCount(o.reshape([1, ...o.shape]), t);
        const states = neurons.flatMap((n) => (n.state ? [n.state.v] : []));
        tape = Math.max(tape, tapeBytes(value, states));
        peak = Math.max(peak, live());
        return value;
      },
    });
  }
  return { peak, base, tape };
}

const MiB = (b: number) => (b / 2 ** 20).toFixed(1);
const results: Record<string, Record<number, { peak: number; base: number; tape: number }>> = {
  bptt: {},
  sltt: {},
};
for (const T of [25, 100]) {
  for (const method of ['bptt', 'sltt'] as const) {
    const r = await measure(method, T);
    results[method]![T] = r;
    console.log(
      `${method.toUpperCase()} T = ${T}: tape holds ${MiB(r.tape)} MiB at its largest (process ArrayBuffers there ${MiB(r.peak)} MiB, before the step ${MiB(r.base)} MiB)`,
    );
  }
}
for (const m of ['bptt', 'sltt'] as const) {
  const r = results[m]!;
  console.log(
    `${m.toUpperCase()}: peak memory at T = 100 / T = 25 = ${(r[100]!.tape / r[25]!.tape).toFixed(2)}×`,
  );
}

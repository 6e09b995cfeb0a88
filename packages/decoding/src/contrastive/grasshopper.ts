import { Adam, Rng, type Runtime } from '@neurite/kernel';
import { clipLoss, clipScores, topKAccuracy } from './clip-loss.js';
import { BrainEncoder } from './model.js';

export interface SpikeStimulusOptions {
  /** Segment length in milliseconds (the stimulus window). */
  readonly segmentMs?: number;
  /** Extra milliseconds of spikes after each stimulus window (response latency covered by the model). */
  readonly latencyMs?: number;
  /** Every `testEvery`-th segment is held out. */
  readonly testEvery?: number;
  readonly steps?: number;
  readonly batch?: number;
  readonly lr?: number;
  /** Hidden channels of the brain encoder. */
  readonly hidden?: number;
  readonly seed?: number;
}

export interface RetrievalResult {
  readonly top1: number;
  readonly top10: number;
  readonly chanceTop1: number;
  readonly chanceTop10: number;
  readonly candidates: number;
  readonly trainSegments: number;
  readonly finalLoss: number;
}

/**
 * Contrastive spike → stimulus decoding (brainmagick's recipe on one neuron): spikes binned at 1 ms,
 * the stimulus envelope averaged to 1 ms and z-scored, the recording cut into segments; a brain encoder
 * is trained with the CLIP loss on random crops inside the training segments, then each held-out
 * segment's spikes rank all held-out stimulus segments.
 */
export async function spikeStimulusRetrieval(
  rt: Runtime,
  spikeTimes: Float64Array,
  stimulusTimes: Float64Array,
  stimulus: Float64Array,
  options: SpikeStimulusOptions = {},
): Promise<RetrievalResult> {
  const seg = options.segmentMs ?? 100;
  const latency = options.latencyMs ?? 20;
  const total = Math.floor((stimulusTimes[stimulusTimes.length - 1]! - stimulusTimes[0]!) * 1000);
  const t0 = stimulusTimes[0]!;
  // 1-ms stimulus features (mean of the samples in each millisecond), z-scored.
  const feature = new Float64Array(total);
  const counts = new Float64Array(total);
  stimulusTimes.forEach((t, i) => {
    const k = Math.floor((t - t0) * 1000);
    if (k >= 0 && k < total) {
      feature[k] = feature[k]! + stimulus[i]!;
      counts[k] = counts[k]! + 1;
    }
  });
  for (let k = 0; k < total; k++) feature[k] = counts[k]! ? feature[k]! / counts[k]! : 0;
  const mean = feature.reduce((a, b) => a + b, 0) / total;
  const std = Math.sqrt(feature.reduce((a, b) => a + (b - mean) ** 2, 0) / total) || 1;
  for (let k = 0; k < total; k++) feature[k] = (feature[k]! - mean) / std;
  const spikes = new Float32Array(total + latency);
  for (const t of spikeTimes) {
    const k = Math.floor((t - t0) * 1000);
    if (k >= 0 && k < spikes.length) spikes[k] = spikes[k]! + 1;
  }

  const segments = Math.floor((total - latency) / seg);
  const every = options.testEvery ?? 4;
  const test = Array.from({ length: segments }, (_, i) => i).filter((i) => i % every === every - 1);
  const trainRuns: [number, number][] = [];
  for (let i = 0; i < segments; i++) {
    if (i % every === every - 1) continue;
    const start = i * seg;
    const last = trainRuns[trainRuns.length - 1];
    if (last && last[1] === start) last[1] = start + seg;
    else trainRuns.push([start, start + seg]);
  }
  const window = (start: number) => ({
    brain: spikes.subarray(start, start + seg + latency),
    target: Float32Array.from(feature.subarray(start, start + seg)),
  });
  const model = new BrainEncoder(
    rt,
    { inChannels: 1, outChannels: 1, kernel: latency + 1, hidden: options.hidden ?? 16 },
    new Rng(options.seed ?? 0),
  );
  const opt = new Adam(model.parameters(), { lr: options.lr ?? 3e-3 });
  const rng = new Rng((options.seed ?? 0) + 1);
  const batch = options.batch ?? 64;
  let finalLoss = Number.NaN;
  for (let step = 0; step < (options.steps ?? 300); step++) {
    const brain = new Float32Array(batch * (seg + latency));
    const target = new Float32Array(batch * seg);
    for (let b = 0; b < batch; b++) {
      // A random crop inside one run of consecutive training segments, its spike window (which reaches
      // `latency` past the stimulus window) ending before the next held-out segment starts.
      let run = trainRuns[rng.int(trainRuns.length)]!;
      while (run[1] - run[0] < seg + latency) run = trainRuns[rng.int(trainRuns.length)]!;
      const start = run[0] + rng.int(run[1] - run[0] - seg - latency + 1);
      const w = window(start);
      brain.set(w.brain, b * (seg + latency));
      target.set(w.target, b * seg);
    }
    opt.zeroGrad();
    const loss = clipLoss(
      model.forward(rt.fromArray(brain, [batch, 1, seg + latency])),
      rt.fromArray(target, [batch, 1, seg]),
    );
    loss.backward();
    opt.step();
    finalLoss = await loss.item();
  }
  model.eval();
  const brain = new Float32Array(test.length * (seg + latency));
  const target = new Float32Array(test.length * seg);
  test.forEach((i, j) => {
    const w = window(i * seg);
    brain.set(w.brain, j * (seg + latency));
    target.set(w.target, j * seg);
  });
  const scores = await rt.noGradAsync(async () =>
    clipScores(
      model.forward(rt.fromArray(brain, [test.length, 1, seg + latency])),
      rt.fromArray(target, [test.length, 1, seg]),
    ).data(),
  );
  const n = test.length;
  return {
    top1: topKAccuracy(scores, n, n, 1),
    top10: topKAccuracy(scores, n, n, 10),
    chanceTop1: 1 / n,
    chanceTop10: Math.min(1, 10 / n),
    candidates: n,
    trainSegments: segments - n,
    finalLoss,
  };
}

import { type EpochRecord, type Module, observeForward, plot, type Tensor } from '@neurite/kernel';

export interface SpikeCapture {
  /** Dotted module name in the model. */
  readonly layer: string;
  /** The layer's spikes [T, B, …]. */
  readonly spikes: Tensor;
}

/** Runs the model once and keeps the output of every leaf module that emits spikes (any plugin's neurons). */
export function captureSpikes(model: Module, input: Tensor): SpikeCapture[] {
  const captured: SpikeCapture[] = [];
  const stop = observeForward(
    model,
    (name, module, _inputs, out) => {
      if (out.dtype !== 'spike' || out.rank < 3) return;
      const type = module.describe()?.type ?? module.constructor.name;
      captured.push({ layer: `${name || 'model'} (${type})`, spikes: out });
    },
    (_name, m) => m.children().length === 0,
  );
  try {
    input.runtime.noGrad(() => model.eval().forward(input));
  } finally {
    stop();
  }
  return captured;
}

export interface ReportInput {
  readonly title: string;
  readonly config: unknown;
  readonly history: readonly EpochRecord[];
  readonly test: { readonly loss: number; readonly accuracy: number } | null;
  /** Per spiking layer: raster of one sample ([T, N] 0/1) and per-neuron firing rates over a batch. */
  readonly layers: readonly {
    layer: string;
    steps: number;
    neurons: number;
    raster: Uint8Array;
    rates: Float64Array;
  }[];
}

const css = `body{font-family:sans-serif;margin:24px;color:#222;max-width:1100px}h1{font-size:20px}h2{font-size:16px;margin-top:28px}
.grid{display:flex;flex-wrap:wrap;gap:16px}.plot{border:1px solid #ddd}table{border-collapse:collapse}td,th{padding:2px 10px;text-align:right}
pre{background:#f6f6f6;padding:8px;overflow:auto;font-size:11px}`;

/** A self-contained HTML report: inline SVG plots, no scripts, no external references. */
export function reportHtml(r: ReportInput): string {
  const epochs = r.history.map((h) => h.epoch);
  const lossPlot = plot.lineChart(
    [
      { name: 'train loss', x: epochs, y: r.history.map((h) => h.train.loss) },
      { name: 'test loss', x: epochs, y: r.history.map((h) => h.test.loss) },
    ],
    { title: 'Loss', xLabel: 'epoch', yLabel: 'loss' },
  );
  const accPlot = plot.lineChart(
    [
      { name: 'train accuracy', x: epochs, y: r.history.map((h) => 100 * h.train.accuracy) },
      { name: 'test accuracy', x: epochs, y: r.history.map((h) => 100 * h.test.accuracy) },
    ],
    { title: 'Accuracy', xLabel: 'epoch', yLabel: '%' },
  );
  const rows = r.history
    .map(
      (h) =>
        `<tr><td>${h.epoch}</td><td>${h.train.loss.toFixed(4)}</td><td>${(100 * h.train.accuracy).toFixed(2)}</td><td>${h.test.loss.toFixed(4)}</td><td>${(100 * h.test.accuracy).toFixed(2)}</td><td>${h.seconds.toFixed(1)}</td></tr>`,
    )
    .join('');
  const spiking = r.layers.length
    ? r.layers
        .map(
          (l) =>
            `<h3>${plot.escapeXml(l.layer)}</h3><div class="grid">${plot.raster(
              l.raster,
              l.steps,
              l.neurons,
              {
                title: `Spike raster, one test sample (${l.neurons} neurons × ${l.steps} steps)`,
                xLabel: 'time step',
              },
            )}${plot.histogram(l.rates, 20, { title: 'Firing rates over a test batch', xLabel: 'spikes per step' })}</div>`,
        )
        .join('')
    : '<p>The model has no spiking layers.</p>';
  return `<!doctype html><html><head><meta charset="utf-8"><title>${plot.escapeXml(r.title)}</title><style>${css}</style></head><body>
<h1>${plot.escapeXml(r.title)}</h1>
${r.test ? `<p>Test accuracy <b>${(100 * r.test.accuracy).toFixed(2)} %</b>, loss ${r.test.loss.toFixed(4)}, after ${r.history.length} epochs.</p>` : ''}
<h2>Training curves</h2><div class="grid">${lossPlot}${accPlot}</div>
<table><tr><th>epoch</th><th>train loss</th><th>train acc %</th><th>test loss</th><th>test acc %</th><th>s</th></tr>${rows}</table>
<h2>Spiking layers</h2>${spiking}
<h2>Config</h2><pre>${plot.escapeXml(JSON.stringify(r.config, null, 2))}</pre>
</body></html>
`;
}

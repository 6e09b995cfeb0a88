import { ShapeError, type Tensor } from '@neurite/kernel';

export interface PlotOptions {
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
  /** For [T, B, ...] tensors: which sample to draw. */
  readonly sample?: number;
}

const escapeXml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const fmt = (v: number) =>
  Math.abs(v) >= 100 || Number.isInteger(v) ? String(Math.round(v)) : v.toPrecision(3);

/** [T, N] rows of one sample from [T, N] or [T, B, ...F] (features flattened). */
async function rowsOf(
  x: Tensor,
  sample: number,
  op: string,
): Promise<{ T: number; N: number; data: ArrayLike<number> }> {
  if (x.rank < 2) throw new ShapeError(op, 'expects [T, N] or [T, B, ...features]', [x.shape]);
  const T = x.shape[0]!;
  if (x.rank === 2) return { T, N: x.shape[1]!, data: await x.data() };
  const B = x.shape[1]!;
  if (sample < 0 || sample >= B)
    throw new ShapeError(op, `sample ${sample} is outside the batch of ${B}`, [x.shape]);
  const N = x.size / (T * B);
  const all = await x.data();
  const data = new Float64Array(T * N);
  for (let t = 0; t < T; t++) for (let n = 0; n < N; n++) data[t * N + n] = all[(t * B + sample) * N + n]!;
  return { T, N, data };
}

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

function frame(o: PlotOptions): Frame {
  const width = o.width ?? 640;
  const height = o.height ?? 320;
  return { width, height, left: 56, right: width - 16, top: o.title ? 32 : 16, bottom: height - 40 };
}

function axes(
  f: Frame,
  o: PlotOptions,
  x: { min: number; max: number; label: string },
  y: { min: number; max: number; label: string },
): string {
  const parts: string[] = [];
  const sx = (v: number) => f.left + ((v - x.min) / (x.max - x.min || 1)) * (f.right - f.left);
  const sy = (v: number) => f.bottom - ((v - y.min) / (y.max - y.min || 1)) * (f.bottom - f.top);
  parts.push(
    `<rect x="${f.left}" y="${f.top}" width="${f.right - f.left}" height="${f.bottom - f.top}" fill="none" stroke="#888"/>`,
  );
  for (let k = 0; k <= 4; k++) {
    const xv = x.min + ((x.max - x.min) * k) / 4;
    const yv = y.min + ((y.max - y.min) * k) / 4;
    parts.push(`<text x="${sx(xv).toFixed(1)}" y="${f.bottom + 16}" text-anchor="middle">${fmt(xv)}</text>`);
    parts.push(`<text x="${f.left - 6}" y="${(sy(yv) + 4).toFixed(1)}" text-anchor="end">${fmt(yv)}</text>`);
  }
  parts.push(
    `<text x="${(f.left + f.right) / 2}" y="${f.height - 6}" text-anchor="middle">${escapeXml(x.label)}</text>`,
  );
  parts.push(
    `<text transform="translate(14 ${(f.top + f.bottom) / 2}) rotate(-90)" text-anchor="middle">${escapeXml(y.label)}</text>`,
  );
  if (o.title)
    parts.push(
      `<text x="${f.width / 2}" y="20" text-anchor="middle" font-weight="bold">${escapeXml(o.title)}</text>`,
    );
  return parts.join('\n');
}

const open = (f: Frame) =>
  `<svg xmlns="http://www.w3.org/2000/svg" width="${f.width}" height="${f.height}" viewBox="0 0 ${f.width} ${f.height}" font-family="sans-serif" font-size="11">\n<rect width="100%" height="100%" fill="white"/>`;

/** A spike raster: one row per neuron, a tick at every step it spiked. */
export async function rasterSvg(spikes: Tensor, options: PlotOptions = {}): Promise<string> {
  const { T, N, data } = await rowsOf(spikes, options.sample ?? 0, 'rasterSvg');
  const f = frame(options);
  const w = (f.right - f.left) / T;
  const h = (f.bottom - f.top) / N;
  const ticks: string[] = [];
  for (let t = 0; t < T; t++) {
    for (let n = 0; n < N; n++) {
      if (!data[t * N + n]) continue;
      const x = f.left + (t + 0.5) * w;
      const y = f.bottom - (n + 1) * h;
      ticks.push(`M${x.toFixed(2)} ${y.toFixed(2)}v${Math.max(h * 0.9, 0.5).toFixed(2)}`);
    }
  }
  return [
    open(f),
    `<path d="${ticks.join('')}" stroke="black" stroke-width="${Math.max(Math.min(w * 0.6, 2), 0.5).toFixed(2)}"/>`,
    axes(f, options, { min: 0, max: T, label: 'time step' }, { min: 0, max: N, label: 'neuron' }),
    '</svg>',
  ].join('\n');
}

export interface TraceOptions extends PlotOptions {
  /** Neurons (flat feature indices) to draw; the first five by default. */
  readonly neurons?: readonly number[];
  /** Draws a dashed line at the threshold. */
  readonly threshold?: number;
  /** Marks the steps where each drawn neuron spiked. */
  readonly spikes?: Tensor;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

/** Membrane traces of a few neurons over time, with the threshold and the spikes. */
export async function membraneSvg(membrane: Tensor, options: TraceOptions = {}): Promise<string> {
  const sample = options.sample ?? 0;
  const { T, N, data } = await rowsOf(membrane, sample, 'membraneSvg');
  const neurons = options.neurons ?? Array.from({ length: Math.min(5, N) }, (_, k) => k);
  for (const n of neurons)
    if (n < 0 || n >= N)
      throw new ShapeError('membraneSvg', `neuron ${n} is outside 0…${N - 1}`, [membrane.shape]);
  const spikes = options.spikes ? await rowsOf(options.spikes, sample, 'membraneSvg') : null;
  let min = options.threshold ?? Number.POSITIVE_INFINITY;
  let max = options.threshold ?? Number.NEGATIVE_INFINITY;
  for (const n of neurons)
    for (let t = 0; t < T; t++) {
      const v = data[t * N + n]!;
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
  if (min === max) [min, max] = [min - 1, max + 1];
  const f = frame(options);
  const sx = (t: number) => f.left + ((t + 0.5) / T) * (f.right - f.left);
  const sy = (v: number) => f.bottom - ((v - min) / (max - min)) * (f.bottom - f.top);
  const parts = [open(f)];
  if (options.threshold !== undefined) {
    const y = sy(options.threshold).toFixed(2);
    parts.push(
      `<line x1="${f.left}" x2="${f.right}" y1="${y}" y2="${y}" stroke="#999" stroke-dasharray="4 3"/>`,
    );
  }
  neurons.forEach((n, k) => {
    const colour = COLOURS[k % COLOURS.length]!;
    const points = Array.from(
      { length: T },
      (_, t) => `${sx(t).toFixed(2)},${sy(data[t * N + n]!).toFixed(2)}`,
    );
    parts.push(`<polyline points="${points.join(' ')}" fill="none" stroke="${colour}" stroke-width="1.5"/>`);
    const last = data[(T - 1) * N + n]!;
    parts.push(
      `<text x="${(f.right - 2).toFixed(1)}" y="${(sy(last) - 3).toFixed(1)}" text-anchor="end" fill="${colour}">${n}</text>`,
    );
    if (spikes) {
      for (let t = 0; t < T; t++) {
        if (spikes.data[t * spikes.N + n])
          parts.push(
            `<circle cx="${sx(t).toFixed(2)}" cy="${(f.top + 4).toFixed(2)}" r="2.5" fill="${colour}"/>`,
          );
      }
    }
  });
  parts.push(
    axes(f, options, { min: 0, max: T, label: 'time step' }, { min, max, label: 'membrane' }),
    '</svg>',
  );
  return parts.join('\n');
}

/**
 * Self-contained SVG plots (no fonts, scripts or external references) for reports, raster plots of
 * spikes and training curves. Strings in, strings out: they work in Node and in browsers alike.
 */

export interface PlotFrame {
  readonly width?: number;
  readonly height?: number;
  readonly title?: string;
  readonly xLabel?: string;
  readonly yLabel?: string;
}

export interface Series {
  readonly name: string;
  readonly x: readonly number[];
  readonly y: readonly number[];
  readonly color?: string;
}

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#17becf'];
const MARGIN = { left: 56, right: 16, top: 28, bottom: 40 };

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const fmt = (v: number) =>
  Math.abs(v) >= 1000 || (Math.abs(v) < 0.01 && v !== 0) ? v.toExponential(1) : String(+v.toPrecision(3));

/** About `count` round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(+v.toPrecision(12));
  return out;
}

interface Axes {
  readonly sx: (v: number) => number;
  readonly sy: (v: number) => number;
  readonly svg: string[];
  readonly width: number;
  readonly height: number;
}

function axes(frame: PlotFrame, xRange: [number, number], yRange: [number, number], plotClass: string): Axes {
  const width = frame.width ?? 480;
  const height = frame.height ?? 280;
  const [x0, x1] = xRange[1] > xRange[0] ? xRange : [xRange[0] - 0.5, xRange[0] + 0.5];
  const [y0, y1] = yRange[1] > yRange[0] ? yRange : [yRange[0] - 0.5, yRange[0] + 0.5];
  const iw = width - MARGIN.left - MARGIN.right;
  const ih = height - MARGIN.top - MARGIN.bottom;
  const sx = (v: number) => MARGIN.left + ((v - x0) / (x1 - x0)) * iw;
  const sy = (v: number) => MARGIN.top + ih - ((v - y0) / (y1 - y0)) * ih;
  const svg = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="${plotClass}" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fff"/>`,
  ];
  if (frame.title)
    svg.push(
      `<text x="${width / 2}" y="16" text-anchor="middle" font-size="13">${escapeXml(frame.title)}</text>`,
    );
  svg.push(
    `<g class="axes" stroke="#444" fill="none"><path d="M${MARGIN.left},${MARGIN.top}V${MARGIN.top + ih}H${MARGIN.left + iw}"/></g>`,
  );
  const labels: string[] = [];
  for (const t of ticks(x0, x1))
    labels.push(`<text x="${sx(t)}" y="${MARGIN.top + ih + 14}" text-anchor="middle">${fmt(t)}</text>`);
  for (const t of ticks(y0, y1))
    labels.push(`<text x="${MARGIN.left - 6}" y="${sy(t) + 4}" text-anchor="end">${fmt(t)}</text>`);
  if (frame.xLabel)
    labels.push(
      `<text x="${MARGIN.left + iw / 2}" y="${height - 6}" text-anchor="middle">${escapeXml(frame.xLabel)}</text>`,
    );
  if (frame.yLabel) {
    labels.push(
      `<text transform="translate(12 ${MARGIN.top + ih / 2}) rotate(-90)" text-anchor="middle">${escapeXml(frame.yLabel)}</text>`,
    );
  }
  svg.push(`<g class="labels" fill="#222">${labels.join('')}</g>`);
  return { sx, sy, svg, width, height };
}

function extent(values: Iterable<number>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}

/** Lines through (x, y) points, one per series, with a legend. */
export function lineChart(series: readonly Series[], frame: PlotFrame = {}): string {
  // Headroom above the data keeps the legend (top right) clear of the curves.
  const [lo, hi] = extent(series.flatMap((s) => s.y));
  const span = hi > lo ? hi - lo : 1;
  const yRange: [number, number] = [lo - 0.05 * span, hi + (0.12 + 0.08 * series.length) * span];
  const a = axes(frame, extent(series.flatMap((s) => s.x)), yRange, 'plot line-chart');
  series.forEach((s, k) => {
    const color = s.color ?? PALETTE[k % PALETTE.length]!;
    const points = s.x.map((x, i) => `${a.sx(x).toFixed(1)},${a.sy(s.y[i]!).toFixed(1)}`).join(' ');
    a.svg.push(
      `<polyline class="series" fill="none" stroke="${color}" stroke-width="1.8" points="${points}"/>`,
    );
    a.svg.push(
      `<g class="legend"><rect x="${a.width - 130}" y="${30 + 14 * k}" width="10" height="3" fill="${color}"/><text x="${a.width - 116}" y="${35 + 14 * k}" fill="#222">${escapeXml(s.name)}</text></g>`,
    );
  });
  a.svg.push('</svg>');
  return a.svg.join('');
}

/**
 * A spike raster: one row per neuron, one mark per spike. `spikes` is row-major [T, N] (0/1); `dt` is
 * the step length in the unit named by `frame.xLabel`.
 */
export function raster(
  spikes: ArrayLike<number>,
  steps: number,
  neurons: number,
  frame: PlotFrame & { dt?: number } = {},
): string {
  const dt = frame.dt ?? 1;
  const a = axes({ yLabel: 'neuron', ...frame }, [0, steps * dt], [0, neurons], 'plot raster');
  const h = Math.max(0.6, a.sy(0) - a.sy(1));
  const w = Math.max(0.8, a.sx(dt) - a.sx(0));
  const marks: string[] = [];
  for (let t = 0; t < steps; t++) {
    for (let n = 0; n < neurons; n++) {
      if (spikes[t * neurons + n]) {
        marks.push(
          `M${a.sx(t * dt).toFixed(1)},${a.sy(n + 1).toFixed(1)}h${w.toFixed(1)}v${h.toFixed(1)}h-${w.toFixed(1)}z`,
        );
      }
    }
  }
  a.svg.push(`<path class="spikes" fill="#111" d="${marks.join('')}"/>`, '</svg>');
  return a.svg.join('');
}

/** A histogram of values in `bins` equal bins. */
export function histogram(values: ArrayLike<number>, bins = 20, frame: PlotFrame = {}): string {
  const [lo, hi] = extent(Array.from(values));
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]!++;
  }
  const a = axes(
    { yLabel: 'count', ...frame },
    [lo, lo + width * bins],
    [0, Math.max(...counts, 1)],
    'plot histogram',
  );
  const bars = counts.map((c, i) => {
    const x0 = a.sx(lo + i * width);
    const x1 = a.sx(lo + (i + 1) * width);
    return `<rect x="${x0.toFixed(1)}" y="${a.sy(c).toFixed(1)}" width="${Math.max(0.5, x1 - x0 - 1).toFixed(1)}" height="${(a.sy(0) - a.sy(c)).toFixed(1)}"/>`;
  });
  a.svg.push(`<g class="bars" fill="#1f77b4">${bars.join('')}</g>`, '</svg>');
  return a.svg.join('');
}

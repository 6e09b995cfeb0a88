import { FormatError } from '@neurite/kernel';
import type { Channel, Recording } from '../recording.js';
import type { SpikeTrains } from '../spike-trains.js';
import type { MatFile, MatValue } from './mat.js';

/** Variable names that hold a sampling rate in the MAT-files of EEG toolboxes and course material. */
const RATE_NAMES = ['fs', 'srate', 'sfreq', 'samplingrate', 'sampling_rate', 'sample_rate', 'samplerate'];

/**
 * A recording from a MAT-file that stores signals as plain variables: a scalar sampling-rate variable
 * (fs, srate, sfreq, …) and numeric vectors or [samples × channels] matrices, each vector a channel
 * named after its variable. Returns null when the file holds no such layout.
 */
export function recordingFromMat(mat: MatFile): Recording | null {
  let rate = 0;
  for (const [name, v] of mat.variables) {
    if (RATE_NAMES.includes(name.toLowerCase()) && v.kind === 'numeric' && v.real.length === 1)
      rate = v.real[0]!;
  }
  if (!(rate > 0)) return null;
  const channels: Channel[] = [];
  const data: Float32Array[] = [];
  for (const [name, v] of mat.variables) {
    if (v.kind !== 'numeric' || v.dims.length !== 2 || v.real.length <= 1) continue;
    const [rows, cols] = v.dims as [number, number];
    // Vectors are one channel; a matrix is [samples × channels] when it is taller than wide.
    const samples = Math.max(rows, cols);
    const count = Math.min(rows, cols);
    for (let c = 0; c < count; c++) {
      const out = new Float32Array(samples);
      for (let k = 0; k < samples; k++) {
        // Column-major storage: element (i, j) at i + j·rows.
        out[k] = count === 1 ? v.real[k]! : rows >= cols ? v.real[k + c * rows]! : v.real[c + k * rows]!;
      }
      channels.push({
        name: count === 1 ? name : `${name}${c + 1}`,
        unit: '',
        sampleRate: rate,
        kind: 'signal',
      });
      data.push(out);
    }
  }
  if (channels.length === 0) return null;
  return {
    format: 'mat',
    version: '5',
    channels,
    data,
    annotations: [],
    details: { variables: [...mat.variables.keys()] },
  };
}

/**
 * Spike trains from a MAT-file that stores units as structs with a numeric `time` field (spike times in
 * seconds), at any depth of cells and structs — the layout of the nelpy linear-track example. Units are
 * named by their 1-based path of cell indices (`1.14`); units without spikes are counted in
 * `details.emptyUnits` and left out. Returns null when no such struct exists.
 */
export function spikeTrainsFromMat(mat: MatFile, file = 'input.mat'): SpikeTrains | null {
  const units: { id: string; times: Float64Array }[] = [];
  let empty = 0;
  let range: [number, number] | undefined;
  const visit = (v: MatValue, path: number[], depth: number): void => {
    if (depth > 64) throw new FormatError('MAT', file, 'nesting', 'at most 64 levels', 'deeper');
    if (v.kind === 'cell') {
      v.cells.forEach((c, i) => {
        visit(c, [...path, i + 1], depth + 1);
      });
    } else if (v.kind === 'struct') {
      v.elements.forEach((el, i) => {
        const time = el.time;
        if (time && (time.kind === 'numeric' || time.kind === 'cell')) {
          const values = time.kind === 'numeric' ? time.real : new Float64Array(0);
          if (values.length === 0) empty++;
          else
            units.push({
              id: (v.elements.length > 1 ? [...path, i + 1] : path).join('.'),
              times: Float64Array.from(values),
            });
          const tr = el.timerange;
          if (!range && tr?.kind === 'numeric' && tr.real.length === 2) range = [tr.real[0]!, tr.real[1]!];
        } else for (const f of v.fields) visit(el[f]!, [...path, i + 1], depth + 1);
      });
    }
  };
  for (const [, v] of mat.variables) visit(v, [], 0);
  if (units.length === 0 && empty === 0) return null;
  const trains: SpikeTrains = { format: 'mat', units, details: { emptyUnits: empty } };
  return range ? { ...trains, timeRange: range } : trains;
}

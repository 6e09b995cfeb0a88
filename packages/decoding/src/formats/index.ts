import type { FileSummary, FormatDef } from '@neurite/kernel';
import { summarizeRecording } from '../recording.js';
import { summarizeSpikes } from '../spike-trains.js';
import { isBrainVisionHeader } from './brainvision.js';
import { isBdf, isEdf, readEdf } from './edf.js';
import { isGdf, readGdf } from './gdf.js';
import { loadBrainVision } from './load.js';
import { isMat, readMat } from './mat.js';
import { recordingFromMat, spikeTrainsFromMat } from './mat-content.js';
import { isNwb, readNwbUnits } from './nwb.js';
import { isSpikeTimeText, readSpikeTimesMicroseconds } from './text-series.js';
import { isTrackerFile, readTracker } from './tracker.js';
import { isXdf, readXdf } from './xdf.js';

/** The file readers this package registers for `neurite inspect`. */
export const formats: FormatDef[] = [
  {
    name: 'edf',
    description: 'European Data Format (EDF, EDF+ with annotations); 16-bit samples',
    extensions: ['.edf'],
    detect: (head) => isEdf(head),
    inspect: async (file) => summarizeRecording(readEdf(await file.bytes(), file.path)),
  },
  {
    name: 'bdf',
    description: 'BioSemi Data Format (24-bit EDF); the Status channel gives trigger events',
    extensions: ['.bdf'],
    detect: (head) => isBdf(head),
    inspect: async (file) => summarizeRecording(readEdf(await file.bytes(), file.path)),
  },
  {
    name: 'gdf',
    description: 'General Data Format 1.x/2.x for biosignals, with its event table',
    extensions: ['.gdf'],
    detect: (head) => isGdf(head),
    inspect: async (file) => summarizeRecording(readGdf(await file.bytes(), file.path)),
  },
  {
    name: 'brainvision',
    description: 'BrainVision header (.vhdr) with its .eeg data and .vmrk markers',
    extensions: ['.vhdr'],
    detect: (head) => isBrainVisionHeader(head),
    inspect: async (file) => summarizeRecording(await loadBrainVision(file)),
  },
  {
    name: 'xdf',
    description: 'Extensible Data Format (Lab Streaming Layer): streams, samples, clock offsets',
    extensions: ['.xdf'],
    detect: (head) => isXdf(head),
    inspect: async (file) => {
      const bytes = await file.bytes();
      const summary = summarizeRecording(readXdf(bytes, file.path));
      return summary;
    },
  },
  {
    name: 'mat',
    description: 'MATLAB level-5 MAT-file (numeric arrays, structs, cells; compressed elements)',
    extensions: ['.mat'],
    detect: (head) => isMat(head),
    inspect: async (file) => {
      const mat = readMat(await file.bytes(), file.path);
      const variables = Object.fromEntries(
        [...mat.variables].map(([name, v]) => [name, `${v.kind} [${v.dims.join('×')}]`]),
      );
      const rec = recordingFromMat(mat);
      if (rec) return { ...summarizeRecording(rec), details: { variables } };
      const spikes = spikeTrainsFromMat(mat, file.path);
      if (spikes) return { ...summarizeSpikes(spikes), details: { ...spikes.details, variables } };
      return {
        format: 'mat',
        version: '5',
        details: { header: mat.header, variables },
      } satisfies FileSummary;
    },
  },
  {
    name: 'nwb',
    description: 'Neurodata Without Borders 2.x (HDF5) units table, via h5wasm',
    extensions: ['.nwb'],
    detect: (head, name) => isNwb(head, name),
    inspect: async (file) => summarizeSpikes(await readNwbUnits(await file.bytes(), file.path)),
  },
  {
    name: 'tracker',
    description: 'position-tracker records after a <Start settings> text block (nelpy linear track)',
    extensions: ['.bin'],
    detect: (head) => isTrackerFile(head),
    inspect: async (file) => {
      const t = readTracker(await file.bytes(), file.path);
      const n = t.times.length;
      return {
        format: 'tracker',
        samples: n,
        durationSeconds: n > 1 ? t.times[n - 1]! - t.times[0]! : 0,
        sampleRate: n > 1 ? (n - 1) / (t.times[n - 1]! - t.times[0]!) : 0,
        details: { fields: Object.keys(t.fields), clockRate: t.clockRate },
      };
    },
  },
  {
    name: 'spike-times-text',
    description: 'one spike time per line in microseconds after # comments (nitime grasshopper)',
    extensions: ['.txt'],
    detect: (head) => isSpikeTimeText(head),
    inspect: async (file) => {
      const times = readSpikeTimesMicroseconds(new TextDecoder().decode(await file.bytes()), file.path);
      return summarizeSpikes({ format: 'spike-times-text', units: [{ id: '0', times }] });
    },
  },
];

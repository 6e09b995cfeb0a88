import type { FileSummary, FormatDef } from '@neurite/kernel';
import type { EventStream } from '../events/types.js';
import { readShd, SHD } from '../hdf5/shd.js';
import { startsWith } from '../io/bytes.js';
import { AEDAT2, detectAedat2, readAedat2 } from './aedat2.js';
import { AEDAT4, detectAedat4, readAedat4 } from './aedat4.js';
import { AEDAT31, detectAedat31, readAedat31 } from './aedat31.js';
import { ATIS_BIN, detectAtisBin, readAtisBin } from './atis-bin.js';
import { COCHLEA_AER, detectCochleaAer, readCochleaAer } from './cochlea-aer.js';
import { detectEvt2, EVT2, readEvt2 } from './evt2.js';
import { detectEvt3, EVT3, readEvt3 } from './evt3.js';
import { detectNpy, NPY, readNpy } from './npy.js';
import { detectPropheseeDat, PROPHESEE_DAT, readPropheseeDat } from './prophesee-dat.js';
import { eventSummary } from './summary.js';
import { detectWav, readWav, WAV } from './wav.js';

/** An event-file reader: a pure function over bytes plus its content detector. */
export interface EventReader {
  readonly name: string;
  readonly description: string;
  readonly extensions: readonly string[];
  detect(head: Uint8Array, fileName: string): boolean;
  read(bytes: Uint8Array, options: { file?: string }): EventStream;
}

/** Every event reader, in the order detection tries them (magic numbers first, structural checks last). */
export const EVENT_READERS: readonly EventReader[] = [
  {
    name: AEDAT4,
    description: 'AEDAT 4.0 (iniVation DV): FlatBuffer packets, LZ4 frames',
    extensions: ['.aedat4'],
    detect: detectAedat4,
    read: readAedat4,
  },
  {
    name: AEDAT31,
    description: 'AEDAT 3.1 (cAER/DV, DVS Gesture): typed little-endian packets',
    extensions: ['.aedat'],
    detect: detectAedat31,
    read: readAedat31,
  },
  {
    name: AEDAT2,
    description: 'AEDAT 2.0 (jAER): big-endian address/timestamp pairs',
    extensions: ['.aedat', '.dat'],
    detect: detectAedat2,
    read: readAedat2,
  },
  {
    name: EVT3,
    description: 'Prophesee EVT 3.0 RAW: 16-bit vectorised words',
    extensions: ['.raw'],
    detect: detectEvt3,
    read: readEvt3,
  },
  {
    name: EVT2,
    description: 'Prophesee EVT 2.0 RAW: 32-bit words',
    extensions: ['.raw'],
    detect: detectEvt2,
    read: readEvt2,
  },
  {
    name: PROPHESEE_DAT,
    description: 'Prophesee DAT: 8-byte CD events after a % header',
    extensions: ['.dat'],
    detect: detectPropheseeDat,
    read: readPropheseeDat,
  },
  {
    name: ATIS_BIN,
    description: 'N-MNIST / N-Caltech101 ATIS .bin: 5-byte events',
    extensions: ['.bin'],
    detect: detectAtisBin,
    read: readAtisBin,
  },
  {
    name: COCHLEA_AER,
    description: 'Neuromorphic cochlea AER (NAS, AEDAT 1.0 layout): big-endian address + timestamp',
    extensions: ['.aedat'],
    detect: detectCochleaAer,
    read: readCochleaAer,
  },
];

const HDF5_MAGIC = '\x89HDF\r\n\x1a\n';

/** An HDF5 file whose first bytes name the SHD datasets (link names sit near the start of small files). */
export function detectShd(head: Uint8Array): boolean {
  if (!startsWith(head, HDF5_MAGIC)) return false;
  let text = '';
  for (let i = 0; i < head.length; i++) text += String.fromCharCode(head[i]!);
  return text.includes('spikes') && text.includes('labels');
}

async function inspectShd(bytes: Uint8Array, file: string): Promise<FileSummary> {
  const set = await readShd(bytes, { file });
  let spikes = 0;
  let maxUnit = -1;
  let last = 0;
  for (let i = 0; i < set.times.length; i++) {
    spikes += set.times[i]!.length;
    for (const u of set.units[i]!) if (u > maxUnit) maxUnit = u;
    for (const t of set.times[i]!) if (t > last) last = t;
  }
  const classes = new Set(set.labels).size;
  return {
    format: SHD,
    spikes,
    units: maxUnit + 1,
    channels: maxUnit + 1,
    labels: set.keys ? [...set.keys] : classes,
    details: {
      samples: set.times.length,
      classes,
      longestSampleSeconds: last,
      ...(set.speakers ? { speakers: new Set(set.speakers).size } : {}),
      timeType: set.times[0]?.constructor.name ?? 'none',
    },
  };
}

/** The kernel `format` entries of this package, for `neurite inspect`. */
export function formatDefs(): FormatDef[] {
  const events: FormatDef[] = EVENT_READERS.map((reader) => ({
    name: reader.name,
    description: reader.description,
    extensions: reader.extensions,
    detect: reader.detect,
    async inspect(file) {
      const bytes = await file.bytes();
      const stream = reader.read(bytes, { file: file.path });
      const extra = 'info' in stream ? { streams: (stream as { info: unknown }).info } : {};
      return eventSummary(reader.name, stream, extra);
    },
  }));
  return [
    ...events,
    {
      name: SHD,
      description: 'SHD/SSC spike trains in HDF5 (spikes/times, spikes/units, labels, extra/…), via h5wasm',
      extensions: ['.h5', '.hdf5'],
      detect: detectShd,
      async inspect(file) {
        return inspectShd(await file.bytes(), file.path);
      },
    },
    {
      name: WAV,
      description: 'RIFF/WAVE audio: PCM 8/16/24/32-bit or float 32/64-bit, any rate',
      extensions: ['.wav'],
      detect: detectWav,
      async inspect(file) {
        const audio = readWav(await file.bytes(), { file: file.path });
        return {
          format: WAV,
          channels: audio.channels.length,
          sampleRate: audio.sampleRate,
          samples: audio.samples,
          durationSeconds: audio.samples / audio.sampleRate,
          details: { bitsPerSample: audio.bitsPerSample, encoding: audio.encoding },
        };
      },
    },
    {
      name: NPY,
      description: 'NumPy .npy arrays (plain and structured dtypes)',
      extensions: ['.npy'],
      detect: detectNpy,
      async inspect(file) {
        const npy = readNpy(await file.bytes(), { file: file.path });
        return {
          format: NPY,
          details: { shape: npy.shape, dtype: npy.dtype, fortranOrder: npy.fortranOrder },
        };
      },
    },
  ];
}

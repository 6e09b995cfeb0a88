import { ByteReader, startsWith, utf8 } from '../io/bytes.js';
import type { Annotation, Channel, Recording } from '../recording.js';

/**
 * BrainVision (Brain Products): a text header (.vhdr) naming a binary data file (.eeg) and a marker file
 * (.vmrk). Binary samples are int16, uint16, int32 or float32, multiplexed (sample by sample) or
 * vectorised (channel by channel); each channel's value × its resolution is in its unit (µV by default).
 * Every marker (including "New Segment") is an annotation; positions are 1-based data points.
 */
const HEADER_MAGICS = ['Brain Vision Data Exchange Header File', 'BrainVision Data Exchange Header File'];
const MARKER_MAGICS = ['Brain Vision Data Exchange Marker File', 'BrainVision Data Exchange Marker File'];

export function isBrainVisionHeader(head: Uint8Array): boolean {
  const at = head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf ? 3 : 0;
  return HEADER_MAGICS.some((m) => startsWith(head, m, at));
}

export interface BrainVisionHeader {
  readonly dataFile: string;
  readonly markerFile: string | null;
  readonly channels: readonly { name: string; reference: string; resolution: number; unit: string }[];
  readonly sampleRate: number;
  readonly binaryFormat: 'INT_16' | 'UINT_16' | 'INT_32' | 'IEEE_FLOAT_32';
  readonly orientation: 'MULTIPLEXED' | 'VECTORIZED';
}

type Sections = Map<string, Map<string, string>>;

function parseIni(text: string): Sections {
  const sections: Sections = new Map();
  let current = new Map<string, string>();
  sections.set('', current);
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      current = new Map();
      sections.set(section[1]!.trim().toLowerCase(), current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return sections;
}

const unescapeCommas = (s: string) => s.replace(/\\1/g, ',');

export function parseBrainVisionHeader(bytes: Uint8Array, file = 'header.vhdr'): BrainVisionHeader {
  const r = new ByteReader(bytes, 'BrainVision', file);
  if (!isBrainVisionHeader(bytes)) {
    throw r.error('first line', `"${HEADER_MAGICS[0]}"`, JSON.stringify(utf8(bytes.subarray(0, 40))), 0);
  }
  const ini = parseIni(utf8(bytes));
  const common = ini.get('common infos');
  if (!common) throw r.error('[Common Infos]', 'a [Common Infos] section', 'none');
  const get = (key: string) => common.get(key.toLowerCase());
  const dataFile = get('DataFile');
  if (!dataFile) throw r.error('DataFile', 'the name of the data file', 'nothing');
  const dataFormat = (get('DataFormat') ?? 'BINARY').toUpperCase();
  if (dataFormat !== 'BINARY') throw r.error('DataFormat', 'BINARY', dataFormat);
  const orientation = (get('DataOrientation') ?? 'MULTIPLEXED').toUpperCase();
  if (orientation !== 'MULTIPLEXED' && orientation !== 'VECTORIZED') {
    throw r.error('DataOrientation', 'MULTIPLEXED or VECTORIZED', orientation);
  }
  const n = Number(get('NumberOfChannels'));
  if (!Number.isInteger(n) || n < 1 || n > 65536)
    throw r.error('NumberOfChannels', 'an integer from 1 to 65536', String(get('NumberOfChannels')));
  const interval = Number(get('SamplingInterval'));
  if (!(interval > 0) || !Number.isFinite(interval))
    throw r.error('SamplingInterval', 'a positive number of microseconds', String(get('SamplingInterval')));
  const binary = ini.get('binary infos');
  const binaryFormat = (binary?.get('binaryformat') ?? 'INT_16').toUpperCase();
  if (!['INT_16', 'UINT_16', 'INT_32', 'IEEE_FLOAT_32'].includes(binaryFormat)) {
    throw r.error('BinaryFormat', 'INT_16, UINT_16, INT_32 or IEEE_FLOAT_32', binaryFormat);
  }
  const infos = ini.get('channel infos') ?? new Map<string, string>();
  const channels: BrainVisionHeader['channels'][number][] = [];
  for (let i = 1; i <= n; i++) {
    const entry = infos.get(`ch${i}`);
    if (entry === undefined) throw r.error(`Ch${i}`, `an entry for each of the ${n} channels`, 'none');
    const [name = `Ch${i}`, reference = '', resolution = '', unit = ''] = entry.split(',');
    const res = resolution.trim() === '' ? 1 : Number(resolution);
    if (!Number.isFinite(res)) throw r.error(`Ch${i} resolution`, 'a number', JSON.stringify(resolution));
    channels.push({
      name: unescapeCommas(name),
      reference: unescapeCommas(reference),
      resolution: res,
      unit: unit.trim() || 'µV',
    });
  }
  return {
    dataFile,
    markerFile: get('MarkerFile') ?? null,
    channels,
    sampleRate: 1e6 / interval,
    binaryFormat: binaryFormat as BrainVisionHeader['binaryFormat'],
    orientation: orientation as BrainVisionHeader['orientation'],
  };
}

export function parseBrainVisionMarkers(
  bytes: Uint8Array,
  sampleRate: number,
  file = 'markers.vmrk',
): Annotation[] {
  const r = new ByteReader(bytes, 'BrainVision', file);
  const at = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  if (!MARKER_MAGICS.some((m) => startsWith(bytes, m, at))) {
    throw r.error('first line', `"${MARKER_MAGICS[0]}"`, JSON.stringify(utf8(bytes.subarray(0, 40))), 0);
  }
  const infos = parseIni(utf8(bytes)).get('marker infos') ?? new Map<string, string>();
  const out: Annotation[] = [];
  for (const [key, value] of infos) {
    if (!/^mk\d+$/.test(key)) continue;
    const [type = '', description = '', position = '', size = '', channel = ''] = value.split(',');
    const pos = Number(position);
    if (!Number.isInteger(pos) || pos < 0)
      throw r.error(`${key} position`, 'a non-negative integer', JSON.stringify(position));
    const points = size.trim() === '' ? 0 : Number(size);
    const ch = channel.trim() === '' ? 0 : Number(channel);
    const label = description
      ? `${unescapeCommas(type)}/${unescapeCommas(description)}`
      : unescapeCommas(type);
    const code = /^[A-Za-z]\s*(\d+)$/.exec(description.trim());
    const a: { onset: number; duration: number; label: string; code?: number; channel?: number } = {
      onset: (Math.max(pos, 1) - 1) / sampleRate,
      duration: Number.isFinite(points) && points > 1 ? points / sampleRate : 0,
      label,
    };
    if (code) a.code = Number(code[1]);
    if (Number.isInteger(ch) && ch > 0) a.channel = ch - 1;
    out.push(a);
  }
  return out.sort((a, b) => a.onset - b.onset);
}

const SAMPLE_BYTES = { INT_16: 2, UINT_16: 2, INT_32: 4, IEEE_FLOAT_32: 4 } as const;

/** Decodes the binary data file against its parsed header. */
export function readBrainVisionData(
  header: BrainVisionHeader,
  bytes: Uint8Array,
  file = header.dataFile,
): Float32Array[] {
  const r = new ByteReader(bytes, 'BrainVision', file);
  const nc = header.channels.length;
  const bps = SAMPLE_BYTES[header.binaryFormat];
  const samples = Math.floor(r.size / (bps * nc));
  const read: (o: number) => number =
    header.binaryFormat === 'INT_16'
      ? (o) => r.view.getInt16(o, true)
      : header.binaryFormat === 'UINT_16'
        ? (o) => r.view.getUint16(o, true)
        : header.binaryFormat === 'INT_32'
          ? (o) => r.view.getInt32(o, true)
          : (o) => r.view.getFloat32(o, true);
  return header.channels.map((c, ch) => {
    const out = new Float32Array(samples);
    for (let k = 0; k < samples; k++) {
      const index = header.orientation === 'MULTIPLEXED' ? k * nc + ch : ch * samples + k;
      out[k] = read(index * bps) * c.resolution;
    }
    return out;
  });
}

/** A BrainVision recording from the bytes of its three files (the marker file may be absent). */
export function readBrainVision(files: {
  header: Uint8Array;
  data: Uint8Array;
  markers?: Uint8Array | null;
  name?: string;
}): Recording {
  const header = parseBrainVisionHeader(files.header, files.name ?? 'header.vhdr');
  const data = readBrainVisionData(header, files.data);
  const annotations = files.markers
    ? parseBrainVisionMarkers(files.markers, header.sampleRate, header.markerFile ?? 'markers.vmrk')
    : [];
  const channels: Channel[] = header.channels.map((c) => ({
    name: c.name,
    unit: c.unit,
    sampleRate: header.sampleRate,
    kind: 'signal',
  }));
  return {
    format: 'brainvision',
    channels,
    data,
    annotations,
    details: {
      binaryFormat: header.binaryFormat,
      orientation: header.orientation,
      dataFile: header.dataFile,
    },
  };
}

import { ByteReader, startsWith, utf8 } from '../io/bytes.js';
import type { Annotation, Channel, Recording } from '../recording.js';

/**
 * EDF, EDF+ and BDF (BioSemi's 24-bit EDF). Header: 256 fixed bytes, then 256 bytes per signal stored
 * field by field (all labels, then all transducers, …). Data: records of every signal's samples in turn,
 * little-endian int16 (EDF) or int24 (BDF), scaled to physical units by the digital and physical ranges.
 *
 * Channels: an "EDF Annotations"/"BDF Annotations" signal carries text (time-stamped annotation lists),
 * not samples, so it is not a channel; its annotations become `annotations`. A BDF "Status" signal (and
 * EDF "Status"/"Trigger") is kept as a channel of kind `status` holding the raw trigger word, not counted
 * among signal channels; each change of its low 16 bits to a non-zero value is an annotation.
 */
export function isEdf(head: Uint8Array): boolean {
  return startsWith(head, '0       ');
}

export function isBdf(head: Uint8Array): boolean {
  return head[0] === 0xff && startsWith(head, 'BIOSEMI', 1);
}

export function readEdf(bytes: Uint8Array, file = 'input'): Recording {
  const bdf = isBdf(bytes);
  const format = bdf ? 'bdf' : 'edf';
  const r = new ByteReader(bytes, format.toUpperCase(), file);
  if (!bdf && !isEdf(bytes)) {
    throw r.error(
      'version',
      '"0       " (EDF) or 0xFF "BIOSEMI" (BDF)',
      JSON.stringify(r.text(0, Math.min(8, r.size), 'version')),
      0,
    );
  }
  r.need(0, 256, 'fixed header');
  const reserved = r.text(192, 44, 'reserved');
  const plus = reserved.startsWith('EDF+') || reserved.startsWith('BDF+');
  const headerBytes = r.asciiNumber(184, 8, 'header bytes', { integer: true });
  let records = r.asciiNumber(236, 8, 'number of data records', { integer: true });
  const recordSeconds = r.asciiNumber(244, 8, 'data record duration');
  const ns = r.asciiNumber(252, 4, 'number of signals', { integer: true });
  if (ns < 1) throw r.error('number of signals', 'at least 1', String(ns), 252);
  if (headerBytes !== 256 * (ns + 1)) {
    throw r.error('header bytes', `256 × (1 + ${ns} signals) = ${256 * (ns + 1)}`, String(headerBytes), 184);
  }
  r.need(0, headerBytes, 'signal headers');
  if (!(recordSeconds >= 0))
    throw r.error('data record duration', 'a non-negative number', String(recordSeconds), 244);

  let o = 256;
  const field = (width: number, name: string) => {
    const values: string[] = [];
    for (let i = 0; i < ns; i++)
      values.push(r.text(o + i * width, width, `${name} of signal ${i + 1}`).trim());
    const start = o;
    o += width * ns;
    return { values, start, width };
  };
  const numbers = (width: number, name: string, integer = false) => {
    const start = o;
    const values: number[] = [];
    for (let i = 0; i < ns; i++)
      values.push(r.asciiNumber(start + i * width, width, `${name} of signal ${i + 1}`, { integer }));
    o += width * ns;
    return values;
  };
  const labels = field(16, 'label').values;
  field(80, 'transducer');
  const units = field(8, 'physical dimension').values;
  const physMin = numbers(8, 'physical minimum');
  const physMax = numbers(8, 'physical maximum');
  const digMin = numbers(8, 'digital minimum', true);
  const digMax = numbers(8, 'digital maximum', true);
  field(80, 'prefiltering');
  const sprStart = o;
  const spr = numbers(8, 'samples per record', true);

  const bps = bdf ? 3 : 2;
  let recordBytes = 0;
  spr.forEach((n, i) => {
    if (n < 0)
      throw r.error(
        `samples per record of signal ${i + 1}`,
        'a non-negative integer',
        String(n),
        sprStart + 8 * i,
      );
    recordBytes += n * bps;
  });
  if (recordBytes === 0) throw r.error('samples per record', 'at least one sample per record', '0', sprStart);
  const available = Math.floor((r.size - headerBytes) / recordBytes);
  if (records === -1) records = available;
  if (records < 0)
    throw r.error('number of data records', 'a non-negative integer or -1', String(records), 236);
  if (records > available) {
    throw r.error(
      'data records',
      `${records} records of ${recordBytes} bytes`,
      `room for ${available}`,
      headerBytes,
    );
  }

  const isAnnotation = labels.map((l) => l === 'EDF Annotations' || l === 'BDF Annotations');
  const isStatus = labels.map((l, i) => !isAnnotation[i] && /^(status|trigger)$/i.test(l));
  const channels: Channel[] = [];
  const data: Float32Array[] = [];
  const annotations: Annotation[] = [];
  const recordStarts: number[] = [];
  const offsets: number[] = [];
  let running = 0;
  for (const n of spr) {
    offsets.push(running);
    running += n * bps;
  }

  for (let s = 0; s < ns; s++) {
    const n = spr[s]!;
    if (isAnnotation[s]) {
      for (let rec = 0; rec < records; rec++) {
        const at = headerBytes + rec * recordBytes + offsets[s]!;
        const start = parseTals(r, at, n * bps, annotations);
        if (start !== null) recordStarts[rec] = start;
      }
      continue;
    }
    if (digMax[s] === digMin[s])
      throw r.error(
        `digital maximum of signal ${s + 1}`,
        'a value different from the digital minimum',
        String(digMax[s]),
      );
    const gain = (physMax[s]! - physMin[s]!) / (digMax[s]! - digMin[s]!);
    const offset = physMin[s]! - digMin[s]! * gain;
    const out = new Float32Array(records * n);
    const bytesView = r.bytes;
    for (let rec = 0; rec < records; rec++) {
      let at = headerBytes + rec * recordBytes + offsets[s]!;
      const base = rec * n;
      for (let k = 0; k < n; k++, at += bps) {
        let v: number;
        if (bdf) {
          v = bytesView[at]! | (bytesView[at + 1]! << 8) | (bytesView[at + 2]! << 16);
          if (isStatus[s]) {
            out[base + k] = v;
            continue;
          }
          if (v & 0x800000) v -= 0x1000000;
        } else {
          v = r.view.getInt16(at, true);
          if (isStatus[s]) {
            out[base + k] = v & 0xffff;
            continue;
          }
        }
        out[base + k] = v * gain + offset;
      }
    }
    const rate = recordSeconds > 0 ? n / recordSeconds : 0;
    channels.push({
      name: labels[s]!,
      unit: units[s]!,
      sampleRate: rate,
      kind: isStatus[s] ? 'status' : 'signal',
    });
    data.push(out);
    if (isStatus[s]) annotations.push(...statusEvents(out, rate, channels.length - 1));
  }
  annotations.sort((a, b) => a.onset - b.onset);
  const discontinuous = reserved.startsWith('EDF+D') || reserved.startsWith('BDF+D');
  return {
    format: format,
    version: plus ? reserved.slice(0, 5) : bdf ? '24BIT' : 'EDF',
    channels,
    data,
    annotations,
    details: {
      patient: r.text(8, 80, 'patient'),
      recording: r.text(88, 80, 'recording'),
      startDate: r.text(168, 8, 'start date'),
      startTime: r.text(176, 8, 'start time'),
      records,
      recordSeconds,
      ...(discontinuous ? { discontinuous: true, recordStarts } : {}),
    },
  };
}

/**
 * Parses the time-stamped annotation lists (TALs) of one record: `+onset[\x15duration]\x14text\x14…\x00`.
 * The first TAL of a record keeps time (an empty annotation); its onset is returned as the record start.
 */
function parseTals(r: ByteReader, at: number, length: number, out: Annotation[]): number | null {
  const bytes = r.slice(at, length, 'annotation signal');
  let recordStart: number | null = null;
  let i = 0;
  let first = true;
  while (i < bytes.length && bytes[i] !== 0) {
    let end = i;
    while (end < bytes.length && bytes[end] !== 0) end++;
    const tal = utf8(bytes.subarray(i, end));
    const parts = tal.split('\x14');
    const timing = parts[0] ?? '';
    const [onsetText, durationText] = timing.split('\x15');
    const onset = Number(onsetText);
    if (!/^[+-]\d+(\.\d*)?$/.test(onsetText ?? '') || !Number.isFinite(onset)) {
      throw r.error(
        'annotation onset',
        'a signed number such as +12.5',
        JSON.stringify(onsetText ?? ''),
        at + i,
      );
    }
    const duration = durationText === undefined || durationText === '' ? 0 : Number(durationText);
    if (!Number.isFinite(duration) || duration < 0) {
      throw r.error('annotation duration', 'a non-negative number', JSON.stringify(durationText), at + i);
    }
    const texts = parts.slice(1).filter((t) => t.length > 0);
    if (first && texts.length === 0) recordStart = onset;
    first = false;
    for (const label of texts) out.push({ onset, duration, label });
    i = end + 1;
  }
  return recordStart;
}

/** One annotation each time the low 16 bits of a trigger word change to a non-zero value. */
export function statusEvents(status: Float32Array, rate: number, channel: number): Annotation[] {
  const out: Annotation[] = [];
  let previous = 0;
  for (let k = 0; k < status.length; k++) {
    const v = status[k]! & 0xffff;
    if (v !== previous && v !== 0) {
      out.push({ onset: rate > 0 ? k / rate : 0, duration: 0, label: String(v), code: v, channel });
    }
    previous = v;
  }
  return out;
}

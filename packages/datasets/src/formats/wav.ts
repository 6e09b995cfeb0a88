import { ByteReader, startsWith } from '../io/bytes.js';
import { fileLabel, type ReadOptions } from './options.js';

export const WAV = 'wav';

export interface WavAudio {
  readonly sampleRate: number;
  /** One array per channel, scaled to [-1, 1). */
  readonly channels: Float32Array[];
  /** Samples per channel. */
  readonly samples: number;
  readonly bitsPerSample: number;
  readonly encoding: 'pcm' | 'float';
}

const PCM = 1;
const IEEE_FLOAT = 3;
const EXTENSIBLE = 0xfffe;
const MAX_CHANNELS = 1024;

/**
 * RIFF/WAVE audio: PCM 8 (unsigned), 16, 24 or 32 bits, IEEE float 32 or 64 bits, plain or
 * WAVE_FORMAT_EXTENSIBLE, any sample rate and channel count. Chunks other than `fmt ` and `data` are
 * skipped. A data chunk longer than the file is an error (0xFFFFFFFF, used by streaming writers, means
 * "to the end of the file").
 */
export function readWav(bytes: Uint8Array, options: ReadOptions = {}): WavAudio {
  const r: ByteReader = new ByteReader(bytes, WAV, fileLabel(options));
  if (!startsWith(bytes, 'RIFF'))
    r.fail('RIFF magic', '"RIFF"', JSON.stringify(r.ascii(0, Math.min(4, bytes.length), 'RIFF magic')), 0);
  if (!startsWith(bytes, 'WAVE', 8))
    r.fail(
      'WAVE magic',
      '"WAVE"',
      JSON.stringify(r.ascii(8, Math.min(4, Math.max(0, bytes.length - 8)), 'WAVE magic')),
      8,
    );
  let pos = 12;
  let format:
    | { code: number; channels: number; rate: number; align: number; bits: number; at: number }
    | undefined;
  let data: { at: number; size: number } | undefined;
  while (pos + 8 <= bytes.length && !(format && data)) {
    const id = r.ascii(pos, 4, 'chunk id');
    let size = r.u32(pos + 4, `${id} chunk size`);
    const body = pos + 8;
    if (id === 'data' && size === 0xffffffff) size = bytes.length - body;
    if (id === 'fmt ') {
      if (size < 16) r.fail('fmt chunk size', 'at least 16 bytes', `${size} bytes`, pos + 4);
      let code = r.u16(body, 'audio format');
      const channels = r.u16(body + 2, 'channel count');
      const rate = r.u32(body + 4, 'sample rate');
      const align = r.u16(body + 12, 'block align');
      const bits = r.u16(body + 14, 'bits per sample');
      if (code === EXTENSIBLE) {
        if (size < 40)
          r.fail('fmt chunk size', 'at least 40 bytes for WAVE_FORMAT_EXTENSIBLE', `${size} bytes`, pos + 4);
        code = r.u16(body + 24, 'extensible sub-format');
      }
      format = { code, channels, rate, align, bits, at: body };
    } else if (id === 'data') {
      r.need(body, size, 'data chunk');
      data = { at: body, size };
    }
    pos = body + size + (size & 1);
  }
  if (!format) r.fail('fmt chunk', 'a fmt chunk', 'none before the end of the file', pos);
  if (!data) r.fail('data chunk', 'a data chunk', 'none before the end of the file', pos);
  const { code, channels, rate, align, bits, at } = format;
  if (code !== PCM && code !== IEEE_FLOAT)
    r.fail('audio format', 'PCM (1) or IEEE float (3)', String(code), at);
  if (channels < 1 || channels > MAX_CHANNELS)
    r.fail('channel count', `1–${MAX_CHANNELS}`, String(channels), at + 2);
  if (rate < 1) r.fail('sample rate', 'a positive rate', String(rate), at + 4);
  const valid = code === PCM ? [8, 16, 24, 32] : [32, 64];
  if (!valid.includes(bits)) r.fail('bits per sample', valid.join(', '), String(bits), at + 14);
  const bytesPer = bits / 8;
  if (align !== channels * bytesPer)
    r.fail('block align', String(channels * bytesPer), String(align), at + 12);
  if (data.size % align !== 0)
    r.fail('data chunk size', `a multiple of the ${align}-byte frame`, `${data.size} bytes`, data.at - 4);
  const samples = data.size / align;
  const out = Array.from({ length: channels }, () => new Float32Array(samples));
  const view = r.view;
  for (let i = 0; i < samples; i++) {
    for (let c = 0; c < channels; c++) {
      const o = data.at + i * align + c * bytesPer;
      let v: number;
      if (code === IEEE_FLOAT) v = bits === 32 ? view.getFloat32(o, true) : view.getFloat64(o, true);
      else if (bits === 8) v = (bytes[o]! - 128) / 128;
      else if (bits === 16) v = view.getInt16(o, true) / 32768;
      else if (bits === 24)
        v = (((bytes[o + 2]! << 24) | (bytes[o + 1]! << 16) | (bytes[o]! << 8)) >> 8) / 8388608;
      else v = view.getInt32(o, true) / 2147483648;
      out[c]![i] = v;
    }
  }
  return {
    sampleRate: rate,
    channels: out,
    samples,
    bitsPerSample: bits,
    encoding: code === PCM ? 'pcm' : 'float',
  };
}

/** The channels averaged into one (the audio itself when mono). */
export function mono(audio: WavAudio): Float32Array {
  if (audio.channels.length === 1) return audio.channels[0]!;
  const out = new Float32Array(audio.samples);
  for (const ch of audio.channels) for (let i = 0; i < out.length; i++) out[i]! += ch[i]!;
  for (let i = 0; i < out.length; i++) out[i]! /= audio.channels.length;
  return out;
}

export function detectWav(head: Uint8Array): boolean {
  return startsWith(head, 'RIFF') && startsWith(head, 'WAVE', 8);
}

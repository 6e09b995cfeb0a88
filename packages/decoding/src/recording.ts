import type { FileSummary } from '@neurite/kernel';

/** One recorded signal. */
export interface Channel {
  readonly name: string;
  /** Physical unit as the file states it (`µV`, `uV`, `mV`, …); empty when the file gives none. */
  readonly unit: string;
  /** Samples per second of this channel. */
  readonly sampleRate: number;
  /** What the channel carries: EEG-like signal, a trigger/status line, or something auxiliary. */
  readonly kind: 'signal' | 'status';
}

/** A marker, annotation or event-table entry, in seconds from the start of the recording. */
export interface Annotation {
  readonly onset: number;
  /** Zero for instantaneous markers. */
  readonly duration: number;
  /** Text as written in the file, or the event code in hexadecimal (`0x301`) for coded events. */
  readonly label: string;
  /** The numeric event code where the format has one (GDF event types, trigger values). */
  readonly code?: number;
  /** Index into `channels` for events tied to one channel; absent for all channels. */
  readonly channel?: number;
}

/**
 * The common form every EEG reader produces: channels with names, units and rates; each channel's
 * samples in physical units as float32; annotations with times in seconds.
 */
export interface Recording {
  readonly format: string;
  readonly version?: string;
  readonly channels: readonly Channel[];
  /** One array per channel, in physical units. Channels may differ in length when their rates differ. */
  readonly data: readonly Float32Array[];
  readonly annotations: readonly Annotation[];
  /** Format-specific facts (streams, patient/recording ids, clock offsets, …). */
  readonly details?: Record<string, unknown>;
}

/** Indices of the signal channels (not status/trigger lines). */
export function signalChannels(rec: Recording): number[] {
  const out: number[] = [];
  rec.channels.forEach((c, i) => {
    if (c.kind === 'signal') out.push(i);
  });
  return out;
}

/** The sample rate shared by the signal channels (the most common one when they differ). */
export function recordingRate(rec: Recording): number {
  const counts = new Map<number, number>();
  for (const i of signalChannels(rec)) {
    const r = rec.channels[i]!.sampleRate;
    counts.set(r, (counts.get(r) ?? 0) + 1);
  }
  let best = rec.channels[0]?.sampleRate ?? 0;
  let n = -1;
  for (const [r, c] of counts) if (c > n) [best, n] = [r, c];
  return best;
}

/** Index of the channel called `name` (case-insensitive), or -1. */
export function findChannel(rec: Recording, name: string): number {
  const lower = name.toLowerCase();
  return rec.channels.findIndex((c) => c.name.toLowerCase() === lower);
}

/** What `neurite inspect` prints for an EEG recording. */
export function summarizeRecording(rec: Recording): FileSummary {
  const signals = signalChannels(rec);
  const rate = recordingRate(rec);
  const first = signals.find((i) => rec.channels[i]!.sampleRate === rate);
  const samples = first === undefined ? 0 : rec.data[first]!.length;
  const summary: FileSummary = {
    format: rec.format,
    channels: signals.length,
    channelNames: signals.map((i) => rec.channels[i]!.name),
    sampleRate: rate,
    samples,
    durationSeconds: rate > 0 ? samples / rate : 0,
    annotations: rec.annotations.length,
  };
  if (rec.version !== undefined) summary.version = rec.version;
  const status = rec.channels.filter((c) => c.kind === 'status').map((c) => c.name);
  const details: Record<string, unknown> = { ...(rec.details ?? {}) };
  if (status.length) details.statusChannels = status;
  if (Object.keys(details).length) summary.details = details;
  return summary;
}

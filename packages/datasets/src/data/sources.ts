import type { Example, ExampleSource } from '@neurite/kernel';
import type { EventStream } from '../events/types.js';
import type { SpikeTrainSet } from '../hdf5/shd.js';
import { binSpikes } from '../transforms/time-bin.js';

export interface SpikeBinning {
  /** Bin width in ms. */
  readonly dt: number;
  /** Number of time bins every example is padded or cut to. */
  readonly T: number;
  /** Input channels of the set (units at or above are ignored). */
  readonly channels: number;
  /** Neighbouring channels merged into one (1 = none). */
  readonly channelFactor?: number;
}

/**
 * Examples from a spike-train set (SHD layout): sample i binned lazily into a time-major [T, channels]
 * spike tensor (1 where a channel spiked in a bin). Every example has the same T: shorter samples are
 * padded with silence, longer ones cut.
 */
export function spikeTrainSource(
  set: SpikeTrainSet,
  indices: ArrayLike<number>,
  binning: SpikeBinning,
): ExampleSource {
  const order = Int32Array.from(indices as ArrayLike<number>);
  return {
    size: order.length,
    get(index: number): Example {
      const i = order[index];
      if (i === undefined) throw new RangeError(`example ${index} of ${order.length}`);
      const { data } = binSpikes(
        set.times[i]!,
        set.units[i]!,
        {
          dt: binning.dt * 1000,
          T: binning.T,
          channels: binning.channels,
          channelFactor: binning.channelFactor ?? 1,
        },
        1e6,
      );
      return { input: data, label: set.labels[i]! };
    },
  };
}

/** The output channels of a binning (after merging neighbours). */
export function binnedChannels(binning: SpikeBinning): number {
  return Math.ceil(binning.channels / (binning.channelFactor ?? 1));
}

/**
 * Examples from variable-length event streams: each stream is encoded (binned, framed) by `encode`,
 * which must return `T × perStep` values or fewer/more along time; the result is padded with zeros or
 * cut to exactly `T` steps, so the loader always sees one shape.
 */
export function eventStreamSource<E extends EventStream>(
  count: number,
  stream: (index: number) => { events: E; label: number },
  encode: (events: E) => Uint8Array | Float32Array,
  layout: { T: number; perStep: number },
): ExampleSource {
  return {
    size: count,
    get(index: number): Example {
      const { events, label } = stream(index);
      return { input: padTime(encode(events), layout.T, layout.perStep), label };
    },
  };
}

/** A time-major array padded with zeros or cut to `T` steps of `perStep` values. */
export function padTime<A extends Uint8Array | Float32Array>(data: A, T: number, perStep: number): A {
  if (data.length === T * perStep) return data;
  const out = new (data.constructor as new (n: number) => A)(T * perStep);
  out.set(data.subarray(0, Math.min(data.length, T * perStep)));
  return out;
}

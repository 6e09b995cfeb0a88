// @neurite/datasets — browser-safe entry: readers over bytes, transforms, the cochlear model, datasets.
// File-system helpers (reading paths, building and caching the spiking FSDD) are in `@neurite/datasets/node`.
import { datasetsPlugin } from './plugin.js';

export default datasetsPlugin;

export {
  COCHLEA_DEFAULTS,
  type CochleaOptions,
  type CochleaParams,
  type CochleaSpikes,
  cochleaKernel,
  cochleaParams,
  cochleaSpikes,
  erbSpacedFrequencies,
} from './audio/cochlea.js';
export { datasetDefs, fsddSpikesOptions, mnistOptions, nmnistOptions } from './data/datasets.js';
export { FSDD_KEYS, type FsddRecording, fsddRecordings, parseFsddName, splitBySpeaker } from './data/fsdd.js';
export { loadMnist, type MnistOptions, shiftImage } from './data/mnist.js';
export {
  binnedChannels,
  eventStreamSource,
  padTime,
  type SpikeBinning,
  spikeTrainSource,
} from './data/sources.js';
export { sensorFromName } from './events/sensor.js';
export type { CameraEvents, ChannelEvents, EventStream } from './events/types.js';
export {
  durationSeconds,
  eventCount,
  filterEvents,
  isSorted,
  selectEvents,
  sortEvents,
} from './events/types.js';
export { type Aedat2Chip, type Aedat2Options, detectAedat2, readAedat2 } from './formats/aedat2.js';
export {
  type Aedat4Info,
  type Aedat4Options,
  type Aedat4Stream,
  detectAedat4,
  parseStreams,
  readAedat4,
} from './formats/aedat4.js';
export { type Aedat31Options, detectAedat31, readAedat31 } from './formats/aedat31.js';
export { type AtisBinOptions, detectAtisBin, readAtisBin } from './formats/atis-bin.js';
export { type CochleaAerOptions, detectCochleaAer, readCochleaAer } from './formats/cochlea-aer.js';
export { detectEvt2, type Evt2Options, readEvt2 } from './formats/evt2.js';
export { detectEvt3, type Evt3Options, readEvt3 } from './formats/evt3.js';
export { detectNpy, type NpyArray, type NpyField, type NpyFile, readNpy } from './formats/npy.js';
export type { ReadOptions } from './formats/options.js';
export { detectPropheseeDat, type PropheseeDatOptions, readPropheseeDat } from './formats/prophesee-dat.js';
export { detectShd, EVENT_READERS, type EventReader, formatDefs } from './formats/registry.js';
export { eventSummary } from './formats/summary.js';
export { detectWav, mono, readWav, type WavAudio } from './formats/wav.js';
export { type H5Lib, memoryH5, withHdf5Bytes, withHdf5File } from './hdf5/h5.js';
export { readShd, readShdFrom, type SpikeTrainSet, shdTree, writeShd } from './hdf5/shd.js';
export { type H5Dataset, type H5Group, type H5Numeric, writeHdf5 } from './hdf5/writer.js';
export { type DenoiseOptions, denoise } from './transforms/denoise.js';
export { dropEvents, type TimeJitterOptions, timeJitter } from './transforms/random.js';
export {
  type Slices,
  sliceByCount,
  sliceByEventBins,
  sliceByTime,
  sliceByTimeBins,
} from './transforms/slice.js';
export { type CropBox, crop, downsample, downsampleChannels } from './transforms/spatial.js';
export { type Binned, binSpikes, type TimeBinOptions, timeBin } from './transforms/time-bin.js';
export {
  type FrameSlicing,
  type Frames,
  slicesFor,
  type ToFrameOptions,
  toFrame,
} from './transforms/to-frame.js';
export { datasetsPlugin };

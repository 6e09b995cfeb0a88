// @neurite/decoding — brain-signal readers, filtering and decoders, as a neurite plugin.
import { decodingPlugin } from './plugin.js';

export default decodingPlugin;
export { decodeMiCommand } from './commands/decode-mi.js';
export { decodePositionCommand } from './commands/decode-position.js';
// Commands (registered by the plugin; exported for embedding).
export { decodeSsvepCommand } from './commands/decode-ssvep.js';
export { nodeFileSource } from './commands/node-file.js';
// Contrastive decoding.
export { clipLoss, clipScores, topKAccuracy } from './contrastive/clip-loss.js';
export {
  type RetrievalResult,
  type SpikeStimulusOptions,
  spikeStimulusRetrieval,
} from './contrastive/grasshopper.js';
export { BrainEncoder, brainEncoderNode, brainEncoderOptions, SubjectLayers } from './contrastive/model.js';
export {
  type CvResult,
  crossValidate,
  crossValidateWithPermutations,
  stratifiedFolds,
} from './evaluate/cross-validation.js';
export {
  type BrainVisionHeader,
  isBrainVisionHeader,
  parseBrainVisionHeader,
  parseBrainVisionMarkers,
  readBrainVision,
  readBrainVisionData,
} from './formats/brainvision.js';
// Readers (pure functions over bytes) and loaders.
export { isBdf, isEdf, readEdf, statusEvents } from './formats/edf.js';
export { isGdf, readGdf } from './formats/gdf.js';
export { formats } from './formats/index.js';
export { loadBrainVision, loadRecording } from './formats/load.js';
export { isMat, type MatFile, type MatNumericClass, type MatValue, readMat } from './formats/mat.js';
export { recordingFromMat, spikeTrainsFromMat } from './formats/mat-content.js';
export { isHdf5, isNwb, loadH5wasm, readNwbUnits, withHdf5 } from './formats/nwb.js';
export { isSpikeTimeText, readSpikeTimesMicroseconds, readTextColumns } from './formats/text-series.js';
export { isTrackerFile, readTracker, type TrackerData } from './formats/tracker.js';
export { isXdf, parseXdf, readXdf, type XdfFile, type XdfStream } from './formats/xdf.js';
export {
  evaluateMotorImagery,
  GDF_CUES,
  type MotorImageryOptions,
  type MotorImageryTrials,
  motorImageryTrials,
  type PipelineResult,
} from './mi/pipeline.js';
// Common recording types.
export {
  type Annotation,
  type Channel,
  findChannel,
  type Recording,
  recordingRate,
  signalChannels,
  summarizeRecording,
} from './recording.js';
export { type Classifier, LogisticRegression, Mdm, TangentSpaceLogistic } from './riemann/classifiers.js';
// Motor imagery and Riemannian geometry.
export { augment, covariance } from './riemann/covariance.js';
export { riemannDistance, riemannMean, tangentVector } from './riemann/geometry.js';
export { type EpochOptions, type Epochs, epoch } from './signal/epochs.js';
export {
  filtfilt,
  lfilter,
  lfilterZi,
  oddExtend,
  sos2tf,
  sosfilt,
  sosfiltfilt,
  sosfiltZi,
} from './signal/filter.js';
// Signal processing.
export {
  butter,
  cheb1ordBandpass,
  cheby1,
  type FilterType,
  type IirOptions,
  iirFilter,
  iirNotch,
  type Sos,
  sosFrequencyResponse,
  zpk2sos,
} from './signal/iir-design.js';
export { detectMains } from './signal/mains.js';
export { averageReference, channelReference } from './signal/reference.js';
export { firwinLowpass, kaiserWindow, resamplePoly, resampleTo } from './signal/resample.js';
export { type SpikeTrains, summarizeSpikes } from './spike-trains.js';
// Place cells.
export { interpolate, linearizeTrack, type TrackPositions } from './spikes/linear-track.js';
export {
  decodePlaceCells,
  findLaps,
  median,
  type PlaceDecodingOptions,
  type PlaceDecodingResult,
} from './spikes/place-decoding.js';
export { CcaBlock, canonicalCorrelations, cca } from './ssvep/cca.js';
export {
  DeepSsvep,
  type DeepSsvepOptions,
  deepSsvepInput,
  deepSsvepNode,
  deepSsvepOptions,
} from './ssvep/deep-ssvep.js';
export {
  decodeSsvep,
  detectWindows,
  mode,
  type SsvepDecodeOptions,
  type SsvepDecodeResult,
  type SsvepMethod,
} from './ssvep/detectors.js';
export { fbccaSubBands, fbccaWeights } from './ssvep/filter-bank.js';
// SSVEP.
export { itr } from './ssvep/itr.js';
export { frequencyRange, sinCosReference } from './ssvep/references.js';
export { harmonicSnrScores, type SnrOptions } from './ssvep/snr.js';
export { powerSpectrum } from './ssvep/spectrum.js';
export { corrcoef, Trca, type TrcaOptions, type TrialSet, trcaFilter } from './ssvep/trca.js';
export { VERSION } from './version.js';
export { decodingPlugin };

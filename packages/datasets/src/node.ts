// @neurite/datasets/node — file-system helpers (Node only): read event and SHD files by path, write SHD
// files atomically, build and cache the spiking FSDD over worker threads, N-MNIST folders.

export { type CochleaJob, encodeAll } from './node/cochlea-pool.js';
export { readEventFile } from './node/files.js';
export { resolveDataDir } from './node/find-data.js';
export {
  buildFsddSpikes,
  COCHLEA_MODEL_VERSION,
  type FsddBuildOptions,
  type FsddSpikes,
} from './node/fsdd.js';
export { hostH5, readShdFile, writeShdFile } from './node/h5.js';
export { loadNmnistFolder, type NmnistOptions } from './node/nmnist.js';

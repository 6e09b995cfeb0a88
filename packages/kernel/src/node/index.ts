// @neurite/kernel/node — helpers that need the file system (Node only).
export { writeFileAtomic } from './atomic-write.js';
export { fileSource } from './file-source.js';
export { loadSafetensors, saveSafetensors } from './safetensors.js';

// @neurite/kernel/node — helpers that need the file system (Node only).
export { writeFileAtomic } from './atomic-write.js';
export { loadSafetensors, saveSafetensors } from './safetensors.js';
export { fileSource } from './file-source.js';

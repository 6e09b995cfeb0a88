import { type FileSource, FormatError } from '@neurite/kernel';
import type { Recording } from '../recording.js';
import { isBrainVisionHeader, parseBrainVisionHeader, readBrainVision } from './brainvision.js';
import { isBdf, isEdf, readEdf } from './edf.js';
import { isGdf, readGdf } from './gdf.js';
import { isMat, readMat } from './mat.js';
import { recordingFromMat } from './mat-content.js';
import { isXdf, readXdf } from './xdf.js';

/** Reads the bytes of a BrainVision header and the data and marker files it names beside it. */
export async function loadBrainVision(header: FileSource): Promise<Recording> {
  const headerBytes = await header.bytes();
  const parsed = parseBrainVisionHeader(headerBytes, header.path);
  const data = await header.sibling(parsed.dataFile).bytes();
  const markers = parsed.markerFile ? await header.sibling(parsed.markerFile).bytes() : null;
  return readBrainVision({ header: headerBytes, data, markers, name: header.path });
}

/**
 * Any EEG recording this package reads, chosen by content: EDF/EDF+, BDF, GDF, BrainVision (header),
 * XDF, or a MAT-file with a sampling-rate variable and signal vectors.
 */
export async function loadRecording(file: FileSource): Promise<Recording> {
  const head = await file.head(4096);
  if (isBrainVisionHeader(head)) return loadBrainVision(file);
  const bytes = await file.bytes();
  if (isEdf(head) || isBdf(head)) return readEdf(bytes, file.path);
  if (isGdf(head)) return readGdf(bytes, file.path);
  if (isXdf(head)) return readXdf(bytes, file.path);
  if (isMat(head)) {
    const rec = recordingFromMat(readMat(bytes, file.path));
    if (rec) return rec;
    throw new FormatError(
      'MAT',
      file.path,
      'variables',
      'a sampling-rate variable (fs, srate, …) and signal vectors',
      'neither',
    );
  }
  throw new FormatError(
    'recording',
    file.path,
    'content',
    'EDF, BDF, GDF, BrainVision, XDF or MAT signals',
    JSON.stringify(String.fromCharCode(...head.subarray(0, 8)).replace(/[^\x20-\x7e]/g, '.')),
    0,
  );
}

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type EpochRecord,
  type Runtime,
  resolveTrainConfig,
  type SessionState,
  type TrainConfig,
  TrainingSession,
  ValidationError,
} from '@neurite/kernel';
import { type Checkpoint, loadCheckpoint, readJson } from './run-dir.js';

/** Where datasets keep their caches: shared by runs started from the same folder. */
export function cacheDir(cwd: string): string {
  return resolve(cwd, '.neurite-cache');
}

export interface RunFiles {
  readonly dir: string;
  readonly config: TrainConfig;
  /** Folder the config's relative paths resolve against (saved with the run). */
  readonly baseDir: string;
}

/** Reads a run folder's resolved config (validated again against the installed plugins). */
export function readRun(rt: Runtime, dir: string): RunFiles {
  const path = join(dir, 'config.json');
  if (!existsSync(path)) {
    throw new ValidationError(dir, [
      { path: 'config.json', message: 'missing: this is not a neurite run folder' },
    ]);
  }
  const saved = readJson<{ config: unknown; baseDir: string }>(path);
  return { dir, config: resolveTrainConfig(rt, saved.config, path), baseDir: saved.baseDir };
}

/** Rebuilds a run's session (dataset, model, optimiser) and loads its latest checkpoint. */
export async function openRun(
  rt: Runtime,
  dir: string,
  cwd: string,
): Promise<{ run: RunFiles; session: TrainingSession; checkpoint: Checkpoint }> {
  const run = readRun(rt, dir);
  const session = await TrainingSession.create(rt, run.config, {
    baseDir: run.baseDir,
    cacheDir: cacheDir(cwd),
  });
  const checkpoint = await loadCheckpoint(dir, rt);
  session.restore(checkpoint, checkpoint.state as unknown as SessionState);
  return { run, session, checkpoint };
}

export function lastRecord(session: TrainingSession): EpochRecord | undefined {
  return session.trainer.history.at(-1);
}

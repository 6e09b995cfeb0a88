import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { NeuriteError, type Runtime, type Tensor } from '@neurite/kernel';
import { loadSafetensors, saveSafetensors, writeFileAtomic } from '@neurite/kernel/node';

/**
 * A run folder:
 *   config.json            the resolved config (every default applied)
 *   metrics.json           per-epoch train/test metrics and the latest test metrics
 *   latest.json            {"epoch": n, "checkpoint": "checkpoint-000n"} — the commit point
 *   checkpoint-000n/       model.safetensors (loadable by other tools), training.safetensors (optimiser
 *                          tensors) and state.json (epoch, random streams, schedules, history)
 * A checkpoint folder is written completely before latest.json is atomically replaced to point at it,
 * so an interrupted run always leaves the previous checkpoint intact; older folders are removed after.
 */
export interface Checkpoint {
  readonly epoch: number;
  readonly model: Map<string, Tensor>;
  readonly training: Map<string, Tensor>;
  readonly state: Record<string, unknown>;
}

const pad = (n: number) => String(n).padStart(4, '0');

export async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`);
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export async function saveCheckpoint(dir: string, checkpoint: Checkpoint): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const name = `checkpoint-${pad(checkpoint.epoch)}`;
  const folder = join(dir, name);
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder);
  await saveSafetensors(join(folder, 'model.safetensors'), checkpoint.model, {
    epoch: String(checkpoint.epoch),
  });
  await saveSafetensors(join(folder, 'training.safetensors'), checkpoint.training, {
    epoch: String(checkpoint.epoch),
  });
  await writeJson(join(folder, 'state.json'), checkpoint.state);
  await writeJson(join(dir, 'latest.json'), { epoch: checkpoint.epoch, checkpoint: name });
  for (const entry of readdirSync(dir)) {
    if (entry.startsWith('checkpoint-') && entry !== name)
      rmSync(join(dir, entry), { recursive: true, force: true });
  }
}

export function hasCheckpoint(dir: string): boolean {
  return existsSync(join(dir, 'latest.json'));
}

export async function loadCheckpoint(dir: string, rt: Runtime): Promise<Checkpoint> {
  if (!hasCheckpoint(dir)) {
    throw new NeuriteError(`${dir} holds no checkpoint (latest.json is missing)`, {
      hint: 'train into this folder first with --out, or point at a run folder',
    });
  }
  const latest = readJson<{ epoch: number; checkpoint: string }>(join(dir, 'latest.json'));
  const folder = join(dir, latest.checkpoint);
  return {
    epoch: latest.epoch,
    model: (await loadSafetensors(join(folder, 'model.safetensors'), rt)).tensors,
    training: (await loadSafetensors(join(folder, 'training.safetensors'), rt)).tensors,
    state: readJson(join(folder, 'state.json')),
  };
}

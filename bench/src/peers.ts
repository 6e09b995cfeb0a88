import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Timing } from '@neurite/kernel';

/** Debian's interpreter: the one python3-numpy and python3-torch install into. */
const DEBIAN_PYTHON = '/usr/bin/python3';

/**
 * The interpreter the peers run on: `NEURITE_PEER_PYTHON` where set (a virtual environment, or a GPU
 * machine whose CUDA build of PyTorch lives outside Debian's python), Debian's otherwise. Only Debian's
 * gets missing modules from apt-get.
 */
const python = () => process.env.NEURITE_PEER_PYTHON || DEBIAN_PYTHON;

const APT_PACKAGES: Record<PeerModule, string[]> = {
  // OpenBLAS, not the reference BLAS the bare dependency resolves to: numpy as people run it.
  numpy: ['python3-numpy', 'libopenblas0-pthread'],
  torch: ['python3-torch', 'libopenblas0-pthread'],
};

export type PeerModule = 'numpy' | 'torch';

/** What `shd_mlp.py` prints: one training step's timing and its last loss. */
export interface StepPeer {
  readonly name: string;
  readonly version: string;
  /** "1 thread", or the GPU's name. */
  readonly device: string;
  readonly timing: Timing;
  readonly loss: number;
}

/** What `on_lif.py` prints, per n: the Linear inside the per-step loop, and (with `allSteps`) over all T. */
export interface OnLifPeer {
  readonly name: string;
  readonly version: string;
  readonly device: string;
  readonly sizes: Record<string, Timing>;
  readonly sizesAllSteps?: Record<string, Timing>;
}

export type PeerOutcome<T> =
  | { readonly ok: true; readonly result: T }
  | { readonly ok: false; readonly reason: string };

const hasModule = (module: string) =>
  spawnSync(python(), ['-c', `import ${module}`], { stdio: 'ignore' }).status === 0;

/**
 * Makes the Python modules a peer needs importable: already there, or installed with apt-get when this
 * process runs as root on Debian. Returns why not otherwise, for the skip message.
 */
export function ensurePython(
  modules: readonly PeerModule[],
  log: (line: string) => void,
  install = true,
): string | null {
  const interpreter = python();
  if (!existsSync(interpreter))
    return `${interpreter} not found (the peers run on Debian's python3, or on NEURITE_PEER_PYTHON)`;
  const missing = modules.filter((m) => !hasModule(m));
  if (missing.length === 0) return null;
  const packages = [...new Set(missing.flatMap((m) => APT_PACKAGES[m]))];
  if (interpreter !== DEBIAN_PYTHON)
    return `python modules ${missing.join(', ')} not importable by NEURITE_PEER_PYTHON=${interpreter}`;
  if (!install)
    return `python modules ${missing.join(', ')} not installed (a --quick run does not install peers)`;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !existsSync('/usr/bin/apt-get')) {
    return `python modules ${missing.join(', ')} missing; install them with: sudo apt-get install ${packages.join(' ')}`;
  }
  log(`installing ${packages.join(' ')} with apt-get (once) …`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const aptInstall = () =>
    spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
      stdio: 'ignore',
      env,
    }).status === 0;
  if (!aptInstall()) {
    spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore', env });
    if (!aptInstall()) return `apt-get install ${packages.join(' ')} failed`;
  }
  const still = modules.filter((m) => !hasModule(m));
  return still.length ? `python modules ${still.join(', ')} still missing after apt-get` : null;
}

/**
 * Runs one peer script from bench/peers with its arguments as JSON and reads its last stdout line as
 * JSON. BLAS and OpenMP pools get `threads` threads, and OpenBLAS picks its own kernel for this
 * processor (OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, which some machines set to work around old
 * OpenBLAS builds, would slow a current one).
 */
export function runPeer<T>(
  script: string,
  args: Readonly<Record<string, unknown>>,
  options: {
    modules: readonly PeerModule[];
    threads: number;
    log: (line: string) => void;
    /** Whether missing modules may be installed with apt-get (not in quick smoke runs). */
    install?: boolean;
    timeoutMs?: number;
  },
): PeerOutcome<T> {
  const missing = ensurePython(options.modules, options.log, options.install ?? true);
  if (missing) return { ok: false, reason: missing };
  const path = fileURLToPath(new URL(`../peers/${script}`, import.meta.url));
  const threads = String(options.threads);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OMP_NUM_THREADS: threads,
    OPENBLAS_NUM_THREADS: threads,
    MKL_NUM_THREADS: threads,
  };
  delete env.OPENBLAS_CORETYPE;
  delete env.OPENBLAS_L2_SIZE;
  const run = spawnSync(python(), [path, JSON.stringify({ ...args, threads: options.threads })], {
    encoding: 'utf8',
    env,
    timeout: options.timeoutMs ?? 30 * 60_000,
    maxBuffer: 16 << 20,
  });
  if (run.status !== 0) {
    const detail = (run.stderr || run.error?.message || '').trim().split('\n').slice(-3).join(' | ');
    return { ok: false, reason: `${script} failed (exit ${run.status ?? run.signal}): ${detail}` };
  }
  const last = run.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return { ok: true, result: JSON.parse(last) as T };
  } catch {
    return { ok: false, reason: `${script} printed no JSON result (last line: ${last.slice(0, 200)})` };
  }
}

import { type WebGPUBackend, webgpuBackend } from '@neurite/backend-webgpu';
import { createRuntime, type Runtime } from '@neurite/kernel';
import neuronLif from '@neurite/neuron-lif';
import { type PeerOutcome, runPeer } from '../peers.js';

/** A runtime placing new tensors on the GPU, or why there is none to measure. */
export type GpuRuntime =
  | {
      readonly ok: true;
      readonly rt: Runtime;
      readonly gpu: WebGPUBackend;
      readonly device: string;
      readonly dispose: () => void;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * Opens the WebGPU backend for a GPU workload. A software adapter (Mesa llvmpipe, SwiftShader) runs the
 * kernels correctly but says nothing about GPU speed, so outside `--quick` (a smoke run of the plumbing)
 * it is refused with the reason, and the workload is skipped.
 */
export async function gpuRuntime(seed: number, quick: boolean): Promise<GpuRuntime> {
  const rt = createRuntime({ seed }).use(neuronLif()).use(webgpuBackend());
  let gpu: WebGPUBackend;
  try {
    gpu = (await rt.setBackend('webgpu')) as unknown as WebGPUBackend;
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  const a = gpu.adapter;
  const device =
    [a.vendor, a.architecture, a.device, a.description].filter(Boolean).join(' ') || '(unnamed adapter)';
  const name = `${device} via ${a.backend}`;
  if (a.software && !quick) {
    gpu.dispose();
    return {
      ok: false,
      reason: `only a software adapter is available (${name}); GPU figures need a GPU (--quick runs a smoke test here)`,
    };
  }
  return { ok: true, rt, gpu, device: name, dispose: () => gpu.dispose() };
}

/** Published figures of issue #7 (PyTorch 2.11 fp32 and simple WGSL kernels on an NVIDIA H200), for the notes. */
export const H200_REFERENCE = 'reference on an NVIDIA H200 from issue #7, not measured in this run';

/**
 * Runs a PyTorch peer script on the GPU (`device: 'cuda'`) in this run, beside the WebGPU workload. It
 * needs a CUDA build of PyTorch on the peers' interpreter (NEURITE_PEER_PYTHON on a machine whose torch
 * is not Debian's); where there is none, or in a --quick smoke run, the reason comes back instead.
 */
export function gpuPeer<T>(
  script: string,
  args: Readonly<Record<string, unknown>>,
  { quick, log }: { quick: boolean; log: (line: string) => void },
): PeerOutcome<T> {
  if (quick) return { ok: false, reason: 'a --quick run does not run the GPU peer' };
  log(`${script}: PyTorch on the GPU …`);
  return runPeer<T>(
    script,
    { ...args, device: 'cuda' },
    { modules: ['torch'], threads: 1, log, install: false },
  );
}

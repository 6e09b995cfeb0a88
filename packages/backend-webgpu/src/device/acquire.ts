import { BackendError } from '@neurite/kernel';
import type { WebGPUOptions } from '../options.js';
import { type AdapterAttempt, AdapterNotFoundError } from './errors.js';

/** A device with everything it was made from; `gpu` must outlive the adapter and the device. */
export interface AcquiredDevice {
  /**
   * The GPU object (`navigator.gpu` or the Dawn instance). Dawn's Node binding crashes in native code
   * if its instance is collected while an adapter or device made from it is alive, so the backend
   * keeps this reference for as long as it lives.
   */
  readonly gpu: GPU;
  readonly adapter: GPUAdapter;
  readonly device: GPUDevice;
  readonly summary: AdapterSummary;
}

/** What the backend reports about the adapter it runs on. */
export interface AdapterSummary {
  /** Where the adapter came from: a Dawn backend name, or `browser`. */
  readonly backend: string;
  readonly featureLevel: 'core' | 'compatibility';
  readonly vendor: string;
  readonly architecture: string;
  readonly device: string;
  readonly description: string;
  /** True for CPU implementations (llvmpipe, SwiftShader, WARP): correct but slow. */
  readonly software: boolean;
  readonly limits: {
    readonly maxStorageBufferBindingSize: number;
    readonly maxBufferSize: number;
    readonly maxComputeWorkgroupStorageSize: number;
    readonly maxStorageBuffersPerShaderStage: number;
  };
}

/** The Dawn backends tried in order when none are named: the platform's native API, then GL ES. */
export const DEFAULT_NODE_BACKENDS = ['default', 'opengles'] as const;

/** Limits the kernels need; requested up to what the adapter offers. */
const NEEDED = {
  maxComputeInvocationsPerWorkgroup: 256,
  maxComputeWorkgroupSizeX: 256,
  maxComputeWorkgroupStorageSize: 16384,
  maxStorageBuffersPerShaderStage: 8,
} as const;

const RAISED = [
  'maxStorageBufferBindingSize',
  'maxBufferSize',
  'maxComputeWorkgroupStorageSize',
  'maxComputeInvocationsPerWorkgroup',
  'maxComputeWorkgroupSizeX',
  'maxComputeWorkgroupSizeY',
  'maxStorageBuffersPerShaderStage',
  'maxComputeWorkgroupsPerDimension',
] as const;

/** Finds an adapter (browser: `navigator.gpu`; Node: Dawn through npm `webgpu`) and opens a device. */
export async function acquireDevice(options: WebGPUOptions): Promise<AcquiredDevice> {
  const nav = (globalThis as { navigator?: { gpu?: GPU } }).navigator;
  if (nav?.gpu) return acquireIn(nav.gpu, 'browser', options);
  if (typeof process === 'undefined' || !process.versions?.node) {
    throw new AdapterNotFoundError(
      [{ backend: 'browser', featureLevel: 'core', outcome: 'navigator.gpu is undefined' }],
      'this browser does not expose WebGPU; use a browser with WebGPU enabled (Chrome, Edge, recent Firefox or Safari)',
    );
  }
  return acquireInNode(options);
}

async function acquireInNode(options: WebGPUOptions): Promise<AcquiredDevice> {
  // A computed specifier keeps bundlers from pulling the native binding into browser builds.
  const specifier = 'webgpu';
  let create: (flags: string[]) => GPU;
  try {
    ({ create } = (await import(specifier)) as { create: (flags: string[]) => GPU });
  } catch (cause) {
    throw new BackendError(
      `webgpu: the Dawn binding (npm package webgpu) could not be loaded: ${(cause as Error).message}`,
      {
        cause,
        hint: 'install the optional native package for this platform (npm install webgpu)',
      },
    );
  }
  const attempts: AdapterAttempt[] = [];
  const missing = await missingLibraries();
  for (const backend of options.backends ?? DEFAULT_NODE_BACKENDS) {
    if (backend === 'opengles' || backend === 'opengl') {
      // Mesa's EGL needs no display server with the surfaceless platform (headless servers, CI).
      process.env.EGL_PLATFORM ??= 'surfaceless';
    }
    const flags = [
      ...(backend === 'default' ? [] : [`backend=${backend}`]),
      ...(options.adapter ? [`adapter=${options.adapter}`] : []),
      ...(options.dawnFlags ?? []),
    ];
    let gpu: GPU;
    try {
      gpu = create(flags);
    } catch (e) {
      attempts.push({ backend, featureLevel: 'core', outcome: oneLine(e) });
      continue;
    }
    const before = attempts.length;
    try {
      return await acquireIn(gpu, backend, options, attempts);
    } catch (e) {
      if (!(e instanceof AdapterNotFoundError)) throw e;
    }
    // Dawn prints why a backend found nothing to stderr; name the usual cause in the error too.
    const lib = missing(backend);
    if (lib) {
      for (let k = before; k < attempts.length; k++) {
        const a = attempts[k]!;
        attempts[k] = {
          ...a,
          outcome: `${a.outcome} (${lib} was not found, so Dawn could not load ${backend === 'default' ? 'Vulkan' : backend})`,
        };
      }
    }
  }
  throw new AdapterNotFoundError(attempts, nodeHint(options));
}

/** The shared library a Dawn backend loads at run time, where the platform has one to look for. */
const LIBRARIES: Record<string, string> = {
  default: 'libvulkan.so.1',
  vulkan: 'libvulkan.so.1',
  opengles: 'libEGL.so.1',
  opengl: 'libEGL.so.1',
};

/** On Linux: a function naming a backend's library when it is in none of the usual directories. */
async function missingLibraries(): Promise<(backend: string) => string | null> {
  if (process.platform !== 'linux') return () => null;
  const { existsSync } = await import('node:fs');
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`,
    `/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`,
    '/usr/lib64',
    '/usr/lib',
    '/lib64',
    '/lib',
  ];
  return (backend) => {
    const lib = LIBRARIES[backend];
    if (!lib) return null;
    return dirs.some((d) => existsSync(`${d}/${lib}`)) ? null : lib;
  };
}

async function acquireIn(
  gpu: GPU,
  backend: string,
  options: WebGPUOptions,
  attempts: AdapterAttempt[] = [],
): Promise<AcquiredDevice> {
  const levels = options.featureLevel ? [options.featureLevel] : (['core', 'compatibility'] as const);
  for (const featureLevel of levels) {
    let adapter: GPUAdapter | null;
    try {
      adapter = await gpu.requestAdapter({
        featureLevel,
        ...(options.powerPreference ? { powerPreference: options.powerPreference } : {}),
      } as GPURequestAdapterOptions);
    } catch (e) {
      attempts.push({ backend, featureLevel, outcome: oneLine(e) });
      continue;
    }
    if (!adapter) {
      attempts.push({ backend, featureLevel, outcome: 'requestAdapter returned no adapter' });
      continue;
    }
    const short = Object.entries(NEEDED).find(
      ([k, v]) => (adapter.limits as unknown as Record<string, number>)[k]! < v,
    );
    if (short) {
      attempts.push({
        backend,
        featureLevel,
        outcome: `adapter ${describe(adapter)} offers ${short[0]} below ${short[1]}`,
      });
      continue;
    }
    const requiredLimits: Record<string, number> = {};
    for (const k of RAISED) requiredLimits[k] = (adapter.limits as unknown as Record<string, number>)[k]!;
    let device: GPUDevice;
    try {
      device = await adapter.requestDevice({ requiredLimits });
    } catch (e) {
      attempts.push({ backend, featureLevel, outcome: `requestDevice failed: ${oneLine(e)}` });
      continue;
    }
    return { gpu, adapter, device, summary: summarise(adapter, device, backend, featureLevel) };
  }
  throw new AdapterNotFoundError(
    attempts,
    backend === 'browser' ? 'enable WebGPU in this browser' : nodeHint(options),
  );
}

function summarise(
  adapter: GPUAdapter,
  device: GPUDevice,
  backend: string,
  featureLevel: 'core' | 'compatibility',
): AdapterSummary {
  const info = adapter.info;
  const text = `${info.vendor} ${info.device} ${info.description}`.toLowerCase();
  return {
    backend,
    featureLevel,
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    software:
      (info as { isFallbackAdapter?: boolean }).isFallbackAdapter === true ||
      /llvmpipe|lavapipe|swiftshader|softpipe|warp|microsoft basic/.test(text),
    limits: {
      maxStorageBufferBindingSize: device.limits.maxStorageBufferBindingSize,
      maxBufferSize: device.limits.maxBufferSize,
      maxComputeWorkgroupStorageSize: device.limits.maxComputeWorkgroupStorageSize,
      maxStorageBuffersPerShaderStage: device.limits.maxStorageBuffersPerShaderStage,
    },
  };
}

function describe(adapter: GPUAdapter): string {
  const { vendor, device, description } = adapter.info;
  return [vendor, device, description].filter(Boolean).join(' ') || '(unnamed)';
}

function oneLine(e: unknown): string {
  return String((e as Error)?.message ?? e)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ');
}

function nodeHint(options: WebGPUOptions): string {
  const named = options.adapter ? ` (and check that an adapter named '${options.adapter}' exists)` : '';
  return (
    'install a GPU driver with Vulkan (Linux: libvulkan1 and the vendor driver), or for the software path Mesa ' +
    `(Debian: libegl1 libegl-mesa0 libgl1-mesa-dri) and include 'opengles' in backends${named}`
  );
}

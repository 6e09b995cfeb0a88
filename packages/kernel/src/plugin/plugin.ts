import { type Type, type } from 'arktype';
import type { KernelFn } from '../backend/contract.js';
import { PluginError } from '../errors.js';
import type { Runtime } from '../runtime.js';
import { KERNEL_API_VERSION } from '../version.js';
import type { RegistryKind, RegistryKinds } from './kinds.js';
import { parseVersion, satisfies } from './semver.js';

/** What a plugin's setup receives: registration into the runtime that is installing it. */
export interface PluginContext {
  readonly runtime: Runtime;
  /** The plugin's name, recorded as the owner of everything it registers. */
  readonly plugin: string;
  /** Registers one contribution of any kind, including kinds other plugins declared. */
  register<K extends RegistryKind>(kind: K, entry: RegistryKinds[K]): void;
  /** Registers the implementation of an op on a backend. */
  kernel(op: string, backend: string, fn: KernelFn<any, any>): void;
}

export interface PluginManifest<O = unknown> {
  /** The package name, e.g. `@neurite/neuron-lif`. */
  readonly name: string;
  readonly version: string;
  /** The kernel API versions this plugin works with, as a semver range (e.g. `^1.0.0`). */
  readonly apiVersion: string;
  readonly description?: string;
  /** arktype schema of the options; `use()` validates against it and applies its defaults. */
  readonly options?: Type<O>;
  setup(ctx: PluginContext, options: O): void;
}

/** A plugin with its options, ready for `runtime.use()`. */
export interface PluginInstance<O = unknown> {
  readonly manifest: PluginManifest<O>;
  readonly options: unknown;
}

/** Call with options to get an instance for `use()`; also carries the manifest for discovery. */
export interface PluginFactory<O = unknown, I = O> {
  (options?: I): PluginInstance<O>;
  readonly manifest: PluginManifest<O>;
}

export interface PluginRecord {
  readonly name: string;
  readonly version: string;
  readonly apiVersion: string;
  readonly description: string | undefined;
  readonly options: unknown;
  /** Names this plugin registered, by kind. */
  readonly contributions: Readonly<Record<string, readonly string[]>>;
}

/**
 * Declares a plugin. The result is a factory: `runtime.use(lifPlugin())` or, with options,
 * `runtime.use(wasmBackend({ threads: 2 }))`. With an options schema, the factory accepts the
 * schema's input type (defaults optional) and `setup` receives its output type (defaults applied).
 */
export function definePlugin<const S extends Type<any, any>>(
  manifest: Omit<PluginManifest<S['infer']>, 'options'> & { readonly options: S },
): PluginFactory<S['infer'], S['inferIn']>;
export function definePlugin<O = undefined, I = O>(manifest: PluginManifest<O>): PluginFactory<O, I>;
export function definePlugin<O = undefined, I = O>(manifest: PluginManifest<O>): PluginFactory<O, I> {
  const factory = ((options?: I) => ({ manifest, options })) as PluginFactory<O, I>;
  Object.defineProperty(factory, 'manifest', { value: manifest, enumerable: true });
  return factory;
}

const manifestSchema = type({
  name: 'string > 0',
  version: 'string > 0',
  apiVersion: 'string > 0',
  setup: 'Function',
  'description?': 'string',
});

/** Checks, validates and runs a plugin's setup against a runtime. Used by `Runtime.use`. */
export function installPlugin(
  rt: Runtime,
  instance: PluginInstance,
  installed: ReadonlyMap<string, PluginRecord>,
): PluginRecord {
  const manifest = instance?.manifest;
  const label = typeof manifest?.name === 'string' ? manifest.name : '(unnamed plugin)';
  const checked = manifestSchema(manifest);
  if (checked instanceof type.errors) {
    throw new PluginError(label, `invalid manifest: ${checked.summary}`, {
      hint: 'declare plugins with definePlugin({ name, version, apiVersion, setup })',
    });
  }
  if (!parseVersion(manifest.version)) {
    throw new PluginError(label, `version '${manifest.version}' is not a semver version`);
  }
  let compatible: boolean;
  try {
    compatible = satisfies(KERNEL_API_VERSION, manifest.apiVersion);
  } catch (cause) {
    throw new PluginError(label, `apiVersion '${manifest.apiVersion}' is not a semver range`, { cause });
  }
  if (!compatible) {
    throw new PluginError(
      label,
      `needs kernel API ${manifest.apiVersion}, but this kernel provides ${KERNEL_API_VERSION}`,
      { hint: `install a version of ${label} built for kernel API ${KERNEL_API_VERSION}` },
    );
  }
  const previous = installed.get(manifest.name);
  if (previous) {
    throw new PluginError(label, `is already installed in this runtime (version ${previous.version})`, {
      hint: 'each plugin is installed once per runtime',
    });
  }

  let options: unknown = instance.options;
  if (manifest.options) {
    const validated = manifest.options(options ?? {});
    if (validated instanceof type.errors) {
      throw new PluginError(label, `invalid options: ${validated.summary}`);
    }
    options = validated;
  }

  const touched = new Set<string>();
  const ctx: PluginContext = {
    runtime: rt,
    plugin: manifest.name,
    register(kind, entry) {
      touched.add(kind);
      rt.registry(kind).add(entry, manifest.name);
    },
    kernel(op, backend, fn) {
      ctx.register('kernel', { name: `${op}@${backend}`, op, backend, fn });
    },
  };
  try {
    manifest.setup(ctx, options);
  } catch (cause) {
    for (const kind of touched) rt.registry(kind as RegistryKind).removeOwnedBy(manifest.name);
    if (cause instanceof PluginError) throw cause;
    throw new PluginError(label, `setup failed: ${(cause as Error)?.message ?? String(cause)}`, { cause });
  }

  const contributions: Record<string, string[]> = {};
  for (const kind of touched)
    contributions[kind] = rt.registry(kind as RegistryKind).namesOwnedBy(manifest.name);
  return {
    name: manifest.name,
    version: manifest.version,
    apiVersion: manifest.apiVersion,
    description: manifest.description,
    options,
    contributions,
  };
}

import { GradNode } from './autograd/node.js';
import type { Backend, KernelCall, KernelFn, KernelInput, TensorMeta } from './backend/contract.js';
import { BackendError, DTypeError, NeuriteError } from './errors.js';
import type { RegistryKind, RegistryKinds } from './plugin/kinds.js';
import type { PluginInstance, PluginRecord } from './plugin/plugin.js';
import { installPlugin } from './plugin/plugin.js';
import { Registry } from './plugin/registry.js';
import { Rng } from './random/rng.js';
import { arrayFor, type DataArray, type DType, dtypeOfArray, isFloat } from './tensor/dtype.js';
import { assertValidShape, type Shape, sizeOf } from './tensor/shape.js';
import { Tensor } from './tensor/tensor.js';

export interface CreateOptions {
  readonly dtype?: DType;
  /** The backend to place the tensor on; the runtime's current backend by default. */
  readonly backend?: string;
  readonly requiresGrad?: boolean;
}

/**
 * A neurite instance: the registries plugins fill, the backends, the gradient mode and the random
 * stream. Nothing lives in module globals, so two copies of the package, or two runtimes in one
 * process, never share or split state. `defaultRuntime()` gives a convenient shared instance.
 */
export class Runtime {
  readonly #registries = new Map<string, Registry<any>>();
  readonly #plugins = new Map<string, PluginRecord>();
  readonly #backends = new Map<string, Backend>();
  #current: Backend;
  #noGradDepth = 0;
  /** The runtime's random stream; `seed()` resets it. Layers split their own streams from it. */
  rng: Rng;

  constructor(options: { seed?: number; cpu: Backend }) {
    this.rng = new Rng(options.seed ?? 0);
    this.#backends.set(options.cpu.name, options.cpu);
    this.#current = options.cpu;
  }

  // ---------------------------------------------------------------- registries and plugins

  /** The registry of one kind of contribution; plugins may declare new kinds by declaration merging. */
  registry<K extends RegistryKind>(kind: K): Registry<RegistryKinds[K]> {
    let r = this.#registries.get(kind);
    if (!r) this.#registries.set(kind, (r = new Registry(kind)));
    return r;
  }

  registryKinds(): string[] {
    return [...this.#registries.keys()];
  }

  /**
   * Installs a plugin: checks its manifest and kernel API range, validates its options, then runs its
   * setup. A failing setup withdraws everything that plugin registered. Returns the runtime for chaining.
   */
  use(plugin: PluginInstance | (() => PluginInstance)): this {
    const instance = typeof plugin === 'function' ? plugin() : plugin;
    const record = installPlugin(this, instance, this.#plugins);
    this.#plugins.set(record.name, record);
    return this;
  }

  plugins(): readonly PluginRecord[] {
    return [...this.#plugins.values()];
  }

  hasPlugin(name: string): boolean {
    return this.#plugins.has(name);
  }

  // ---------------------------------------------------------------- backends

  /** The backend new tensors are placed on. */
  get backend(): Backend {
    return this.#current;
  }

  /** Creates (on first use) the named backend and makes it the default placement for new tensors. */
  async setBackend(name: string): Promise<Backend> {
    this.#current = await this.initBackend(name);
    return this.#current;
  }

  async initBackend(name: string): Promise<Backend> {
    const existing = this.#backends.get(name);
    if (existing) return existing;
    const def = this.registry('backend').require(name);
    let created: Backend;
    try {
      created = await def.create();
    } catch (cause) {
      if (cause instanceof NeuriteError) throw cause;
      throw new BackendError(`backend ${name} could not be created: ${(cause as Error).message}`, { cause });
    }
    this.#backends.set(name, created);
    return created;
  }

  /** An already created backend. */
  getBackend(name: string): Backend {
    const b = this.#backends.get(name);
    if (!b) {
      throw new BackendError(`backend ${name} is not initialised`, {
        hint: `await runtime.setBackend('${name}') (or initBackend) before placing tensors on it`,
      });
    }
    return b;
  }

  get cpu(): Backend {
    return this.#backends.get('cpu')!;
  }

  // ---------------------------------------------------------------- gradient mode

  get gradEnabled(): boolean {
    return this.#noGradDepth === 0;
  }

  /** Runs `fn` without recording the tape (inference, optimiser updates, metrics). */
  noGrad<T>(fn: () => T): T {
    this.#noGradDepth++;
    try {
      return fn();
    } finally {
      this.#noGradDepth--;
    }
  }

  /** Async form of `noGrad`; recording stays off until the promise settles. */
  async noGradAsync<T>(fn: () => Promise<T>): Promise<T> {
    this.#noGradDepth++;
    try {
      return await fn();
    } finally {
      this.#noGradDepth--;
    }
  }

  /** Resets the runtime's random stream. */
  seed(seed: number): void {
    this.rng = new Rng(seed);
  }

  // ---------------------------------------------------------------- running ops

  /**
   * Runs an op: infers and checks output shapes, picks the backend that holds the inputs, runs that
   * backend's kernel (or cpu's, moving data when the backend lacks one), and records the tape when an
   * input requires grad.
   */
  run(opName: string, inputs: readonly Tensor[], attrs: unknown = {}, placement?: Backend): Tensor[] {
    const op = this.registry('op').require(opName);
    for (const t of inputs) {
      if (t.runtime !== this) {
        throw new NeuriteError(`${opName}: an input tensor belongs to another runtime`, {
          hint: 'create all tensors of one computation from the same runtime',
        });
      }
    }
    const outMetas = op.infer(inputs, attrs);
    const backend = placement ?? this.#placementOf(inputs);
    // A fused op the device backend has no kernel for runs as the ops it is made of, on the device
    // (host backends run the cpu kernel on their own arrays, at no cost of transfer).
    if (op.decompose && !backend.hostMemory && !this.registry('kernel').has(`${opName}@${backend.name}`)) {
      return op.decompose(inputs, attrs);
    }
    const kernelInputs = inputs.map((t) => this.#onBackend(t, backend));
    const call: KernelCall = { op: opName, inputs: kernelInputs, attrs, outputs: outMetas, backend };
    const handles = this.#dispatch(opName, call);
    const outputs = outMetas.map((m, i) => new Tensor(this, m.shape, m.dtype, backend, handles[i]));
    if (op.grad && this.gradEnabled && inputs.some((t) => t.requiresGrad)) {
      const node = new GradNode(op, inputs, outputs, attrs);
      for (const o of outputs) {
        if (isFloat(o.dtype) || o.dtype === 'spike') {
          o.requiresGrad = true;
          o.gradNode = node;
        }
      }
    }
    return outputs;
  }

  /** `run` for the common single-output op. */
  run1(opName: string, inputs: readonly Tensor[], attrs: unknown = {}, placement?: Backend): Tensor {
    return this.run(opName, inputs, attrs, placement)[0]!;
  }

  #placementOf(inputs: readonly Tensor[]): Backend {
    let chosen: Backend | undefined;
    for (const t of inputs) {
      const b = t.storage.backend;
      if (!chosen || (chosen.name === 'cpu' && b.name !== 'cpu')) chosen = b;
      else if (b !== chosen && b.name !== 'cpu' && !(b.hostMemory && chosen.hostMemory)) {
        throw new BackendError(`tensors on backends ${chosen.name} and ${b.name} cannot meet in one op`, {
          hint: 'move one with `await tensor.to(name)`',
        });
      }
    }
    return chosen ?? this.#current;
  }

  #onBackend(t: Tensor, backend: Backend): KernelInput {
    const s = t.storage;
    if (s.backend === backend || (s.backend.hostMemory && backend.hostMemory)) {
      return { shape: t.shape, dtype: t.dtype, handle: s.handle };
    }
    // Only host data moves implicitly (a cpu constant meeting a device tensor); device data never
    // comes back to the host behind the user's back.
    if (!s.backend.hostMemory) {
      throw new BackendError(
        `a tensor on ${s.backend.name} cannot be read synchronously for ${backend.name}`,
      );
    }
    return { shape: t.shape, dtype: t.dtype, handle: backend.fromHost(s.handle as DataArray, t) };
  }

  #dispatch(opName: string, call: KernelCall): unknown[] {
    const kernels = this.registry('kernel');
    const own = kernels.get(`${opName}@${call.backend.name}`);
    if (own) return own.fn(call);
    const cpuKernel = kernels.get(`${opName}@cpu`);
    if (!cpuKernel) {
      throw new BackendError(`no kernel for op ${opName} on ${call.backend.name} or cpu`);
    }
    if (call.backend.hostMemory) return cpuKernel.fn(call);
    if (call.backend.runOnHost) return call.backend.runOnHost(cpuKernel.fn as KernelFn<DataArray>, call);
    const readSync = call.backend.readSync?.bind(call.backend);
    if (!readSync)
      throw new BackendError(`backend ${call.backend.name} lacks ${opName} and cannot fall back to cpu`);
    const hostInputs = call.inputs.map((i) => ({ ...i, handle: readSync(i.handle, i) }));
    const hostOut = cpuKernel.fn({ ...call, inputs: hostInputs, backend: this.cpu });
    return hostOut.map((h, k) => call.backend.fromHost(h as DataArray, call.outputs[k]!));
  }

  // ---------------------------------------------------------------- creating tensors

  /** A tensor from host data (copied). The dtype follows the array unless given. */
  fromArray(data: DataArray | readonly number[], shape?: Shape, options: CreateOptions = {}): Tensor {
    const dtype = options.dtype ?? (Array.isArray(data) ? 'float32' : dtypeOfArray(data as DataArray));
    const target = shape ?? [data.length];
    assertValidShape('fromArray', target);
    if (sizeOf(target) !== data.length) {
      throw new NeuriteError(`fromArray: ${data.length} values do not fill shape [${target.join(', ')}]`);
    }
    const array = arrayFor(dtype, data.length);
    array.set(data as ArrayLike<number>);
    return this.#wrap(array, target, dtype, options);
  }

  /** A tensor from a number, a (nested) array of numbers or a typed array. */
  tensor(
    values: number | NestedNumbers | DataArray,
    options: CreateOptions & { shape?: Shape } = {},
  ): Tensor {
    if (typeof values === 'number') return this.fromArray([values], options.shape ?? [], options);
    if (ArrayBuffer.isView(values)) return this.fromArray(values, options.shape, options);
    const shape: number[] = [];
    let level: unknown = values;
    while (Array.isArray(level)) {
      shape.push(level.length);
      level = level[0];
    }
    const flat = (values as unknown[]).flat(Number.POSITIVE_INFINITY) as number[];
    if (flat.length !== sizeOf(shape)) throw new NeuriteError('tensor: ragged nested array');
    return this.fromArray(flat, options.shape ?? shape, options);
  }

  full(shape: Shape, value: number, options: CreateOptions = {}): Tensor {
    assertValidShape('full', shape);
    const t = this.run1(
      'fill',
      [],
      { shape, value, dtype: options.dtype ?? 'float32' },
      this.#placement(options),
    );
    if (options.requiresGrad) t.requiresGrad = true;
    return t;
  }

  zeros(shape: Shape, options: CreateOptions = {}): Tensor {
    return this.full(shape, 0, options);
  }

  ones(shape: Shape, options: CreateOptions = {}): Tensor {
    return this.full(shape, 1, options);
  }

  scalar(value: number, options: CreateOptions = {}): Tensor {
    return this.full([], value, options);
  }

  /** Values start, start+step, … below stop. */
  arange(start: number, stop?: number, step = 1, options: CreateOptions = {}): Tensor {
    if (stop === undefined) [start, stop] = [0, start];
    if (step === 0) throw new NeuriteError('arange: step must not be 0');
    const n = Math.max(0, Math.ceil((stop - start) / step));
    const dtype = options.dtype ?? 'float32';
    const data = arrayFor(dtype, n);
    for (let i = 0; i < n; i++) data[i] = start + i * step;
    return this.#wrap(data, [n], dtype, options);
  }

  /** Uniform samples in [low, high), drawn from `rng` (the runtime's stream by default). */
  rand(shape: Shape, options: CreateOptions & { low?: number; high?: number; rng?: Rng } = {}): Tensor {
    assertValidShape('rand', shape);
    const rng = options.rng ?? this.rng;
    const t = this.run1(
      'random_uniform',
      [],
      {
        shape,
        dtype: options.dtype ?? 'float32',
        low: options.low ?? 0,
        high: options.high ?? 1,
        key: rng.nextKey(),
      },
      this.#placement(options),
    );
    if (options.requiresGrad) t.requiresGrad = true;
    return t;
  }

  /** Normal samples with the given mean and standard deviation. */
  randn(shape: Shape, options: CreateOptions & { mean?: number; std?: number; rng?: Rng } = {}): Tensor {
    assertValidShape('randn', shape);
    const rng = options.rng ?? this.rng;
    const t = this.run1(
      'random_normal',
      [],
      {
        shape,
        dtype: options.dtype ?? 'float32',
        mean: options.mean ?? 0,
        std: options.std ?? 1,
        key: rng.nextKey(),
      },
      this.#placement(options),
    );
    if (options.requiresGrad) t.requiresGrad = true;
    return t;
  }

  /**
   * 0/1 spikes, each 1 with probability `p`: a number, or a tensor of probabilities (broadcast to
   * `shape` when given).
   */
  bernoulli(p: number | Tensor, shape?: Shape, options: { rng?: Rng; backend?: string } = {}): Tensor {
    const rng = options.rng ?? this.rng;
    const probs =
      typeof p === 'number' ? this.full([], p, options.backend ? { backend: options.backend } : {}) : p;
    if (!isFloat(probs.dtype))
      throw new DTypeError('bernoulli', `probabilities must be float, found ${probs.dtype}`);
    return this.run1('bernoulli', [probs], shape ? { shape, key: rng.nextKey() } : { key: rng.nextKey() });
  }

  #placement(options: CreateOptions): Backend {
    return options.backend ? this.getBackend(options.backend) : this.#current;
  }

  #wrap(array: DataArray, shape: Shape, dtype: DType, options: CreateOptions): Tensor {
    const backend = this.#placement(options);
    const meta: TensorMeta = { shape, dtype };
    const handle = backend.hostMemory ? array : backend.fromHost(array, meta);
    const t = new Tensor(this, shape, dtype, backend, handle);
    if (options.requiresGrad) t.requiresGrad = true;
    return t;
  }
}

export type NestedNumbers = readonly (number | NestedNumbers)[];

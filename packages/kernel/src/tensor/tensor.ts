import { type BackwardOptions, backward } from '../autograd/backward.js';
import type { GradNode } from '../autograd/node.js';
import type { Backend } from '../backend/contract.js';
import { BackendError, NeuriteError } from '../errors.js';
import * as ew from '../ops/elementwise.js';
import * as mm from '../ops/matmul.js';
import * as mv from '../ops/movement.js';
import * as rd from '../ops/reduce.js';
import type { Runtime } from '../runtime.js';
import { arrayConstructor, type DataArray, type DType } from './dtype.js';
import { type Shape, sizeOf } from './shape.js';

export type Scalar = number;
export type TensorLike = Tensor | number;
export type NestedArray = number | NestedArray[];

/**
 * An n-dimensional array on a backend, dense and row-major. Tensors are immutable values: ops return
 * new tensors (reshape shares storage). Data is read with `await t.data()` on every backend;
 * `dataSync()` works only where the backend holds data on the host (cpu, wasm).
 */
export class Tensor {
  readonly size: number;
  requiresGrad = false;
  /** Accumulated gradient after `backward()`, for tensors that require grad and are leaves. */
  grad: Tensor | null = null;
  /** The tape record that produced this tensor; null for leaves and for tensors made without grad. */
  gradNode: GradNode | null = null;
  /** Where the data lives. Internal: a backend's handle is only meaningful to that backend. */
  storage: { readonly backend: Backend; readonly handle: unknown };

  constructor(
    readonly runtime: Runtime,
    readonly shape: Shape,
    readonly dtype: DType,
    backend: Backend,
    handle: unknown,
  ) {
    this.size = sizeOf(shape);
    this.storage = { backend, handle };
  }

  get rank(): number {
    return this.shape.length;
  }

  /** The name of the backend holding the data. */
  get backend(): string {
    return this.storage.backend.name;
  }

  get isLeaf(): boolean {
    return this.gradNode === null;
  }

  // ---------------------------------------------------------------- reading data

  /** A copy of the data on the host, once every kernel it depends on has run. */
  async data(): Promise<DataArray> {
    const { backend, handle } = this.storage;
    if (backend.hostMemory) return (handle as DataArray).slice();
    return backend.read(handle, this);
  }

  /** Synchronous copy of the data; only on backends that keep data on the host. */
  dataSync(): DataArray {
    const { backend, handle } = this.storage;
    if (backend.hostMemory) return (handle as DataArray).slice();
    if (backend.readSync) return backend.readSync(handle, this);
    throw new BackendError(`dataSync: backend ${backend.name} reads asynchronously`, {
      hint: 'use `await tensor.data()`',
    });
  }

  async item(): Promise<number> {
    this.#assertScalar('item');
    return (await this.data())[0]!;
  }

  itemSync(): number {
    this.#assertScalar('itemSync');
    return this.dataSync()[0]!;
  }

  /** The data as nested JavaScript arrays. */
  async toArray(): Promise<NestedArray> {
    return nest(await this.data(), this.shape);
  }

  toArraySync(): NestedArray {
    return nest(this.dataSync(), this.shape);
  }

  /** This tensor's data on another backend (a copy; device reads complete asynchronously). */
  async to(backendName: string): Promise<Tensor> {
    if (backendName === this.backend) return this;
    const target = this.runtime.getBackend(backendName);
    const host = await this.data();
    const handle = target.hostMemory ? host : target.fromHost(host, this);
    return new Tensor(this.runtime, this.shape, this.dtype, target, handle);
  }

  #assertScalar(what: string): void {
    if (this.size !== 1) throw new NeuriteError(`${what}: tensor has ${this.size} elements, not 1`);
  }

  // ---------------------------------------------------------------- autograd

  /** Marks a leaf as requiring grad (parameters). Returns this tensor. */
  requireGrad(flag = true): this {
    if (this.gradNode)
      throw new NeuriteError('requireGrad: only leaf tensors can be marked; use detach() first');
    this.requiresGrad = flag;
    return this;
  }

  /** The same data, cut from the tape. */
  detach(): Tensor {
    return new Tensor(this.runtime, this.shape, this.dtype, this.storage.backend, this.storage.handle);
  }

  backward(grad?: Tensor, options?: BackwardOptions): void {
    backward(this, grad, options);
  }

  /**
   * Replaces this leaf's data with `value`'s (same shape and dtype). Optimisers update parameters this
   * way: the tensor object (and every reference to it) stays, its storage changes.
   */
  assign(value: Tensor): this {
    if (this.gradNode) throw new NeuriteError('assign: only leaf tensors can be assigned');
    if (value.runtime !== this.runtime)
      throw new NeuriteError('assign: the value belongs to another runtime');
    if (value.size !== this.size || value.dtype !== this.dtype) {
      throw new NeuriteError(
        `assign: expected ${this.dtype} [${this.shape.join(', ')}], found ${value.dtype} [${value.shape.join(', ')}]`,
      );
    }
    this.storage = value.storage;
    return this;
  }

  toString(): string {
    return `Tensor(${this.dtype} [${this.shape.join(', ')}] on ${this.backend}${this.requiresGrad ? ', requiresGrad' : ''})`;
  }

  // ---------------------------------------------------------------- elementwise

  add(other: TensorLike): Tensor {
    return ew.add(this, other);
  }
  sub(other: TensorLike): Tensor {
    return ew.sub(this, other);
  }
  mul(other: TensorLike): Tensor {
    return ew.mul(this, other);
  }
  div(other: TensorLike): Tensor {
    return ew.div(this, other);
  }
  pow(other: TensorLike): Tensor {
    return ew.pow(this, other);
  }
  maximum(other: TensorLike): Tensor {
    return ew.maximum(this, other);
  }
  minimum(other: TensorLike): Tensor {
    return ew.minimum(this, other);
  }
  neg(): Tensor {
    return ew.neg(this);
  }
  exp(): Tensor {
    return ew.exp(this);
  }
  log(): Tensor {
    return ew.log(this);
  }
  tanh(): Tensor {
    return ew.tanh(this);
  }
  sigmoid(): Tensor {
    return ew.sigmoid(this);
  }
  relu(): Tensor {
    return ew.relu(this);
  }
  abs(): Tensor {
    return ew.abs(this);
  }
  sqrt(): Tensor {
    return ew.sqrt(this);
  }
  square(): Tensor {
    return ew.square(this);
  }
  sin(): Tensor {
    return ew.sin(this);
  }
  cos(): Tensor {
    return ew.cos(this);
  }
  sign(): Tensor {
    return ew.sign(this);
  }
  floor(): Tensor {
    return ew.floor(this);
  }
  round(): Tensor {
    return ew.round(this);
  }
  reciprocal(): Tensor {
    return ew.reciprocal(this);
  }
  clamp(min: number, max: number): Tensor {
    return ew.clamp(this, min, max);
  }
  eq(other: TensorLike): Tensor {
    return ew.eq(this, other);
  }
  ne(other: TensorLike): Tensor {
    return ew.ne(this, other);
  }
  lt(other: TensorLike): Tensor {
    return ew.lt(this, other);
  }
  le(other: TensorLike): Tensor {
    return ew.le(this, other);
  }
  gt(other: TensorLike): Tensor {
    return ew.gt(this, other);
  }
  ge(other: TensorLike): Tensor {
    return ew.ge(this, other);
  }
  cast(dtype: DType): Tensor {
    return ew.cast(this, dtype);
  }

  // ---------------------------------------------------------------- reductions

  sum(axes?: number | readonly number[], keepDims = false): Tensor {
    return rd.sum(this, axes, keepDims);
  }
  mean(axes?: number | readonly number[], keepDims = false): Tensor {
    return rd.mean(this, axes, keepDims);
  }
  max(axes?: number | readonly number[], keepDims = false): Tensor {
    return rd.max(this, axes, keepDims);
  }
  min(axes?: number | readonly number[], keepDims = false): Tensor {
    return rd.min(this, axes, keepDims);
  }
  argmax(axis = -1, keepDims = false): Tensor {
    return rd.argmax(this, axis, keepDims);
  }
  logsumexp(axes?: number | readonly number[], keepDims = false): Tensor {
    return rd.logsumexp(this, axes, keepDims);
  }
  variance(axes?: number | readonly number[], keepDims = false, correction = 0): Tensor {
    return rd.variance(this, axes, keepDims, correction);
  }
  softmax(axis = -1): Tensor {
    return rd.softmax(this, axis);
  }
  logSoftmax(axis = -1): Tensor {
    return rd.logSoftmax(this, axis);
  }

  // ---------------------------------------------------------------- shape and movement

  reshape(shape: readonly number[]): Tensor {
    return mv.reshape(this, shape);
  }
  flatten(startAxis = 0, endAxis = -1): Tensor {
    return mv.flatten(this, startAxis, endAxis);
  }
  squeeze(axes?: number | readonly number[]): Tensor {
    return mv.squeeze(this, axes);
  }
  unsqueeze(axis: number): Tensor {
    return mv.unsqueeze(this, axis);
  }
  permute(order: readonly number[]): Tensor {
    return mv.permute(this, order);
  }
  transpose(axisA = -2, axisB = -1): Tensor {
    return mv.transpose(this, axisA, axisB);
  }
  /** Rows `begin` (inclusive) to `end` (exclusive) along each listed axis; missing axes are whole. */
  slice(begin: readonly number[], end?: readonly (number | undefined)[], step?: readonly number[]): Tensor {
    return mv.slice(this, begin, end, step);
  }
  /** Elements `index` (int32) along `axis`. */
  indexSelect(axis: number, index: Tensor): Tensor {
    return mv.indexSelect(this, axis, index);
  }
  /** Along `axis`, element index[...] of each position (torch.gather semantics). */
  gather(axis: number, index: Tensor): Tensor {
    return mv.gather(this, axis, index);
  }
  pad(padding: readonly (readonly [number, number])[], value = 0): Tensor {
    return mv.pad(this, padding, value);
  }
  flip(axes: number | readonly number[]): Tensor {
    return mv.flip(this, axes);
  }
  broadcastTo(shape: readonly number[]): Tensor {
    return mv.broadcastTo(this, shape);
  }

  // ---------------------------------------------------------------- linear algebra

  /** Batched matrix product with broadcasting of leading axes. */
  matmul(other: Tensor, options?: mm.MatmulOptions): Tensor {
    return mm.matmul(this, other, options);
  }
}

function nest(data: DataArray, shape: Shape): NestedArray {
  if (shape.length === 0) return data[0]!;
  const build = (offset: number, axis: number): NestedArray[] => {
    const n = shape[axis]!;
    const inner = sizeOf(shape.slice(axis + 1));
    const out: NestedArray[] = [];
    for (let i = 0; i < n; i++) {
      out.push(axis === shape.length - 1 ? data[offset + i]! : build(offset + i * inner, axis + 1));
    }
    return out;
  };
  return build(0, 0);
}

/** Whether the storage can be handed to host code as a typed array of this dtype without a copy. */
export function hostArray(t: Tensor): DataArray | null {
  const { backend, handle } = t.storage;
  return backend.hostMemory && handle instanceof arrayConstructor(t.dtype) ? (handle as DataArray) : null;
}

import v8 from 'node:v8';
import vm from 'node:vm';
import {
  BackendError,
  createRuntime,
  type DataArray,
  defineOp,
  definePlugin,
  type KernelFn,
  type Tensor,
} from '@neurite/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdapterNotFoundError, webgpuBackend } from '../src/index.js';
import { expectClose, type GpuSetup, gpuSetup } from './helpers.js';

/** An op with only a cpu kernel (a running sum along the last axis), to exercise the fallback path. */
const cumsumOp = defineOp({ name: 'test_cumsum', infer: ([x]) => [{ shape: x!.shape, dtype: x!.dtype }] });
const cumsumCpu: KernelFn<DataArray> = ({ inputs: [x] }) => {
  const src = x!.handle;
  const n = x!.shape.at(-1)!;
  const out = new Float32Array(src.length);
  for (let i = 0; i < src.length; i++) out[i] = (i % n === 0 ? 0 : out[i - 1]!) + src[i]!;
  return [out];
};
const cumsumPlugin = definePlugin({
  name: 'test-cumsum',
  version: '1.0.0',
  apiVersion: '^1.0.0',
  setup(ctx) {
    ctx.register('op', cumsumOp);
    ctx.kernel('test_cumsum', 'cpu', cumsumCpu);
  },
});
const cumsum = (x: Tensor) => x.runtime.run1('test_cumsum', [x]);

let setup: GpuSetup;
beforeAll(async () => {
  setup = await gpuSetup();
  setup.rt.use(cumsumPlugin());
});
afterAll(() => setup.gpu.dispose());

describe('device and adapter', () => {
  it('reports the adapter it runs on', () => {
    const { adapter } = setup.gpu;
    expect(adapter.backend).toMatch(/^(default|vulkan|metal|d3d12|d3d11|opengl|opengles)$/);
    expect(adapter.limits.maxStorageBuffersPerShaderStage).toBeGreaterThanOrEqual(8);
    expect(typeof adapter.software).toBe('boolean');
  });

  it('fails with the backends tried and what each said when no adapter is found', async () => {
    const attempt = gpuSetup({ backends: ['opengles'], adapter: 'no-such-gpu' });
    await expect(attempt).rejects.toBeInstanceOf(AdapterNotFoundError);
    const error = (await attempt.catch((e) => e)) as AdapterNotFoundError;
    expect(error).toBeInstanceOf(BackendError);
    expect(error.attempts.map((a) => `${a.backend}/${a.featureLevel}`)).toEqual([
      'opengles/core',
      'opengles/compatibility',
    ]);
    expect(error.message).toMatch(
      /^webgpu: no adapter found; tried opengles \(core\): .+; opengles \(compatibility\): .+/,
    );
    expect(error.message).toContain('no-such-gpu');
    expect(error.hint).toMatch(/libegl1/);
  });

  it('validates its options', () => {
    expect(() => createRuntime().use(webgpuBackend({ dispatchesPerSubmit: 0 }))).toThrow(
      /dispatchesPerSubmit/,
    );
    expect(() => createRuntime().use(webgpuBackend({ backends: ['cuda' as 'vulkan'] }))).toThrow(/backends/);
  });

  it('refuses float64 with a clear error', async () => {
    const { rt } = setup;
    const x = rt.randn([3], { dtype: 'float64' });
    await expect(x.to('webgpu')).rejects.toThrow(/float64 is not supported on WebGPU/);
    const y = await rt.randn([3]).to('webgpu');
    expect(() => y.cast('float64')).toThrow(BackendError);
  });
});

describe('asynchronous execution', () => {
  it('reads resolve after every kernel enqueued before them, in any order and concurrently', async () => {
    const { rt } = setup;
    const x = rt.randn([64, 33]);
    const g = await x.to('webgpu');
    const steps = [g];
    for (let k = 0; k < 150; k++) steps.push(steps[k]!.mul(1.01).add(k % 7 === 0 ? 0.5 : -0.01));
    // Later results first, then earlier ones, then many at once: each sees exactly its own history.
    const last = await steps[150]!.data();
    const middle = await steps[75]!.data();
    const all = await Promise.all(steps.filter((_, k) => k % 25 === 0).map((t) => t.data()));
    let ref = x;
    const expected: DataArray[] = [await x.data()];
    for (let k = 0; k < 150; k++) {
      ref = ref.mul(1.01).add(k % 7 === 0 ? 0.5 : -0.01);
      expected.push(await ref.data());
    }
    expectClose(last, expected[150]!, 1e-5);
    expectClose(middle, expected[75]!, 1e-5);
    for (const [k, d] of all.entries()) expectClose(d, expected[k * 25]!, 1e-5);
    expect(setup.gpu.stats().submits).toBeGreaterThan(1);
  });

  it('flush resolves once the queue is idle; dataSync is refused with a hint', async () => {
    const { rt } = setup;
    const y = rt.randn([10], { backend: 'webgpu' }).exp();
    await setup.gpu.flush();
    expect(() => y.dataSync()).toThrow(/reads asynchronously/);
  });
});

describe('cpu fallback', () => {
  it('runs a kernel the device lacks on the cpu, in order with device work, warning once', async () => {
    const { rt, warnings } = setup;
    const x = rt.randn([4, 9]);
    const g = await x.to('webgpu');
    // device → host → device → host → device, with uploads in between.
    const gpuResult = cumsum(
      cumsum(g.mul(2))
        .add(rt.fromArray(new Float32Array(9).fill(1), [9]))
        .square(),
    ).sub(3);
    const cpuResult = cumsum(
      cumsum(x.mul(2))
        .add(rt.fromArray(new Float32Array(9).fill(1), [9]))
        .square(),
    ).sub(3);
    expect(gpuResult.backend).toBe('webgpu');
    expectClose(await gpuResult.data(), await cpuResult.data(), 1e-5, 1e-5);
    const lines = warnings.filter((w) => w.includes('test_cumsum'));
    expect(lines).toEqual([
      "neurite webgpu: no WGSL kernel for 'test_cumsum'; it runs on the cpu, with a transfer each way per call",
    ]);
    expect(setup.gpu.stats().hostTasks).toBeGreaterThanOrEqual(2);
  });

  it('a failing cpu kernel is reported by the next read', async () => {
    const { rt } = setup;
    const x = await rt.randn([2, 5]).to('webgpu');
    const bad = await rt.fromArray(new Int32Array([9]), [1]).to('webgpu');
    // index_select has a WGSL kernel; route a bad one through the host path explicitly.
    const outs = setup.gpu.onHost('index_select', {
      inputs: [
        { shape: x.shape, dtype: 'float32', handle: x.storage.handle as never },
        { shape: [1], dtype: 'int32', handle: bad.storage.handle as never },
      ],
      attrs: { axis: 1 },
      outputs: [{ shape: [2, 1], dtype: 'float32' }],
      backend: setup.gpu as never,
    });
    expect(outs).toHaveLength(1);
    await expect(x.data()).rejects.toThrow(/index 9 at position 0 is outside \[0, 5\)/);
    expect((await x.data()).length).toBe(10);
  });
});

describe('memory', () => {
  it('returns collected tensors to a size-bucketed pool and reuses them', async () => {
    const { rt, gpu } = setup;
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc') as () => void;
    const x = await rt.randn([1000]).to('webgpu');
    await gpu.flush();
    const churn = () => {
      for (let k = 0; k < 50; k++) x.mul(k);
    };
    churn();
    await gpu.flush();
    const before = gpu.stats();
    gc();
    // Finalisation callbacks run in a later task.
    await new Promise((r) => setTimeout(r, 50));
    const released = gpu.stats();
    expect(released.released - before.released).toBeGreaterThanOrEqual(40);
    expect(released.freeBytes).toBeGreaterThan(0);
    churn();
    const after = gpu.stats();
    expect(after.reused - released.reused).toBeGreaterThanOrEqual(40);
    expect(after.created).toBe(released.created);
    expectClose(
      await x.mul(3).data(),
      (await x.data()).map((v) => v * 3),
      1e-6,
    );
  });

  it('requests a collection after many new bytes, so dropped tensors come back unaided', async () => {
    const { rt, gpu } = await gpuSetup({ collectEveryBytes: 4 << 20 });
    const x = await rt.randn([1 << 16]).to('webgpu');
    for (let round = 0; round < 4; round++) {
      for (let k = 0; k < 20; k++) x.mul(k);
      await gpu.flush();
      await new Promise((r) => setTimeout(r, 20));
    }
    const stats = gpu.stats();
    expect(stats.collections).toBeGreaterThan(0);
    // 80 products and 80 scalar operands: without collections every one would need a new buffer.
    expect(stats.reused).toBeGreaterThan(40);
    expect(stats.created).toBeLessThan(130);
    gpu.dispose();
  });

  it('releases kernel temporaries at once (multi-pass reductions reuse their buffers)', async () => {
    const { rt, gpu } = setup;
    const x = await rt.randn([4, 30, 5, 20]).to('webgpu');
    x.sum([0, 2]);
    await gpu.flush();
    const before = gpu.stats();
    for (let k = 0; k < 5; k++) x.sum([0, 2]);
    await gpu.flush();
    expect(gpu.stats().reused - before.reused).toBeGreaterThanOrEqual(5);
  });

  it('dispose releases the device; the backend refuses work afterwards', async () => {
    const { gpu, rt } = await gpuSetup();
    const x = await rt.randn([5]).to('webgpu');
    expect(gpu.live).toBe(true);
    gpu.dispose();
    expect(gpu.live).toBe(false);
    await expect(x.data()).rejects.toThrow(/disposed/);
  });
});

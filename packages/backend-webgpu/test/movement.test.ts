import { NeuriteError, ops, type Tensor } from '@neurite/kernel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GpuSetup, gpuSetup, sameOnBoth } from './helpers.js';

let setup: GpuSetup;
beforeAll(async () => {
  setup = await gpuSetup();
});
afterAll(() => setup.gpu.dispose());

/** The same data as float32, int32 and spike tensors. */
function dtypes(x: Tensor): Tensor[] {
  return [x, x.mul(10).round().cast('int32'), x.gt(0)];
}

describe('movement kernels equal the cpu kernels for every dtype', () => {
  it('reshape shares the buffer; permute, transpose, flip and broadcast_to copy', async () => {
    const { rt, gpu } = setup;
    const x = await rt.randn([3, 4, 5]).to('webgpu');
    const y = x.reshape([12, 5]);
    expect(y.storage.handle).toBe(x.storage.handle);
    expect(await y.data()).toEqual(await x.data());
    for (const t of dtypes(rt.randn([3, 4, 5]))) {
      await sameOnBoth([t], (v) => v.permute([2, 0, 1]));
      await sameOnBoth([t], (v) => v.transpose(0, 1));
      await sameOnBoth([t], (v) => v.flip([0, 2]));
      await sameOnBoth([t], (v) => v.slice([0, 0, 0], [3, 1, 5]).broadcastTo([2, 3, 4, 5]));
    }
    expect(gpu.stats().dispatches).toBeGreaterThan(0);
  });

  it('slice with steps and offsets, and its gradient scatter', async () => {
    const { rt } = setup;
    for (const t of dtypes(rt.randn([5, 6, 7]))) {
      await sameOnBoth([t], (v) => v.slice([1, 0, 2], [5, 6, 7], [2, 3, 2]));
      await sameOnBoth([t], (v) => v.slice([4, 5], [5, 6]));
    }
    const g = rt.randn([2, 2, 3]);
    const attrs = { begin: [1, 0, 2], end: [5, 6, 7], step: [2, 3, 2], inputShape: [5, 6, 7] };
    await sameOnBoth([g], (v) => v.runtime.run1('slice_grad', [v], attrs));
    await sameOnBoth([g.gt(0)], (v) => v.runtime.run1('slice_grad', [v], attrs));
  });

  it('pad (positive, negative, non-zero value) and concat (mixed dtypes, spikes, empty parts)', async () => {
    const { rt } = setup;
    for (const t of dtypes(rt.randn([3, 5, 7]))) {
      await sameOnBoth([t], (v) =>
        v.pad(
          [
            [1, 0],
            [0, 2],
            [-1, 3],
          ],
          1,
        ),
      );
      await sameOnBoth([t, t.slice([0], [2])], (a, b) => ops.concat([a, b, a], 0));
      await sameOnBoth([t], (v) => ops.concat([v, v.slice([0, 0, 0], [3, 5, 0])], 2));
      await sameOnBoth([t], (v) => ops.stack([v, v], 1));
    }
    const f = rt.randn([2, 3]);
    await sameOnBoth([f, f.gt(0), f.cast('int32')], (a, b, c) => ops.concat([a, b, c], 1));
  });
});

describe('indexing kernels', () => {
  it('index_select, gather and their adjoints index_add and scatter_add', async () => {
    const { rt } = setup;
    const index = rt.fromArray(new Int32Array([3, 0, 3, 1]), [4]);
    for (const t of dtypes(rt.randn([2, 5, 3]))) {
      await sameOnBoth([t, index], (v, i) => v.indexSelect(1, i));
      const gi = rt.fromArray(new Int32Array([0, 2, 1, 2, 1, 0, 1, 1, 0, 0, 2, 2]), [2, 2, 3]);
      await sameOnBoth([t, gi], (v, i) => v.gather(1, i));
    }
    const g = rt.randn([2, 4, 3]);
    await sameOnBoth([g, index], (v, i) => v.runtime.run1('index_add', [v, i], { axis: 1, size: 5 }));
    const gi = rt.fromArray(new Int32Array([4, 2, 1, 2, 1, 0, 1, 1, 0, 0, 2, 2]), [2, 2, 3]);
    await sameOnBoth([g.slice([0, 0], [2, 2]), gi], (v, i) =>
      v.runtime.run1('scatter_add', [v, i], { axis: 1, shape: [2, 5, 4] }),
    );
    await sameOnBoth([g.cast('int32'), index], (v, i) =>
      v.runtime.run1('index_add', [v, i], { axis: 1, size: 5 }),
    );
  });

  it('an index outside its axis is reported on the next read, as the cpu kernel reports it', async () => {
    const { rt } = setup;
    const x = await rt.randn([2, 5]).to('webgpu');
    const bad = rt.fromArray(new Int32Array([1, 7]), [2]);
    expect(() => rt.randn([2, 5]).indexSelect(1, bad)).toThrow(/index 7 at position 1 is outside \[0, 5\)/);
    const y = x.indexSelect(1, bad);
    const read = y.data();
    await expect(read).rejects.toThrow(NeuriteError);
    await expect(read).rejects.toThrow(/index_select: index 7 is outside \[0, 5\)/);
    // Reported once: the device keeps working.
    expect(Array.from(await x.slice([0, 0], [1, 2]).data())).toEqual(
      Array.from((await x.data()).slice(0, 2)),
    );
    const neg = rt.fromArray(new Int32Array([0, -1, 0, 0, 0, 0]), [2, 3]);
    await expect(x.gather(1, neg).data()).rejects.toThrow(/gather: index -1 is outside \[0, 5\)/);
  });
});

import {
  type Backend,
  createRuntime,
  type DataArray,
  definePlugin,
  type KernelFn,
  Linear,
  ops,
  type Tensor,
} from '@neurite/kernel';
import { describe, expect, it } from 'vitest';

const rt = createRuntime({ seed: 3 });

const values = (t: Tensor) => Array.from(t.dataSync());

describe('the fused linear op', () => {
  it('gives the values of matmul then add, for float and spike inputs of any rank', () => {
    const w = rt.randn([5, 7]);
    const b = rt.randn([5]);
    const inputs = [rt.randn([3, 7]), rt.randn([2, 4, 7]), rt.randn([7]), rt.bernoulli(0.3, [6, 7])];
    for (const x of inputs) {
      const flat = x.reshape([-1, 7]);
      const reference = flat.matmul(w, { transB: true });
      expect(values(ops.linear(x, w, b))).toEqual(values(reference.add(b)));
      expect(values(ops.linear(x, w))).toEqual(values(reference));
      expect(ops.linear(x, w, b).shape).toEqual([...x.shape.slice(0, -1), 5]);
    }
  });

  it('gives the gradients of matmul then add', () => {
    const x = rt.randn([3, 2, 6]).requireGrad();
    const w = rt.randn([4, 6]).requireGrad();
    const b = rt.randn([4]).requireGrad();
    const g = rt.randn([3, 2, 4]);
    ops.linear(x, w, b).backward(g);
    const fused = [x.grad!, w.grad!, b.grad!].map(values);
    for (const t of [x, w, b]) t.grad = null;
    x.reshape([-1, 6]).matmul(w, { transB: true }).add(b).reshape([3, 2, 4]).backward(g);
    const unfused = [x.grad!, w.grad!, b.grad!].map(values);
    for (let k = 0; k < 3; k++) {
      fused[k]!.forEach((v, i) => {
        expect(Math.abs(v - unfused[k]![i]!)).toBeLessThanOrEqual(1e-6 * (1 + Math.abs(unfused[k]![i]!)));
      });
    }
  });

  it('runs as matmul then add, on the device, on a device backend without a kernel of its own', async () => {
    // A backend whose handles are not host arrays: ops without its own kernel would move to cpu.
    interface Handle {
      readonly data: DataArray;
    }
    const calls: string[] = [];
    const local = createRuntime({ seed: 4 });
    local.use(
      definePlugin({
        name: 'test-device-backend',
        version: '1.0.0',
        apiVersion: '^1.0.0',
        setup(ctx) {
          const device: Backend<Handle> = {
            name: 'device',
            hostMemory: false,
            fromHost: (data) => ({ data: data.slice() }),
            read: async (h) => h.data.slice(),
            readSync: (h) => h.data.slice(),
          };
          ctx.register('backend', { name: 'device', create: () => device });
          for (const op of ['matmul', 'add', 'random_normal']) {
            const cpu = ctx.runtime.registry('kernel').require(`${op}@cpu`).fn as KernelFn<DataArray>;
            ctx.kernel(op, 'device', (call) => {
              calls.push(op);
              const inputs = call.inputs.map((i) => ({ ...i, handle: (i.handle as Handle).data }));
              return cpu({ ...call, inputs, backend: ctx.runtime.cpu } as never).map((data) => ({ data }));
            });
          }
        },
      }),
    );
    await local.setBackend('device');
    const layer = new Linear(local, { inFeatures: 6, outFeatures: 3 });
    const x = local.randn([4, 6]);
    calls.length = 0;
    const y = layer.forward(x);
    expect(calls).toEqual(['matmul', 'add']);
    expect(y.backend).toBe('device');
    expect(y.shape).toEqual([4, 3]);
  });
});

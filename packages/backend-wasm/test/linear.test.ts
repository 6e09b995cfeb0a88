import { Linear, ops } from '@neurite/kernel';
import { afterAll, describe, expect, it } from 'vitest';
import { expectClose, expectIdentical, normals, onBoth, spikes, wasmRuntime } from './helpers.js';

const settings = await Promise.all([1, 2].map((threads) => wasmRuntime(threads)));
afterAll(() => {
  for (const { backend } of settings) backend.dispose?.();
});

describe.each(settings.map((s) => [s.backend.threads, s] as const))(
  'the fused linear op on wasm, %i thread(s)',
  (_threads, { rt }) => {
    it('equals cpu for float and spike inputs of any rank, with and without a bias', () => {
      const w = onBoth(rt, normals(rt, [37, 53]), [37, 53]);
      const b = onBoth(rt, normals(rt, [37]), [37]);
      const inputs = [
        onBoth(rt, normals(rt, [9, 53]), [9, 53]),
        onBoth(rt, normals(rt, [6, 5, 53]), [6, 5, 53]),
        onBoth(rt, normals(rt, [53]), [53]),
        onBoth(rt, spikes(rt, [40, 7, 53], 0.1), [40, 7, 53]),
      ];
      for (const x of inputs) {
        const fused = ops.linear(x.wasm, w.wasm, b.wasm);
        expect(fused.backend).toBe('wasm');
        expectClose(fused, ops.linear(x.cpu, w.cpu, b.cpu));
        expectClose(ops.linear(x.wasm, w.wasm), ops.linear(x.cpu, w.cpu));
      }
    });

    it('adds the bias with the add kernel: equal to matmul then add on wasm, bit for bit', () => {
      const x = rt.fromArray(normals(rt, [70, 64]), [70, 64], { backend: 'wasm' });
      const s = rt.fromArray(spikes(rt, [70, 64], 0.2), [70, 64], { backend: 'wasm' });
      const w = rt.fromArray(normals(rt, [48, 64]), [48, 64], { backend: 'wasm' });
      const b = rt.fromArray(normals(rt, [48]), [48], { backend: 'wasm' });
      for (const input of [x, s]) {
        expectIdentical(ops.linear(input, w, b), input.matmul(w, { transB: true }).add(b));
      }
    });

    it('gives a Linear layer the gradients of cpu', async () => {
      const layer = new Linear(rt, { inFeatures: 30, outFeatures: 20 });
      const data = normals(rt, [8, 4, 30]);
      const run = async (backend: 'cpu' | 'wasm') => {
        for (const p of layer.parameters()) {
          p.assign(await p.to(backend));
          p.grad = null;
        }
        const x = rt.fromArray(data, [8, 4, 30], { backend }).requireGrad();
        layer.forward(x).square().sum().backward();
        return [x.grad!, layer.weight.grad!, layer.bias!.grad!];
      };
      const cpu = await run('cpu');
      const wasm = await run('wasm');
      for (let k = 0; k < 3; k++) {
        expect(wasm[k]!.backend).toBe('wasm');
        expectClose(wasm[k]!, cpu[k]!);
      }
    });

    it('leaves float64 to cpu', () => {
      const x = onBoth(rt, new Float64Array(normals(rt, [3, 4])), [3, 4]);
      const w = onBoth(rt, new Float64Array(normals(rt, [2, 4])), [2, 4]);
      const y = ops.linear(x.wasm, w.wasm);
      expect(y.dtype).toBe('float64');
      expectIdentical(y, ops.linear(x.cpu, w.cpu));
    });
  },
);

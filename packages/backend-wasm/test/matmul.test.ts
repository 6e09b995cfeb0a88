import { afterAll, describe, expect, it } from 'vitest';
import { expectClose, expectIdentical, normals, onBoth, spikes, wasmRuntime } from './helpers.js';

const settings = await Promise.all([1, 2].map((threads) => wasmRuntime(threads)));
afterAll(() => {
  for (const { backend } of settings) backend.dispose?.();
});

// Odd sizes cut 4×8 tiles at both edges; K = 300 crosses the 256-deep k blocks; 130·257·67 is large
// enough to be split across threads.
const SIZES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [4, 8, 8],
  [13, 17, 19],
  [33, 300, 9],
  [130, 257, 67],
  [9, 270, 530],
];
const TRANSPOSES = [
  { transA: false, transB: false },
  { transA: true, transB: false },
  { transA: false, transB: true },
  { transA: true, transB: true },
];

describe.each(settings.map((s) => [s.backend.threads, s] as const))(
  'matmul on wasm, %i thread(s)',
  (_threads, { rt }) => {
    it.each(SIZES)('dense %i×%i×%i, every transpose, equals cpu', (M, K, N) => {
      for (const t of TRANSPOSES) {
        const a = onBoth(rt, normals(rt, t.transA ? [K, M] : [M, K]), t.transA ? [K, M] : [M, K]);
        const b = onBoth(rt, normals(rt, t.transB ? [N, K] : [K, N]), t.transB ? [N, K] : [K, N]);
        const wasm = a.wasm.matmul(b.wasm, t);
        expect(wasm.backend).toBe('wasm');
        expectClose(wasm, a.cpu.matmul(b.cpu, t));
      }
    });

    it.each(SIZES)('event-driven spike × float %i×%i×%i, every transpose, equals cpu', (M, K, N) => {
      for (const t of TRANSPOSES) {
        for (const p of [0, 0.05, 0.5, 1]) {
          const shapeA = t.transA ? [K, M] : [M, K];
          const a = onBoth(rt, spikes(rt, shapeA, p), shapeA);
          const b = onBoth(rt, normals(rt, t.transB ? [N, K] : [K, N]), t.transB ? [N, K] : [K, N]);
          expectClose(a.wasm.matmul(b.wasm, t), a.cpu.matmul(b.cpu, t));
        }
      }
    });

    it.each(SIZES)(
      'event-driven float × spike %i×%i×%i (weight gradients), every transpose, equals cpu',
      (M, K, N) => {
        for (const t of TRANSPOSES) {
          for (const p of [0, 0.05, 0.5]) {
            const shapeB = t.transB ? [N, K] : [K, N];
            const a = onBoth(rt, normals(rt, t.transA ? [K, M] : [M, K]), t.transA ? [K, M] : [M, K]);
            const b = onBoth(rt, spikes(rt, shapeB, p), shapeB);
            expectClose(a.wasm.matmul(b.wasm, t), a.cpu.matmul(b.cpu, t));
            expectClose(a.cpu.matmul(b.cpu, t), a.cpu.matmul(b.cpu.cast('float32'), t));
          }
        }
      },
    );

    it('gathers from a left operand larger than the cache in blocks (weight gradients), equal to cpu', () => {
      // Aᵀ's rows [1200, 300] are 1.4 MB: the gather runs block by block over them.
      for (const p of [0.05, 0.3]) {
        const g = onBoth(rt, normals(rt, [1200, 300]), [1200, 300]);
        const s = onBoth(rt, spikes(rt, [1200, 150], p), [1200, 150]);
        expectClose(g.wasm.matmul(s.wasm, { transA: true }), g.cpu.matmul(s.cpu, { transA: true }));
        const st = onBoth(rt, spikes(rt, [150, 1200], p), [150, 1200]);
        const t = { transA: true, transB: true };
        expectClose(g.wasm.matmul(st.wasm, t), g.cpu.matmul(st.cpu, t));
        expectClose(s.wasm.matmul(g.wasm, { transA: true }), s.cpu.matmul(g.cpu, { transA: true }));
      }
    });

    it('indexes a spike tensor once for its forward product and its weight gradient, in any shape', () => {
      const s = onBoth(rt, spikes(rt, [64, 96], 0.1), [64, 96]);
      const w = onBoth(rt, normals(rt, [40, 96]), [40, 96]);
      const g = onBoth(rt, normals(rt, [64, 40]), [64, 40]);
      for (let round = 0; round < 2; round++) {
        expectClose(s.wasm.matmul(w.wasm, { transB: true }), s.cpu.matmul(w.cpu, { transB: true }));
        expectClose(g.wasm.matmul(s.wasm, { transA: true }), g.cpu.matmul(s.cpu, { transA: true }));
        // The same bytes as another matrix: an index of its own.
        const r = { wasm: s.wasm.reshape([96, 64]), cpu: s.cpu.reshape([96, 64]) };
        const v = onBoth(rt, normals(rt, [64, 30]), [64, 30]);
        expectClose(r.wasm.matmul(v.wasm), r.cpu.matmul(v.cpu));
      }
      // Dense spikes are not kept (their index would outgrow them) and give the same products.
      const d = onBoth(rt, spikes(rt, [64, 96], 0.9), [64, 96]);
      for (let round = 0; round < 2; round++)
        expectClose(d.wasm.matmul(w.wasm, { transB: true }), d.cpu.matmul(w.cpu, { transB: true }));
    });

    it('indexes a spike matrix large enough to be split across threads, equal to cpu', () => {
      // 4.5 M entries: the filling pass is split by rows, so part boundaries fall inside the lists.
      for (const p of [0.004, 0.05, 0.3]) {
        const s = onBoth(rt, spikes(rt, [3000, 1500], p), [3000, 1500]);
        const w = onBoth(rt, normals(rt, [8, 1500]), [8, 1500]);
        const g = onBoth(rt, normals(rt, [3000, 8]), [3000, 8]);
        expectClose(s.wasm.matmul(w.wasm, { transB: true }), s.cpu.matmul(w.cpu, { transB: true }));
        expectClose(g.wasm.matmul(s.wasm, { transA: true }), g.cpu.matmul(s.cpu, { transA: true }));
      }
    });

    it('runs the batches of a shared right operand as one product, equal to cpu', () => {
      const a = onBoth(rt, normals(rt, [5, 7, 9]), [5, 7, 9]);
      const b = onBoth(rt, normals(rt, [9, 11]), [9, 11]);
      const bt = onBoth(rt, normals(rt, [11, 9]), [11, 9]);
      expectClose(a.wasm.matmul(b.wasm), a.cpu.matmul(b.cpu));
      expectClose(a.wasm.matmul(bt.wasm, { transB: true }), a.cpu.matmul(bt.cpu, { transB: true }));
      const s = onBoth(rt, spikes(rt, [5, 7, 9], 0.3), [5, 7, 9]);
      expectClose(s.wasm.matmul(b.wasm), s.cpu.matmul(b.cpu));
      // Not one matrix: a transposed left operand, or a right operand per batch.
      expectClose(
        a.wasm.matmul(b.wasm.slice([0], [7]), { transA: true }),
        a.cpu.matmul(b.cpu.slice([0], [7]), { transA: true }),
      );
      const bb = onBoth(rt, normals(rt, [5, 9, 11]), [5, 9, 11]);
      expectClose(a.wasm.matmul(bb.wasm), a.cpu.matmul(bb.cpu));
    });

    it('broadcasts leading axes of both operands', () => {
      const a = onBoth(rt, normals(rt, [2, 1, 5, 6]), [2, 1, 5, 6]);
      const b = onBoth(rt, normals(rt, [3, 6, 7]), [3, 6, 7]);
      expectClose(a.wasm.matmul(b.wasm), a.cpu.matmul(b.cpu));
      const s = onBoth(rt, spikes(rt, [4, 9, 6], 0.3), [4, 9, 6]);
      const w = onBoth(rt, normals(rt, [7, 6]), [7, 6]);
      expectClose(s.wasm.matmul(w.wasm, { transB: true }), s.cpu.matmul(w.cpu, { transB: true }));
      expectClose(s.wasm.matmul(b.wasm.slice([0], [1])), s.cpu.matmul(b.cpu.slice([0], [1])));
      const g = onBoth(rt, normals(rt, [2, 3, 9, 5]), [2, 3, 9, 5]);
      const r = onBoth(rt, spikes(rt, [3, 9, 4], 0.3), [3, 9, 4]);
      expectClose(g.wasm.matmul(r.wasm, { transA: true }), g.cpu.matmul(r.cpu, { transA: true }));
    });

    it('converts integer and spike right operands, and leaves float64 to cpu', () => {
      const a = onBoth(rt, normals(rt, [5, 4]), [5, 4]);
      const ints = onBoth(
        rt,
        Int32Array.from({ length: 12 }, (_, i) => i - 6),
        [4, 3],
      );
      expectClose(a.wasm.matmul(ints.wasm), a.cpu.matmul(ints.cpu));
      const s = onBoth(rt, spikes(rt, [4, 3], 0.5), [4, 3]);
      expectClose(a.wasm.matmul(s.wasm), a.cpu.matmul(s.cpu));
      const d = onBoth(rt, Float64Array.from(normals(rt, [4, 6])), [4, 6]);
      const wasm = a.wasm.cast('float64').matmul(d.wasm);
      expect(wasm.dtype).toBe('float64');
      expectIdentical(wasm, a.cpu.cast('float64').matmul(d.cpu));
    });

    it('computes gradients through matmul that match cpu', () => {
      const x = onBoth(rt, spikes(rt, [40, 30], 0.1), [40, 30]);
      const w = onBoth(rt, normals(rt, [20, 30]), [20, 30]);
      w.cpu.requireGrad();
      w.wasm.requireGrad();
      x.cpu.matmul(w.cpu, { transB: true }).square().sum().backward();
      x.wasm.matmul(w.wasm, { transB: true }).square().sum().backward();
      expectClose(w.wasm.grad!, w.cpu.grad!);
    });
  },
);

describe('thread count', () => {
  it('gives identical results on 1 and 2 threads', () => {
    const [one, two] = settings;
    const a = normals(one!.rt, [300, 200]);
    const b = normals(one!.rt, [200, 150]);
    const s = spikes(one!.rt, [300, 200], 0.1);
    const on = (rt: typeof one.rt) => {
      const A = rt.fromArray(a, [300, 200], { backend: 'wasm' });
      const B = rt.fromArray(b, [200, 150], { backend: 'wasm' });
      const S = rt.fromArray(s, [300, 200], { backend: 'wasm' });
      return [A.matmul(B), S.matmul(B), S.matmul(A, { transA: true }), A.matmul(S, { transA: true })].map(
        (t) => t.dataSync(),
      );
    };
    const single = on(one!.rt);
    for (const [k, result] of on(two!.rt).entries()) expectIdentical(result, single[k]!);
  });
});

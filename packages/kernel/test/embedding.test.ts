import {
  assertGradcheck,
  buildModel,
  createRuntime,
  DTypeError,
  Embedding,
  fromModelGraph,
  NeuriteError,
  ops,
  toModelGraph,
} from '@neurite/kernel';
import { describe, expect, it } from 'vitest';

const rt = createRuntime({ seed: 8 });

describe('embedding', () => {
  it('looks up rows for indices of any shape, worked by hand', () => {
    const weight = rt.tensor([
      [0, 1],
      [2, 3],
      [4, 5],
    ]);
    const idx = rt.tensor(
      [
        [2, 0],
        [1, 1],
      ],
      { dtype: 'int32' },
    );
    const y = ops.embedding(idx, weight);
    expect(y.shape).toEqual([2, 2, 2]);
    expect(y.toArraySync()).toEqual([
      [
        [4, 5],
        [0, 1],
      ],
      [
        [2, 3],
        [2, 3],
      ],
    ]);
    expect(ops.embedding(rt.tensor(1, { dtype: 'int32' }), weight).toArraySync()).toEqual([2, 3]);
  });

  it('sums the gradient of repeated indices into their row', () => {
    const weight = rt
      .tensor([
        [0, 1],
        [2, 3],
        [4, 5],
      ])
      .requireGrad();
    ops
      .embedding(
        rt.tensor(
          [
            [2, 0],
            [1, 1],
          ],
          { dtype: 'int32' },
        ),
        weight,
      )
      .sum()
      .backward();
    expect(weight.grad!.toArraySync()).toEqual([
      [1, 1],
      [2, 2],
      [1, 1],
    ]);
    const idx = rt.tensor(
      [
        [3, 0, 3],
        [1, 4, 3],
      ],
      { dtype: 'int32' },
    );
    assertGradcheck('embedding', (w) => ops.embedding(idx, w!).square(), [
      rt.randn([5, 3], { dtype: 'float64' }),
    ]);
  });

  it('rejects float and out-of-range indices', () => {
    const weight = rt.randn([3, 2]);
    expect(() => ops.embedding(rt.tensor([0, 1]), weight)).toThrow(DTypeError);
    expect(() => ops.embedding(rt.tensor([3], { dtype: 'int32' }), weight)).toThrow(NeuriteError);
  });

  it('initialises N(0, 1) and round-trips through the graph form', () => {
    const layer = new Embedding(rt, { numEmbeddings: 1000, embeddingDim: 8 });
    const w = layer.weight.dataSync();
    const mean = w.reduce((a, v) => a + v, 0) / w.length;
    const variance = w.reduce((a, v) => a + (v - mean) ** 2, 0) / w.length;
    expect(Math.abs(mean)).toBeLessThan(0.05);
    expect(Math.abs(variance - 1)).toBeLessThan(0.1);
    const model = buildModel(rt, { type: 'embedding', numEmbeddings: 10, embeddingDim: 4 });
    const idx = rt.tensor([[1, 9, 3]], { dtype: 'int32' });
    const graph = toModelGraph(model);
    expect(graph.spec).toEqual({ type: 'embedding', numEmbeddings: 10, embeddingDim: 4 });
    expect(fromModelGraph(rt, graph).forward(idx).dataSync()).toEqual(model.forward(idx).dataSync());
  });
});

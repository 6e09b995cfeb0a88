import {
  AvgPool2d,
  assertGradcheck,
  buildModel,
  createRuntime,
  fromModelGraph,
  MaxPool1d,
  ops,
  ShapeError,
  toModelGraph,
  ValidationError,
} from '@neurite/kernel';
import { describe, expect, it } from 'vitest';

const rt = createRuntime({ seed: 11 });

describe('sum and average pooling', () => {
  it('2-D windows worked by hand (NIR SumPool2d / AvgPool2d)', () => {
    const x = rt.arange(1, 17).reshape([1, 1, 4, 4]);
    expect(ops.sumPool2d(x, 2).toArraySync()).toEqual([
      [
        [
          [14, 22],
          [46, 54],
        ],
      ],
    ]);
    expect(ops.avgPool2d(x, 2).toArraySync()).toEqual([
      [
        [
          [3.5, 5.5],
          [11.5, 13.5],
        ],
      ],
    ]);
    // Padding 1, stride 2, 3×3 windows: the zero border counts in the sum; windows at rows/cols −1, 1.
    // Top-left holds 1, 2, 5, 6; top-right 2, 3, 4, 6, 7, 8; bottom-left 5, 6, 9, 10, 13, 14.
    expect(ops.sumPool2d(x, 3, { stride: 2, padding: 1 }).toArraySync()).toEqual([
      [
        [
          [14, 30],
          [57, 99],
        ],
      ],
    ]);
    // A rectangular window with its own stride per axis.
    expect(ops.sumPool2d(x, [1, 4], { stride: [2, 1] }).toArraySync()).toEqual([[[[10], [42]]]]);
  });

  it('1-D windows with padding, with and without counting it', () => {
    // Padded [0, 1, 2, 3, 4, 0], windows of 3 at 0 and 2: sums 3 and 9.
    const x = rt.tensor([[[1, 2, 3, 4]]]);
    expect(ops.sumPool1d(x, 3, { stride: 2, padding: 1 }).toArraySync()).toEqual([[[3, 9]]]);
    expect(ops.avgPool1d(x, 3, { stride: 2, padding: 1 }).toArraySync()).toEqual([[[1, 3]]]);
    expect(ops.avgPool1d(x, 3, { stride: 2, padding: 1, countIncludePad: false }).toArraySync()).toEqual([
      [[1.5, 3]],
    ]);
    // Unbatched [C, L] and leading time axes pool every plane independently.
    expect(ops.sumPool1d(rt.tensor([[1, 2, 3, 4]]), 2).toArraySync()).toEqual([[3, 7]]);
    const seq = rt.randn([3, 2, 4, 8]);
    expect(ops.avgPool1d(seq, 2).slice([1], [2]).dataSync()).toEqual(
      ops.avgPool1d(seq.slice([1], [2]).reshape([2, 4, 8]), 2).dataSync(),
    );
  });

  it('spread the gradient over each window', () => {
    const x = rt.tensor([[[1, 2, 3, 4, 5]]]).requireGrad();
    // Windows {0, 1, 2} and {2, 3, 4} share element 2, which gets a third of both gradients.
    ops.avgPool1d(x, 3, { stride: 2 }).backward(rt.tensor([[[3, 6]]]));
    expect(x.grad!.toArraySync()).toEqual([[[1, 1, 3, 2, 2]]]);
  });

  it('passes gradcheck', () => {
    const x1 = rt.randn([2, 3, 9], { dtype: 'float64' });
    const x2 = rt.randn([1, 2, 6, 7], { dtype: 'float64' });
    assertGradcheck('sum_pool1d', (x) => ops.sumPool1d(x!, 3, { stride: 2, padding: [[1, 2]] }).square(), [
      x1,
    ]);
    assertGradcheck(
      'avg_pool1d',
      (x) => ops.avgPool1d(x!, 4, { padding: 2, countIncludePad: false }).square(),
      [x1],
    );
    assertGradcheck(
      'sum_pool2d',
      (x) => ops.sumPool2d(x!, [2, 3], { stride: [1, 2], padding: [1, 0] }).square(),
      [x2],
    );
    assertGradcheck('avg_pool2d', (x) => ops.avgPool2d(x!, 3, { stride: 2, padding: 1 }).square(), [x2]);
  });
});

describe('max pooling', () => {
  it('values and indices worked by hand', () => {
    const x = rt.tensor([[[1, 3, 2, 5, 4, 0]]]);
    const { values, indices } = ops.maxPool1dWithIndices(x, 2);
    expect(values.toArraySync()).toEqual([[[3, 5, 4]]]);
    expect(indices.dtype).toBe('int32');
    expect(indices.toArraySync()).toEqual([[[1, 3, 4]]]);
    // Padding never wins: windows of 3 over [−∞, 1, 3, 2, 5, 4, 0, −∞].
    const padded = ops.maxPool1dWithIndices(x, 3, { stride: 1, padding: 1 });
    expect(padded.values.toArraySync()).toEqual([[[3, 3, 5, 5, 5, 4]]]);
    expect(padded.indices.toArraySync()).toEqual([[[1, 1, 3, 3, 3, 4]]]);
    // Dilation 2: windows {0, 2}, {1, 3}, {2, 4}. Ties keep the first.
    expect(
      ops.maxPool1d(rt.tensor([[[1, 5, 2, 4, 3]]]), 2, { stride: 1, dilation: 2 }).toArraySync(),
    ).toEqual([[[2, 5, 3]]]);
    expect(ops.maxPool1dWithIndices(rt.tensor([[[2, 2]]]), 2).indices.toArraySync()).toEqual([[[0]]]);
    const x2 = rt.arange(1, 10).reshape([1, 1, 3, 3]);
    const p2 = ops.maxPool2dWithIndices(x2, 2, { stride: 1 });
    expect(p2.values.toArraySync()).toEqual([
      [
        [
          [5, 6],
          [8, 9],
        ],
      ],
    ]);
    expect(p2.indices.toArraySync()).toEqual([
      [
        [
          [4, 5],
          [7, 8],
        ],
      ],
    ]);
    // Negative inputs with padding still return an input element.
    expect(ops.maxPool2d(rt.full([1, 1, 2, 2], -7), 2, { padding: 1 }).toArraySync()).toEqual([
      [
        [
          [-7, -7],
          [-7, -7],
        ],
      ],
    ]);
  });

  it('routes the gradient to the argmax, accumulating where windows share it', () => {
    const x = rt.tensor([[[1, 3, 2]]]).requireGrad();
    ops.maxPool1d(x, 2, { stride: 1 }).backward(rt.tensor([[[1, 2]]]));
    expect(x.grad!.toArraySync()).toEqual([[[0, 3, 0]]]);
    const s = rt.tensor([[[0, 1, 1, 0]]], { dtype: 'spike' });
    const pooled = ops.maxPool1d(s, 2);
    expect(pooled.dtype).toBe('spike');
    expect(pooled.toArraySync()).toEqual([[[1, 1]]]);
  });

  it('passes gradcheck, and so does its gradient (scatter_add at the indices)', () => {
    const x1 = rt.randn([2, 3, 9], { dtype: 'float64' });
    const x2 = rt.randn([1, 2, 6, 7], { dtype: 'float64' });
    assertGradcheck('max_pool1d', (x) => ops.maxPool1d(x!, 3, { stride: 2, padding: 1 }).square(), [x1]);
    assertGradcheck('max_pool1d dilated', (x) => ops.maxPool1d(x!, 2, { stride: 1, dilation: 3 }).square(), [
      x1,
    ]);
    assertGradcheck(
      'max_pool2d',
      (x) => ops.maxPool2d(x!, [3, 2], { stride: [2, 1], padding: [1, 1] }).square(),
      [x2],
    );
    const { values, indices } = ops.maxPool2dWithIndices(x2, 2);
    const g = rt.randn([1, 2, values.shape.slice(2).reduce((a, b) => a * b, 1)], { dtype: 'float64' });
    const flat = indices.reshape([1, 2, -1]);
    assertGradcheck(
      'max_pool2d gradient',
      (gi) => rt.run1('scatter_add', [gi!, flat], { axis: 2, shape: [1, 2, 42] }).square(),
      [g],
    );
  });

  it('rejects more padding than half a window and inputs without spatial axes', () => {
    expect(() => ops.maxPool1d(rt.randn([1, 1, 8]), 2, { padding: 2 })).toThrow(ShapeError);
    expect(() => ops.maxPool2d(rt.randn([4, 4]), 2)).toThrow(/spatial axes/);
    expect(() => ops.sumPool1d(rt.tensor([[1, 2]], { dtype: 'int32' }), 2)).toThrow(/float or spike/);
  });
});

describe('pooling layers', () => {
  it('round-trip every node type through the graph form', () => {
    const specs = [
      { type: 'sumpool1d', kernelSize: 3, stride: 2, padding: [[1, 0]] },
      { type: 'avgpool1d', kernelSize: 2, countIncludePad: false, padding: 1 },
      { type: 'maxpool1d', kernelSize: 2, dilation: 2, stride: 1 },
      { type: 'sumpool2d', kernelSize: [2, 3], padding: [1, 0] },
      { type: 'avgpool2d', kernelSize: 2, stride: [1, 2] },
      { type: 'maxpool2d', kernelSize: 3, stride: 2, padding: 1 },
    ];
    for (const spec of specs) {
      const model = buildModel(rt, spec);
      const x = spec.type.endsWith('1d') ? rt.randn([2, 3, 10]) : rt.randn([2, 3, 7, 8]);
      const graph = toModelGraph(model);
      expect(graph.spec).toMatchObject(spec);
      expect(fromModelGraph(rt, graph).forward(x).dataSync()).toEqual(model.forward(x).dataSync());
    }
  });

  it('default the stride to the kernel and validate options', () => {
    const pool = new AvgPool2d({ kernelSize: 2 });
    expect(pool.describe().options).toEqual({ kernelSize: 2, padding: 0, countIncludePad: true });
    expect(pool.forward(rt.randn([1, 1, 4, 6])).shape).toEqual([1, 1, 2, 3]);
    expect(new MaxPool1d({ kernelSize: 3 }).forward(rt.randn([5, 2, 3, 9])).shape).toEqual([5, 2, 3, 3]);
    expect(() => buildModel(rt, { type: 'maxpool2d', kernelSize: [2, 2, 2] })).toThrow(ValidationError);
    expect(() => buildModel(rt, { type: 'sumpool1d', kernelSize: 0 })).toThrow(/model\.kernelSize/);
  });
});

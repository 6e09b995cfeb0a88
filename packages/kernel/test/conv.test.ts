import {
  assertGradcheck,
  buildModel,
  Conv1d,
  Conv2d,
  createRuntime,
  fromModelGraph,
  ops,
  ShapeError,
  type Tensor,
  toModelGraph,
  ValidationError,
} from '@neurite/kernel';
import { describe, expect, it } from 'vitest';

const rt = createRuntime({ seed: 5 });

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-4) {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(expected[i]!)));
  }
}

/** A convolution by its definition, 2-D (1-D as height 1), in double precision. */
interface Geometry {
  B: number;
  cin: number;
  cout: number;
  groups: number;
  H: number;
  W: number;
  KH: number;
  KW: number;
  OH: number;
  OW: number;
  stride: [number, number];
  pad: [number, number];
  dilation: [number, number];
}

/** Calls visit(xIndex, wIndex, outIndex) for every product term of the convolution. */
function forEachTerm(G: Geometry, visit: (xi: number, wi: number, oi: number) => void) {
  const cinG = G.cin / G.groups;
  const coutG = G.cout / G.groups;
  for (let b = 0; b < G.B; b++)
    for (let co = 0; co < G.cout; co++)
      for (let oh = 0; oh < G.OH; oh++)
        for (let ow = 0; ow < G.OW; ow++)
          for (let ci = 0; ci < cinG; ci++)
            for (let kh = 0; kh < G.KH; kh++)
              for (let kw = 0; kw < G.KW; kw++) {
                const ih = oh * G.stride[0] + kh * G.dilation[0] - G.pad[0];
                const iw = ow * G.stride[1] + kw * G.dilation[1] - G.pad[1];
                if (ih < 0 || ih >= G.H || iw < 0 || iw >= G.W) continue;
                const c = Math.floor(co / coutG) * cinG + ci;
                visit(
                  ((b * G.cin + c) * G.H + ih) * G.W + iw,
                  ((co * cinG + ci) * G.KH + kh) * G.KW + kw,
                  ((b * G.cout + co) * G.OH + oh) * G.OW + ow,
                );
              }
}

function reference(G: Geometry, x: ArrayLike<number>, w: ArrayLike<number>, g: ArrayLike<number>) {
  const out = new Float64Array(G.B * G.cout * G.OH * G.OW);
  const gx = new Float64Array(G.B * G.cin * G.H * G.W);
  const gw = new Float64Array(G.cout * (G.cin / G.groups) * G.KH * G.KW);
  forEachTerm(G, (xi, wi, oi) => {
    out[oi]! += x[xi]! * w[wi]!;
    gx[xi]! += g[oi]! * w[wi]!;
    gw[wi]! += g[oi]! * x[xi]!;
  });
  return { out, gx, gw };
}

interface Case {
  B: number;
  cin: number;
  cout: number;
  size: number[];
  kernel: number[];
  stride?: number[];
  padding?: [number, number][];
  dilation?: number[];
  groups?: number;
}

/** Runs a case through conv{1,2}d and its gradient ops and compares all three with the definition. */
function checkAgainstReference(c: Case, input: Tensor) {
  const rank = c.kernel.length;
  const groups = c.groups ?? 1;
  const stride = c.stride ?? c.kernel.map(() => 1);
  const dilation = c.dilation ?? c.kernel.map(() => 1);
  const padding = c.padding ?? c.kernel.map((): [number, number] => [0, 0]);
  const w = rt.randn([c.cout, c.cin / groups, ...c.kernel]).requireGrad();
  const x = input.requiresGrad || input.dtype === 'spike' ? input : input.requireGrad();
  const conv = rank === 1 ? ops.conv1d : ops.conv2d;
  const y = conv(x, w, null, { stride, padding, dilation, groups });
  const outSize = y.shape.slice(2);
  const two = (v: number[], fill: number): [number, number] =>
    v.length === 1 ? [fill, v[0]!] : [v[0]!, v[1]!];
  const [H, W] = two(c.size, 1);
  const [KH, KW] = two(c.kernel, 1);
  const [OH, OW] = two(outSize, 1);
  const G: Geometry = {
    B: c.B,
    cin: c.cin,
    cout: c.cout,
    groups,
    H,
    W,
    KH,
    KW,
    OH,
    OW,
    stride: two(stride, 1),
    pad: two(
      padding.map((p) => p[0]),
      0,
    ),
    dilation: two(dilation, 1),
  };
  const g = rt.randn(y.shape);
  const ref = reference(G, x.dataSync(), w.dataSync(), g.dataSync());
  expectClose(y.dataSync(), ref.out, 1e-4);
  y.backward(g);
  expectClose(w.grad!.dataSync(), ref.gw, 1e-4);
  if (x.dtype !== 'spike') expectClose(x.grad!.dataSync(), ref.gx, 1e-4);
}

describe('conv1d', () => {
  it('a dilated, padded convolution worked by hand', () => {
    // Padded input [0, 1, 2, 3, 4, 5, 0]; taps at l, l+2, l+4 weighted 1, 2, 3.
    const x = rt.tensor([[[1, 2, 3, 4, 5]]]);
    const w = rt.tensor([[[1, 2, 3]]]);
    const y = ops.conv1d(x, w, rt.tensor([0.5]), { padding: 1, dilation: 2 });
    expect(y.shape).toEqual([1, 1, 3]);
    expect(y.toArraySync()).toEqual([[[16.5, 22.5, 10.5]]]);
  });

  it('stride, groups and same padding worked by hand', () => {
    const strided = ops.conv1d(rt.tensor([[[1, 2, 3, 4, 5, 6]]]), rt.tensor([[[2, 1]]]), null, { stride: 2 });
    expect(strided.toArraySync()).toEqual([[[4, 10, 16]]]);
    // Two groups: channel 0 with [1, 1], channel 1 with [1, -1].
    const grouped = ops.conv1d(
      rt.tensor([
        [
          [1, 2, 3],
          [4, 5, 6],
        ],
      ]),
      rt.tensor([[[1, 1]], [[1, -1]]]),
      null,
      { groups: 2 },
    );
    expect(grouped.toArraySync()).toEqual([
      [
        [3, 5],
        [-1, -1],
      ],
    ]);
    // 'same' with an even kernel pads 1 before and 2 after (PyTorch): [0, 1, 2, 3, 4, 0, 0].
    const same = ops.conv1d(rt.tensor([[1, 2, 3, 4]]), rt.tensor([[[1, 1, 1, 1]]]), null, {
      padding: 'same',
    });
    expect(same.toArraySync()).toEqual([[6, 10, 9, 7]]);
    // Asymmetric (causal) padding: two zeros before, none after.
    const causal = ops.conv1d(rt.tensor([[[1, 2, 3]]]), rt.tensor([[[1, 10, 100]]]), null, {
      padding: [[2, 0]],
    });
    expect(causal.toArraySync()).toEqual([[[100, 210, 321]]]);
  });

  it('gradients worked by hand', () => {
    const x = rt.tensor([[[1, 2, 3]]]).requireGrad();
    const w = rt.tensor([[[1, -1]]]).requireGrad();
    const b = rt.tensor([0]).requireGrad();
    // y = [x0 − x1, x1 − x2]; with dy = [1, 2]: dx = [1, 2 − 1, −2], dw = [1·1 + 2·2, 2·1 + 3·2], db = 3.
    ops.conv1d(x, w, b).backward(rt.tensor([[[1, 2]]]));
    expect(x.grad!.toArraySync()).toEqual([[[1, 1, -2]]]);
    expect(w.grad!.toArraySync()).toEqual([[[5, 8]]]);
    expect(b.grad!.toArraySync()).toEqual([3]);
  });

  it('matches the definition on the GEMM, direct and event-driven paths', () => {
    const variants: Case[] = [
      { B: 2, cin: 3, cout: 5, size: [11], kernel: [3] },
      {
        B: 2,
        cin: 4,
        cout: 8,
        size: [13],
        kernel: [3],
        stride: [2],
        padding: [[1, 2]],
        dilation: [2],
        groups: 2,
      },
      { B: 1, cin: 6, cout: 6, size: [10], kernel: [4], padding: [[3, 0]], groups: 6 },
      { B: 3, cin: 4, cout: 2, size: [9], kernel: [2], stride: [3], groups: 2 },
      // Enough receptive field (512 × 16) to split 150 output positions into several tiles.
      { B: 1, cin: 512, cout: 4, size: [165], kernel: [16] },
    ];
    for (const c of variants) checkAgainstReference(c, rt.randn([c.B, c.cin, ...c.size]));
    // Sparse spikes run event-driven, dense ones through GEMM; both must equal the definition.
    for (const p of [0.1, 0.8]) {
      const c: Case = {
        B: 2,
        cin: 6,
        cout: 8,
        size: [20],
        kernel: [5],
        stride: [2],
        padding: [[2, 2]],
        dilation: [2],
        groups: 2,
      };
      checkAgainstReference(c, rt.bernoulli(p, [c.B, c.cin, ...c.size]));
    }
  });

  it('spike inputs give the float result and carry gradient', () => {
    const s = rt.bernoulli(0.2, [2, 4, 30]);
    const w = rt.randn([8, 4, 5]);
    const b = rt.randn([8]);
    expectClose(
      ops.conv1d(s, w, b, { padding: 2 }).dataSync(),
      ops.conv1d(s.cast('float32'), w, b, { padding: 2 }).dataSync(),
    );
    const leaf = s.requireGrad();
    ops.conv1d(leaf, w).sum().backward();
    expect(leaf.grad!.dtype).toBe('float32');
    expect(leaf.grad!.shape).toEqual([2, 4, 30]);
  });

  it('passes gradcheck for every input and each gradient op', () => {
    const variants = [
      { cin: 2, cout: 4, opts: { stride: 2, padding: [[1, 2]] as [number, number][], dilation: 2 } },
      { cin: 4, cout: 4, opts: { groups: 2, padding: 1 } },
      { cin: 2, cout: 8, opts: { groups: 2, stride: 3, dilation: 1 } },
      { cin: 3, cout: 3, opts: { groups: 3, padding: 'same' as const, dilation: 2 } },
    ];
    for (const { cin, cout, opts } of variants) {
      const groups = opts.groups ?? 1;
      const x = rt.randn([2, cin, 9], { dtype: 'float64' });
      const w = rt.randn([cout, cin / groups, 3], { dtype: 'float64' });
      const b = rt.randn([cout], { dtype: 'float64' });
      assertGradcheck('conv1d', (xi, wi, bi) => ops.conv1d(xi!, wi!, bi!, opts).tanh(), [x, w, b]);
      const attrs = ops.convAttrs('conv1d', [3], opts);
      const g = rt.randn(ops.conv1d(x, w, null, opts).shape, { dtype: 'float64' });
      assertGradcheck('conv1d_input_grad', (gi, wi) => ops.convInputGrad(gi!, wi!, [9], attrs).square(), [
        g,
        w,
      ]);
      assertGradcheck('conv1d_weight_grad', (gi, xi) => ops.convWeightGrad(gi!, xi!, [3], attrs).square(), [
        g,
        x,
      ]);
    }
    // The event-driven weight gradient (spike input, four or more output channels per group).
    const s = rt.bernoulli(0.2, [2, 3, 12]);
    assertGradcheck('conv1d spikes', (wi) => ops.conv1d(s, wi!, null, { padding: 1 }).square(), [
      rt.randn([4, 3, 3], { dtype: 'float64' }),
    ]);
  });

  it('rejects inconsistent shapes with the op name', () => {
    expect(() => ops.conv1d(rt.randn([1, 3, 8]), rt.randn([4, 2, 3]))).toThrow(ShapeError);
    expect(() => ops.conv1d(rt.randn([1, 4, 8]), rt.randn([3, 2, 3]), null, { groups: 2 })).toThrow(/groups/);
    expect(() => ops.conv1d(rt.randn([1, 1, 2]), rt.randn([1, 1, 3]))).toThrow(/exceeds padded input/);
    expect(() =>
      ops.conv1d(rt.randn([1, 1, 8]), rt.randn([1, 1, 3]), null, { padding: 'same', stride: 2 }),
    ).toThrow(/stride 1/);
    expect(() => ops.conv1d(rt.randn([1, 1, 8]), rt.randn([1, 1, 3]), rt.randn([2]))).toThrow(/bias/);
  });
});

describe('conv2d', () => {
  it('plain and strided, padded convolutions worked by hand', () => {
    const x = rt.tensor([
      [
        [
          [1, 2, 3],
          [4, 5, 6],
          [7, 8, 9],
        ],
      ],
    ]);
    const w = rt.tensor([
      [
        [
          [1, 2],
          [3, 4],
        ],
      ],
    ]);
    expect(ops.conv2d(x, w).toArraySync()).toEqual([
      [
        [
          [37, 47],
          [67, 77],
        ],
      ],
    ]);
    // Padded to 5×5 with a zero border, windows at rows/cols {0, 2}.
    expect(ops.conv2d(x, w, null, { stride: 2, padding: 1 }).toArraySync()).toEqual([
      [
        [
          [4, 18],
          [36, 77],
        ],
      ],
    ]);
  });

  it('matches the definition on every path, tiles splitting output rows', () => {
    const variants: Case[] = [
      { B: 2, cin: 3, cout: 4, size: [6, 7], kernel: [3, 2] },
      {
        B: 1,
        cin: 4,
        cout: 8,
        size: [9, 8],
        kernel: [3, 3],
        stride: [2, 1],
        padding: [
          [1, 0],
          [2, 1],
        ],
        dilation: [1, 2],
        groups: 2,
      },
      {
        B: 2,
        cin: 4,
        cout: 4,
        size: [7, 7],
        kernel: [3, 3],
        padding: [
          [1, 1],
          [1, 1],
        ],
        groups: 4,
      },
      // 512 × 4 × 4 receptive field: tiles of 64 positions cut through the 9-wide output rows.
      { B: 1, cin: 512, cout: 4, size: [12, 12], kernel: [4, 4] },
    ];
    for (const c of variants) checkAgainstReference(c, rt.randn([c.B, c.cin, ...c.size]));
    const c: Case = {
      B: 2,
      cin: 2,
      cout: 4,
      size: [8, 9],
      kernel: [3, 2],
      stride: [2, 3],
      padding: [
        [1, 1],
        [1, 0],
      ],
    };
    checkAgainstReference(c, rt.bernoulli(0.15, [c.B, c.cin, ...c.size]));
  });

  it('passes gradcheck for every input and each gradient op', () => {
    const opts = {
      stride: [2, 1],
      padding: [[1, 0], 1] as [[number, number], number],
      dilation: [1, 2],
      groups: 2,
    };
    const x = rt.randn([1, 4, 5, 6], { dtype: 'float64' });
    for (const cout of [2, 8]) {
      const w = rt.randn([cout, 2, 2, 3], { dtype: 'float64' });
      const b = rt.randn([cout], { dtype: 'float64' });
      assertGradcheck('conv2d', (xi, wi, bi) => ops.conv2d(xi!, wi!, bi!, opts).tanh(), [x, w, b]);
      const attrs = ops.convAttrs('conv2d', [2, 3], opts);
      const g = rt.randn(ops.conv2d(x, w, null, opts).shape, { dtype: 'float64' });
      assertGradcheck('conv2d_input_grad', (gi, wi) => ops.convInputGrad(gi!, wi!, [5, 6], attrs).square(), [
        g,
        w,
      ]);
      assertGradcheck(
        'conv2d_weight_grad',
        (gi, xi) => ops.convWeightGrad(gi!, xi!, [2, 3], attrs).square(),
        [g, x],
      );
    }
  });
});

describe('Conv1d and Conv2d layers', () => {
  it('initialise as PyTorch and merge leading time axes into the batch', () => {
    const conv = new Conv1d(rt, { inChannels: 4, outChannels: 6, kernelSize: 3, groups: 2 });
    expect(conv.weight.shape).toEqual([6, 2, 3]);
    // U(−1/√fan_in, 1/√fan_in) with fan_in = 2 · 3.
    const bound = 1 / Math.sqrt(6);
    for (const v of [...conv.weight.dataSync(), ...conv.bias!.dataSync()])
      expect(Math.abs(v)).toBeLessThanOrEqual(bound);
    const seq = rt.randn([5, 2, 4, 10]);
    const y = conv.forward(seq);
    expect(y.shape).toEqual([5, 2, 6, 8]);
    expectClose(
      y.slice([3], [4]).dataSync(),
      conv.forward(seq.slice([3], [4]).reshape([2, 4, 10])).dataSync(),
    );
    expect(conv.forward(rt.randn([4, 10])).shape).toEqual([6, 8]);
  });

  it('round-trip through the graph form with identical outputs', () => {
    const specs = [
      {
        type: 'conv1d',
        inChannels: 4,
        outChannels: 8,
        kernelSize: 5,
        padding: [[4, 2]],
        dilation: 2,
        groups: 2,
      },
      {
        type: 'conv2d',
        inChannels: 3,
        outChannels: 4,
        kernelSize: [3, 2],
        dilation: [1, 2],
        padding: 'same',
        bias: false,
      },
    ];
    for (const spec of specs) {
      const model = buildModel(rt, spec);
      const input = spec.type === 'conv1d' ? rt.randn([2, 4, 12]) : rt.randn([2, 3, 6, 5]);
      const graph = toModelGraph(model);
      expect(graph.spec).toMatchObject(spec);
      const again = fromModelGraph(rt, graph);
      expect(again.forward(input).dataSync()).toEqual(model.forward(input).dataSync());
    }
    expect(new Conv2d(rt, { inChannels: 1, outChannels: 2, kernelSize: 3 }).describe().options).toMatchObject(
      { stride: 1, padding: 0, groups: 1 },
    );
  });

  it('validates options with JSON paths', () => {
    expect(() =>
      buildModel(rt, { type: 'conv1d', inChannels: 4, outChannels: 6, kernelSize: 3, groups: 4 }),
    ).toThrow(ValidationError);
    expect(() =>
      buildModel(rt, { type: 'conv2d', inChannels: 4, outChannels: 6, kernelSize: [3, 3, 3] }),
    ).toThrow(/model\.kernelSize/);
    expect(() =>
      buildModel(rt, {
        type: 'conv1d',
        inChannels: 1,
        outChannels: 1,
        kernelSize: 3,
        stride: 2,
        padding: 'same',
      }),
    ).toThrow(/model\.padding/);
  });
});

import { buildModel, createRuntime, ops, type Runtime, type Tensor } from '@neurite/kernel';
import neuronLif from '@neurite/neuron-lif';
import { describe, expect, it } from 'vitest';
import izhikevich, {
  CELL_TYPES,
  type CellType,
  type IzhikevichAttrs,
  izhikevichSurrogate,
} from '../src/index.js';

const runtime = () => createRuntime({ seed: 3 }).use(neuronLif()).use(izhikevich());
const surrogate = { name: 'izhikevich', width: 10 };

function scan(rt: Runtime, x: Tensor, v0: Tensor, u0: Tensor, attrs: IzhikevichAttrs) {
  const [s, h, vT, uT] = rt.run('izhikevich_scan', [x, v0, u0], attrs) as [Tensor, Tensor, Tensor, Tensor];
  return { s, h, vT, uT };
}

describe('the Izhikevich scan', () => {
  it('reproduces a hand-computed regular-spiking trace (a=0.02, b=0.2, c=−65, d=8, I=10, dt=1 ms)', async () => {
    const rt = runtime();
    const rs = CELL_TYPES['regular-spiking'];
    const x = rt.full([6, 1], 10, { dtype: 'float64' });
    const v0 = rt.tensor([-65], { dtype: 'float64' });
    const { s, h, vT, uT } = scan(rt, x, v0, v0.mul(rs.b), {
      ...rs,
      dt: 1,
      vPeak: 30,
      detachReset: false,
      surrogate,
    });
    // By hand, h = v + 0.04v² + 5v + 140 − u + 10 and m = u + 0.02(0.2v − u), from v = −65, u = −13:
    //  1: 169 − 325 + 140 + 13 + 10 = 7                → h = −58,           m = −13
    //  2: 134.56 − 290 + 140 + 13 + 10 = 7.56          → h = −50.44,        m = −13 + 0.02·1.4 = −12.972
    //  3: 101.767744 − 252.2 + 140 + 12.972 + 10       → h = −37.900256,    m = −12.972 + 0.02·2.884 = −12.91432
    //  4: 57.4571762… − 189.50128 + 140 + 12.91432 + 10 → h = −7.0300398…,  m = −12.807634624
    //  5: 1.976868… − 35.150199… + 140 + 12.807634… + 10 → h = 122.604254… ≥ 30: spike, v ← −65, u ← m + 8
    //     m = −12.807634624 + 0.02·(−1.40600796… + 12.807634624) = −12.579602090…, u = −4.579602090…
    //  6: 169 − 325 + 140 + 4.579602… + 10 = −1.420397… → h = −66.420397…,  u = −4.579602… + 0.02·(−13 + 4.579602…)
    const expected = [-58, -50.44, -37.900256, -7.0300398053785, 122.604254178337, -66.420397909258];
    const membrane = (await h.data()) as Float64Array;
    for (const [t, value] of expected.entries()) expect(membrane[t]).toBeCloseTo(value, 9);
    expect([...(await s.data())]).toEqual([0, 0, 0, 0, 1, 0]);
    expect(await vT.item()).toBeCloseTo(-66.420397909258, 9);
    expect(await uT.item()).toBeCloseTo(-4.579602090742 + 0.02 * (-13 - -4.579602090742), 9);
  });

  it('shows the firing patterns of the paper’s cell classes under a constant current', async () => {
    const rt = runtime();
    const intervals = async (cell: CellType) => {
      const params = CELL_TYPES[cell];
      const x = rt.full([1000, 1], 10, { dtype: 'float64' }); // 500 ms at dt = 0.5 ms
      const v0 = rt.tensor([-65], { dtype: 'float64' });
      const { s } = scan(rt, x, v0, v0.mul(params.b), {
        ...params,
        dt: 0.5,
        vPeak: 30,
        detachReset: false,
        surrogate,
      });
      const times = [...(await s.data())].flatMap((spike, t) => (spike ? [t * 0.5] : []));
      return times.slice(1).map((t, i) => t - times[i]!);
    };
    const rs = await intervals('regular-spiking');
    const fs = await intervals('fast-spiking');
    const ib = await intervals('intrinsically-bursting');
    // Regular spiking adapts: the first interval is short, later ones settle at a longer period.
    expect(rs[0]!).toBeLessThan(0.7 * rs.at(-1)!);
    // Fast spiking fires several times as often, with little adaptation.
    expect(fs.length).toBeGreaterThan(3 * rs.length);
    expect(fs.at(-1)! / fs[0]!).toBeLessThan(2);
    // Intrinsically bursting: an initial burst, then tonic spikes far apart.
    expect(Math.max(ib[0]!, ib[1]!)).toBeLessThan(10);
    expect(Math.min(...ib.slice(3))).toBeGreaterThan(25);
  });

  it('backpropagates exactly as the same recurrence unrolled with kernel ops and the surrogate step', async () => {
    for (const detachReset of [false, true]) {
      const rt = runtime();
      const attrs: IzhikevichAttrs = { ...CELL_TYPES.chattering, dt: 0.5, vPeak: 30, detachReset, surrogate };
      const [T, n] = [16, 5];
      const x = rt.rand([T, n], { low: 0, high: 40, dtype: 'float64' });
      const v0 = rt.rand([n], { low: -70, high: -60, dtype: 'float64' });
      const u0 = v0.mul(attrs.b);
      const weights = [
        rt.randn([T, n], { dtype: 'float64' }),
        rt.randn([T, n], { dtype: 'float64' }),
        rt.randn([n], { dtype: 'float64' }),
        rt.randn([n], { dtype: 'float64' }),
      ];
      const loss = (outs: Tensor[]) =>
        outs.map((o, k) => o.mul(weights[k]!).sum()).reduce((p, q) => p.add(q));
      const grads = (run: (x: Tensor, v0: Tensor, u0: Tensor) => Tensor[]) => {
        const leaves = [x, v0, u0].map((t) => t.detach().requireGrad());
        loss(run(leaves[0]!, leaves[1]!, leaves[2]!)).backward();
        return Promise.all(leaves.map(async (l) => [...(await l.grad!.data())]));
      };
      const fused = await grads((x, v0, u0) => Object.values(scan(rt, x, v0, u0, attrs)));
      const unrolled = await grads((x, v0, u0) => unrolledScan(x, v0, u0, attrs));
      const spikes = await scan(rt, x, v0, u0, attrs).s.sum().item();
      expect(spikes).toBeGreaterThan(5); // the resets are exercised
      for (const [k, g] of fused.entries()) {
        for (const [i, value] of g.entries()) expect(value).toBeCloseTo(unrolled[k]![i]!, 8);
      }
    }
  });

  it('has a surrogate whose φ is the derivative of its smooth step', () => {
    const rt = runtime();
    const z = [-40, -3, -0.5, 0.25, 2, 35];
    const phi = [
      ...izhikevichSurrogate.derivative(rt.tensor(z, { dtype: 'float64' }), { width: 10 }).dataSync(),
    ];
    z.forEach((zi, i) => {
      const numeric =
        (izhikevichSurrogate.primitive(zi + 1e-6, { width: 10 }) -
          izhikevichSurrogate.primitive(zi - 1e-6, { width: 10 })) /
        2e-6;
      expect(phi[i]).toBeCloseTo(numeric, 8);
    });
  });

  it('builds as a node type from a config and trains: its spikes carry gradient to the weights', async () => {
    const rt = runtime();
    const model = buildModel(rt, {
      type: 'sequential',
      layers: [
        { type: 'linear', inFeatures: 4, outFeatures: 6 },
        { type: 'izhikevich', gain: 40 },
      ],
    });
    const out = model.forward(rt.rand([20, 3, 4]));
    expect(out.dtype).toBe('spike');
    expect(out.shape).toEqual([20, 3, 6]);
    out.sum().backward();
    const grad = model.parameters()[0]!.grad!;
    expect(await grad.abs().sum().item()).toBeGreaterThan(0);
  });
});

/** The same Euler recurrence, one step at a time with kernel ops; s = step(z) + F(z) − F(z).detach(). */
function unrolledScan(x: Tensor, v0: Tensor, u0: Tensor, p: IzhikevichAttrs): Tensor[] {
  const [T, n] = x.shape as [number, number];
  let [v, u] = [v0, u0];
  const spikes: Tensor[] = [];
  const membranes: Tensor[] = [];
  for (let t = 0; t < T; t++) {
    const xt = x.slice([t, 0], [t + 1, n]).reshape([n]);
    const h = v.add(v.square().mul(0.04).add(v.mul(5)).add(140).sub(u).add(xt).mul(p.dt));
    const m = u.add(
      v
        .mul(p.b)
        .sub(u)
        .mul(p.a * p.dt),
    );
    const z = h.sub(p.vPeak);
    const smooth = z.div(10).div(z.abs().div(10).add(1)).mul(0.5).add(0.5);
    const s = z.ge(0).cast('float64').add(smooth.sub(smooth.detach()));
    const reset = p.detachReset ? s.detach() : s;
    v = h.add(reset.mul(h.neg().add(p.c)));
    u = m.add(reset.mul(p.d));
    spikes.push(s.reshape([1, n]));
    membranes.push(h.reshape([1, n]));
  }
  return [ops.concat(spikes, 0), ops.concat(membranes, 0), v, u];
}

import { definePlugin, type Tensor } from '@neurite/kernel';
import neuronLif, { defineSurrogate, lifScan, type ScanOptions, surrogateSpike } from '@neurite/neuron-lif';
import { type } from 'arktype';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectClose, type GpuSetup, gpuSetup, sameOnBoth } from './helpers.js';

let setup: GpuSetup;
beforeAll(async () => {
  setup = await gpuSetup();
  setup.rt.use(neuronLif());
  // A surrogate without a fused form: the scan's backward receives φ precomputed ('given').
  setup.rt.use(
    definePlugin({
      name: 'test-surrogates',
      version: '1.0.0',
      apiVersion: '^1.0.0',
      setup(ctx) {
        ctx.register(
          'surrogate',
          defineSurrogate({
            name: 'test-gauss',
            description: 'exp(-z²) (no fused form)',
            options: type({}),
            derivative: (z) => z.square().neg().exp(),
            primitive: (z) => z,
          }),
        );
      },
    }),
  );
});
afterAll(() => setup.gpu.dispose());

interface Variant {
  readonly name: string;
  readonly perNeuron?: boolean;
  readonly synapse?: boolean;
  readonly adaptive?: boolean;
  readonly spiking?: boolean;
  readonly state?: boolean;
  readonly options?: ScanOptions;
}

const T = 12;
const B = 3;
const P = 5;

/** Runs the scan and its backward on one backend; returns outputs and gradients as host arrays. */
async function scanOn(backend: 'cpu' | 'webgpu', v: Variant, seed: number) {
  const { rt } = setup;
  rt.seed(seed);
  const make = (shape: number[], f: (t: Tensor) => Tensor = (t) => t) => f(rt.randn(shape));
  const pShape = v.perNeuron ? [P] : [1];
  const host = {
    x: make([T, B, P], (t) => t.mul(0.8).add(0.35)),
    beta: make(pShape, (t) => t.abs().mul(0.1).add(0.8)),
    threshold: make(pShape, (t) => t.abs().mul(0.2).add(0.9)),
    alpha: make(pShape, (t) => t.abs().mul(0.1).add(0.5)),
    rho: make(pShape, (t) => t.abs().mul(0.1).add(0.7)),
    kappa: make(pShape, (t) => t.abs().mul(0.1).add(0.2)),
    v0: make([B, P], (t) => t.mul(0.3)),
    i0: make([B, P], (t) => t.mul(0.3)),
    a0: make([B, P], (t) => t.abs().mul(0.3)),
    ws: make([T, B, P]),
    wh: make([T, B, P]),
    wv: make([B, P]),
  };
  const dev = async (t: Tensor) => (backend === 'cpu' ? t : t.to('webgpu'));
  const leaf = async (t: Tensor) => (await dev(t)).requireGrad();
  const x = await leaf(host.x);
  const params = {
    beta: await leaf(host.beta),
    ...(v.spiking === false ? {} : { threshold: await leaf(host.threshold) }),
    ...(v.synapse ? { alpha: await leaf(host.alpha) } : {}),
    ...(v.adaptive ? { rho: await leaf(host.rho), kappa: await leaf(host.kappa) } : {}),
  };
  const state = v.state
    ? {
        v: await leaf(host.v0),
        ...(v.synapse ? { i: await leaf(host.i0) } : {}),
        ...(v.adaptive ? { a: await leaf(host.a0) } : {}),
      }
    : {};
  const out = lifScan(x, params, state, { ...(v.spiking === false ? { spiking: false } : {}), ...v.options });
  let loss = out.membrane
    .mul(await dev(host.wh))
    .sum()
    .add(out.state.v.mul(await dev(host.wv)).sum());
  if (out.spikes) loss = loss.add(out.spikes.mul(await dev(host.ws)).sum());
  if (out.current) loss = loss.add(out.current.square().sum());
  if (out.adaptation) loss = loss.add(out.adaptation.mul(0.5).sum());
  loss.backward();
  const leaves: [string, Tensor | undefined][] = [
    ['x', x],
    ...Object.entries(params),
    ...Object.entries(state),
  ];
  const read = async (t: Tensor | null | undefined) => (t ? await t.data() : null);
  return {
    spikes: await read(out.spikes),
    membrane: await read(out.membrane),
    current: await read(out.current),
    adaptation: await read(out.adaptation),
    vT: await read(out.state.v),
    grads: Object.fromEntries(
      await Promise.all(leaves.map(async ([k, t]) => [k, await read(t?.grad)] as const)),
    ),
  };
}

const VARIANTS: Variant[] = [
  { name: 'LIF, subtract reset, atan' },
  {
    name: 'LIF per neuron, zero reset, fast-sigmoid, initial state',
    perNeuron: true,
    state: true,
    options: { reset: 'zero', vReset: 0.1, surrogate: { name: 'fast-sigmoid', slope: 25 } },
  },
  { name: 'IF without reset, sigmoid', options: { reset: 'none', surrogate: { name: 'sigmoid', slope: 5 } } },
  {
    name: 'current-based LIF, triangle, detached reset',
    synapse: true,
    state: true,
    options: { detachReset: true, surrogate: { name: 'triangle', width: 0.5, scale: 1 } },
  },
  {
    name: 'adaptive LIF, straight-through',
    adaptive: true,
    state: true,
    perNeuron: true,
    options: { surrogate: { name: 'straight-through', scale: 0.5 } },
  },
  {
    name: 'adaptive current-based LIF, PDSG',
    synapse: true,
    adaptive: true,
    options: { surrogate: { name: 'pdsg', scope: 'channel' } },
  },
  {
    name: 'LIF with a precomputed surrogate (given)',
    state: true,
    options: { surrogate: { name: 'test-gauss' } },
  },
  { name: 'leaky integrator (no spikes)', spiking: false, synapse: true, state: true },
];

describe('fused LIF scans equal the cpu kernels (OPS.md contract)', () => {
  for (const [k, v] of VARIANTS.entries()) {
    it(v.name, async () => {
      const cpu = await scanOn('cpu', v, 100 + k);
      const gpu = await scanOn('webgpu', v, 100 + k);
      // float32 operation order is fixed by the contract; a GPU compiler may still fuse a·b + c,
      // so membranes agree to 1e-5 and spikes exactly (no membrane here is that close to threshold).
      expect(gpu.spikes).toEqual(cpu.spikes);
      for (const key of ['membrane', 'current', 'adaptation', 'vT'] as const) {
        if (cpu[key]) expectClose(gpu[key]!, cpu[key]!, 1e-5, 1e-5);
        else expect(gpu[key]).toBeNull();
      }
      for (const [name, g] of Object.entries(cpu.grads)) {
        expect(gpu.grads[name], name).not.toBeNull();
        let scale = 0;
        for (const value of g!) scale = Math.max(scale, Math.abs(value));
        expectClose(gpu.grads[name]!, g!, 1e-4, 1e-4 * scale + 1e-6);
      }
    });
  }

  it('surrogate_spike: the step forward on the device, its surrogate gradient with tensor ops', async () => {
    const { rt } = setup;
    const z = rt.randn([7, 11]);
    await sameOnBoth([z], (v) => surrogateSpike(v, { name: 'atan', alpha: 2 }));
    await sameOnBoth([z], (v) => {
      const leaf = v.detach().requireGrad();
      surrogateSpike(leaf, { name: 'fast-sigmoid', slope: 25 }).sum().backward();
      return leaf.grad!;
    });
  });

  it('runs the scans and their backward on the device (no cpu fallback)', () => {
    expect(setup.warnings.filter((w) => /lif_scan|surrogate_spike/.test(w))).toEqual([]);
    expect(setup.warnings).toEqual([]);
  });
});

import type { Runtime, Tensor } from '@neurite/kernel';
import lifPlugin from '@neurite/neuron-lif';
import { afterAll, describe, expect, it } from 'vitest';
import { expectClose, expectIdentical, normals, spikes, wasmRuntime } from './helpers.js';

const settings = await Promise.all(
  [1, 2].map(async (threads) => {
    const s = await wasmRuntime(threads, 7);
    s.rt.use(lifPlugin());
    return s;
  }),
);
afterAll(() => {
  for (const { backend } of settings) backend.dispose?.();
});

interface Case {
  readonly name: string;
  readonly synapse: boolean;
  readonly adaptive: boolean;
  readonly spiking: boolean;
  readonly reset: 'subtract' | 'zero' | 'none';
  readonly perNeuron: boolean;
  readonly withState: boolean;
}

const CASES: Case[] = [
  {
    name: 'LIF subtract',
    synapse: false,
    adaptive: false,
    spiking: true,
    reset: 'subtract',
    perNeuron: false,
    withState: false,
  },
  {
    name: 'LIF zero reset, per-neuron β',
    synapse: false,
    adaptive: false,
    spiking: true,
    reset: 'zero',
    perNeuron: true,
    withState: true,
  },
  {
    name: 'LIF no reset',
    synapse: false,
    adaptive: false,
    spiking: true,
    reset: 'none',
    perNeuron: false,
    withState: true,
  },
  {
    name: 'current-based LIF',
    synapse: true,
    adaptive: false,
    spiking: true,
    reset: 'subtract',
    perNeuron: true,
    withState: true,
  },
  {
    name: 'adaptive LIF',
    synapse: false,
    adaptive: true,
    spiking: true,
    reset: 'subtract',
    perNeuron: true,
    withState: true,
  },
  {
    name: 'adaptive current-based, zero reset',
    synapse: true,
    adaptive: true,
    spiking: true,
    reset: 'zero',
    perNeuron: false,
    withState: false,
  },
  {
    name: 'leaky integrator',
    synapse: false,
    adaptive: false,
    spiking: false,
    reset: 'subtract',
    perNeuron: false,
    withState: true,
  },
  {
    name: 'current-based leaky integrator',
    synapse: true,
    adaptive: false,
    spiking: false,
    reset: 'subtract',
    perNeuron: true,
    withState: false,
  },
];

/** Every canonical surrogate of OPS.md; pdsg takes σ per step (or per step and neuron), given takes φ. */
const SURROGATES: { name: string; [p: string]: number | string }[] = [
  { name: 'atan', alpha: 2 },
  { name: 'fast-sigmoid', slope: 25 },
  { name: 'sigmoid', slope: 5 },
  { name: 'triangle', width: 0.5, scale: 1.5 },
  { name: 'straight-through', scale: 0.7 },
  { name: 'pdsg', sigma: 'per step' },
  { name: 'pdsg', sigma: 'per neuron' },
  { name: 'given' },
];

/** Input 19 of lif_scan_grad for a surrogate (σ for pdsg, φ for given), or null. */
function surrogateInput(
  s: (typeof SURROGATES)[number],
  T: number,
  n: number,
  P: number,
): { data: Float32Array; shape: number[] } | null {
  const wave = (length: number, scale: number, offset: number) =>
    Float32Array.from({ length }, (_, k) => offset + scale * Math.abs(Math.sin(k * 1.3)));
  if (s.name === 'pdsg')
    return s.sigma === 'per step'
      ? { data: wave(T, 0.5, 0.2), shape: [T] }
      : { data: wave(T * P, 0.5, 0.2), shape: [T, P] };
  if (s.name === 'given') return { data: wave(T * n, 1, 0), shape: [T, n / P, P] };
  return null;
}

/** The 9 inputs of lif_scan on one backend, from fixed host data. [T, B, P] with P = 13 (odd tails). */
function scanInputs(
  rt: Runtime,
  c: Case,
  backend: 'cpu' | 'wasm',
  data: ReturnType<typeof scanData>,
): Tensor[] {
  const on = (d: Float32Array, shape: number[]) => rt.fromArray(d, shape, { backend });
  const absent = rt.zeros([0], { backend });
  const param = (d: Float32Array) => (c.perNeuron ? on(d, [data.P]) : on(d.subarray(0, 1), [1]));
  const state = [data.B, data.P];
  return [
    on(data.x, [data.T, data.B, data.P]),
    c.withState ? on(data.v0, state) : absent,
    c.withState && c.synapse ? on(data.i0, state) : absent,
    c.withState && c.adaptive ? on(data.a0, state) : absent,
    param(data.beta),
    c.synapse ? param(data.alpha) : absent,
    c.spiking ? param(data.threshold) : absent,
    c.adaptive ? param(data.rho) : absent,
    c.adaptive ? param(data.kappa) : absent,
  ];
}

function scanData(rt: Runtime) {
  const T = 9;
  const B = 3;
  const P = 13;
  const uniform = (lo: number, hi: number) =>
    rt.rand([P], { low: lo, high: hi, backend: 'cpu' }).dataSync() as Float32Array;
  const x = normals(rt, [T, B, P]).map((v) => v * 0.8 + 0.3);
  return {
    T,
    B,
    P,
    x,
    v0: normals(rt, [B, P]).map((v) => v * 0.3),
    i0: normals(rt, [B, P]).map((v) => v * 0.3),
    a0: rt.rand([B, P], { backend: 'cpu' }).dataSync() as Float32Array,
    beta: uniform(0.7, 0.99),
    alpha: uniform(0.5, 0.9),
    threshold: uniform(0.8, 1.2),
    rho: uniform(0.8, 0.95),
    kappa: uniform(0.05, 0.3),
  };
}

describe.each(settings.map((s) => [s.backend.threads, s] as const))(
  'lif_scan on wasm, %i thread(s)',
  (_threads, { rt }) => {
    it.each(CASES.map((c) => [c.name, c] as const))('%s: forward equals cpu bit for bit', (_name, c) => {
      const data = scanData(rt);
      const attrs = {
        spiking: c.spiking,
        synapse: c.synapse,
        adaptive: c.adaptive,
        reset: c.reset,
        vReset: -0.25,
        detachReset: false,
        surrogate: { name: 'atan', alpha: 2 },
      };
      const cpu = rt.run('lif_scan', scanInputs(rt, c, 'cpu', data), attrs);
      const wasm = rt.run('lif_scan', scanInputs(rt, c, 'wasm', data), attrs);
      expect(wasm[1]!.backend).toBe('wasm');
      for (let k = 0; k < 7; k++) {
        expect(wasm[k]!.shape).toEqual(cpu[k]!.shape);
        expect(wasm[k]!.dtype).toBe(cpu[k]!.dtype);
        expectIdentical(wasm[k]!, cpu[k]!);
      }
      if (c.spiking) expect((cpu[0]!.dataSync() as Uint8Array).some((v) => v === 1)).toBe(true);
    });

    it.each(CASES.map((c) => [c.name, c] as const))(
      '%s: lif_scan_grad equals cpu for every surrogate',
      (_name, c) => {
        const data = scanData(rt);
        for (const surrogate of SURROGATES) {
          for (const detachReset of [false, true]) {
            const { sigma: _sigma, ...kernelSurrogate } = surrogate;
            const attrs = {
              spiking: c.spiking,
              synapse: c.synapse,
              adaptive: c.adaptive,
              reset: c.reset,
              vReset: -0.25,
              detachReset,
              surrogate: kernelSurrogate,
            };
            const surr = surrogateInput(surrogate, data.T, data.B * data.P, data.P);
            const run = (backend: 'cpu' | 'wasm') => {
              const inputs = scanInputs(rt, c, backend, data);
              const fwd = rt.run('lif_scan', inputs, { ...attrs, surrogate: { name: 'atan', alpha: 2 } });
              const { T, B, P } = data;
              const on = (d: Float32Array, shape: number[]) => rt.fromArray(d, shape, { backend });
              const absent = rt.zeros([0], { backend });
              const seq = [T, B, P];
              const state = [B, P];
              const g = gradData(rt, data);
              const gradInputs = [
                c.spiking ? on(g.gs, seq) : absent,
                on(g.gh, seq),
                c.synapse ? on(g.gi, seq) : absent,
                c.adaptive ? on(g.ga, seq) : absent,
                on(g.gvT, state),
                c.synapse ? on(g.giT, state) : absent,
                c.adaptive ? on(g.gaT, state) : absent,
                fwd[0]!,
                fwd[1]!,
                fwd[2]!,
                fwd[3]!,
                inputs[1]!,
                inputs[2]!,
                inputs[3]!,
                ...inputs.slice(4, 9),
                surr ? on(surr.data, surr.shape) : absent,
              ];
              const needs = [
                true,
                true,
                c.synapse,
                c.adaptive,
                true,
                c.synapse,
                c.spiking,
                c.adaptive,
                c.adaptive,
              ];
              return rt.run('lif_scan_grad', gradInputs, { ...attrs, needs });
            };
            const cpu = run('cpu');
            const wasm = run('wasm');
            for (let k = 0; k < 9; k++) expectClose(wasm[k]!, cpu[k]!);
          }
        }
      },
    );
  },
);

/** Fixed incoming gradients for every output of the scan; the data stream is rewound per call. */
function gradData(rt: Runtime, data: ReturnType<typeof scanData>) {
  const { T, B, P } = data;
  const seq = T * B * P;
  const state = B * P;
  const all = Float32Array.from({ length: 4 * seq + 3 * state }, (_, k) => Math.sin(k * 0.7) * 0.5);
  void rt;
  return {
    gs: all.subarray(0, seq),
    gh: all.subarray(seq, 2 * seq),
    gi: all.subarray(2 * seq, 3 * seq),
    ga: all.subarray(3 * seq, 4 * seq),
    gvT: all.subarray(4 * seq, 4 * seq + state),
    giT: all.subarray(4 * seq + state, 4 * seq + 2 * state),
    gaT: all.subarray(4 * seq + 2 * state, 4 * seq + 3 * state),
  };
}

describe('lif_scan through autograd', () => {
  it('gives the same gradients on wasm and cpu for a two-layer spiking net, on 1 and 2 threads', () => {
    const results = settings.map(({ rt }) => {
      const grads: Record<string, Float32Array[]> = {};
      for (const backend of ['cpu', 'wasm'] as const) {
        rt.seed(3);
        const x = rt.fromArray(spikes(rt, [20, 4, 30], 0.2), [20, 4, 30], { backend });
        const w1 = rt
          .fromArray(
            normals(rt, [25, 30]).map((v) => v * 0.4),
            [25, 30],
            { backend },
          )
          .requireGrad();
        const beta = rt.fromArray(new Float32Array([0.9]), [1], { backend }).requireGrad();
        const thr = rt.fromArray(new Float32Array([1]), [1], { backend });
        const cur = x.matmul(w1, { transB: true });
        const out = rt.run(
          'lif_scan',
          [
            cur,
            rt.zeros([0], { backend }),
            rt.zeros([0], { backend }),
            rt.zeros([0], { backend }),
            beta,
            rt.zeros([0], { backend }),
            thr,
            rt.zeros([0], { backend }),
            rt.zeros([0], { backend }),
          ],
          {
            spiking: true,
            synapse: false,
            adaptive: false,
            reset: 'subtract',
            vReset: 0,
            detachReset: false,
            surrogate: { name: 'fast-sigmoid', slope: 25 },
          },
        );
        out[0]!.sum().add(out[1]!.square().mean()).backward();
        grads[backend] = [w1.grad!.dataSync() as Float32Array, beta.grad!.dataSync() as Float32Array];
      }
      return grads;
    });
    for (const grads of results) {
      const [w, b] = grads.wasm!;
      const [wc, bc] = grads.cpu!;
      const scale = Math.max(...wc!.map(Math.abs));
      for (let k = 0; k < wc!.length; k++)
        expect(Math.abs(w![k]! - wc![k]!)).toBeLessThanOrEqual(1e-5 * scale);
      expect(Math.abs(b![0]! - bc![0]!)).toBeLessThanOrEqual(1e-5 * Math.abs(bc![0]!));
    }
    expect(results[1]!.wasm).toEqual(results[0]!.wasm);
  });
});

describe('lif_scan_grad of plain layers without parameter gradients', () => {
  // The common training case (β and θ fixed, one value per layer) runs its own loops on wasm.
  const cases = [
    { spiking: true, surrogate: { name: 'atan', alpha: 2 } },
    { spiking: true, surrogate: { name: 'fast-sigmoid', slope: 25 } },
    { spiking: false, surrogate: { name: 'atan', alpha: 2 } },
  ];
  it.each(cases)('%j equals cpu, and 2 threads equal 1', ({ spiking, surrogate }) => {
    // Large enough (T·n·8 ≥ 2²⁰) to be split across the threads; 139 features leave odd tails.
    const shape = [64, 16, 139];
    const run = (rt: Runtime, backend: 'cpu' | 'wasm') => {
      const data = normals(rt, shape).map((v) => v * 0.6 + 0.4);
      const g = normals(rt, shape);
      const on = (d: Float32Array, sh: number[]) => rt.fromArray(d, sh, { backend });
      const absent = rt.zeros([0], { backend });
      const beta = on(Float32Array.of(0.9), [1]);
      const thr = spiking ? on(Float32Array.of(1), [1]) : absent;
      const inputs = [on(data, shape), absent, absent, absent, beta, absent, thr, absent, absent];
      const attrs = {
        spiking,
        synapse: false,
        adaptive: false,
        reset: 'subtract',
        vReset: 0,
        detachReset: false,
        surrogate,
      };
      const fwd = rt.run('lif_scan', inputs, attrs);
      const incoming = spiking ? [on(g, shape), absent] : [absent, on(g, shape)];
      return rt.run(
        'lif_scan_grad',
        [
          ...incoming,
          absent,
          absent,
          absent,
          absent,
          absent,
          ...fwd.slice(0, 4),
          absent,
          absent,
          absent,
          ...inputs.slice(4),
          absent,
        ],
        { ...attrs, needs: [true, true, false, false, false, false, false, false, false] },
      );
    };
    const [one, two] = settings;
    one!.rt.seed(4);
    const cpu = run(one!.rt, 'cpu');
    one!.rt.seed(4);
    const single = run(one!.rt, 'wasm');
    two!.rt.seed(4);
    const dual = run(two!.rt, 'wasm');
    for (const k of [0, 1]) {
      expectClose(single[k]!, cpu[k]!);
      expectIdentical(dual[k]!, single[k]!);
    }
  });
});

describe('lif_scan split across threads', () => {
  it('gives the cpu result for a scan large enough to run on both threads', () => {
    const [one, two] = settings;
    const shape = [100, 16, 257];
    const x = normals(one!.rt, shape).map((v) => v * 0.5 + 0.2);
    const attrs = {
      spiking: true,
      synapse: false,
      adaptive: false,
      reset: 'subtract',
      vReset: 0,
      detachReset: false,
      surrogate: { name: 'fast-sigmoid', slope: 25 },
    };
    const run = (rt: Runtime, backend: 'cpu' | 'wasm') => {
      const absent = rt.zeros([0], { backend });
      const inputs = [
        rt.fromArray(x, shape, { backend }),
        absent,
        absent,
        absent,
        rt.fromArray([0.9], [1], { backend }),
        absent,
        rt.fromArray([1], [1], { backend }),
        absent,
        absent,
      ];
      const fwd = rt.run('lif_scan', inputs, attrs);
      const gh = rt.fromArray(
        x.map((v) => v * 0.1),
        shape,
        { backend },
      );
      const grad = rt.run(
        'lif_scan_grad',
        [
          absent,
          gh,
          absent,
          absent,
          absent,
          absent,
          absent,
          fwd[0]!,
          fwd[1]!,
          fwd[2]!,
          fwd[3]!,
          absent,
          absent,
          absent,
          ...inputs.slice(4),
          absent,
        ],
        {
          ...attrs,
          surrogate: { name: 'fast-sigmoid', slope: 25 },
          needs: [true, true, false, false, true, false, true, false, false],
        },
      );
      return [...fwd, ...grad];
    };
    const cpu = run(one!.rt, 'cpu');
    const single = run(one!.rt, 'wasm');
    const dual = run(two!.rt, 'wasm');
    for (let k = 0; k < cpu.length; k++) {
      expectIdentical(dual[k]!, single[k]!);
      if (k < 7) expectIdentical(single[k]!, cpu[k]!);
      else expectClose(single[k]!, cpu[k]!);
    }
  });
});

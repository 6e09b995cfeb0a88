import {
  DTypeError,
  defineOp,
  isFloat,
  type Runtime,
  ShapeError,
  type Tensor,
  type TensorMeta,
} from '@neurite/kernel';
import { surrogateOf } from '@neurite/neuron-lif';
import { CELL_TYPES, type IzhikevichAttrs } from './params.js';

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/** x [T, …S] float; v0 and u0 [S] of x's dtype. */
function checkScanInputs(op: string, [x, v0, u0]: readonly TensorMeta[]): readonly number[] {
  if (!x || !v0 || !u0) throw new ShapeError(op, 'expects inputs x, v0 and u0');
  if (!isFloat(x.dtype)) throw new DTypeError(op, `input current must be float, found ${x.dtype}`);
  if (x.shape.length < 1) throw new ShapeError(op, 'input current must be time-major [T, …]', [x.shape]);
  const state = x.shape.slice(1);
  for (const [name, t] of [
    ['v0', v0],
    ['u0', u0],
  ] as const) {
    if (!sameShape(t.shape, state))
      throw new ShapeError(op, `${name} must be [${state.join(', ')}]`, [x.shape, t.shape]);
    if (t.dtype !== x.dtype) throw new DTypeError(op, `${name} must be ${x.dtype}, found ${t.dtype}`);
  }
  return state;
}

/**
 * One op for the whole sequence, with a hand-written backward (`izhikevich_scan_grad`): T Euler steps
 * composed of kernel ops would record about ten small ops per step on the tape; the fused scan records
 * one, and its backward is one pass too.
 */
export const izhikevichScanOp = defineOp<IzhikevichAttrs>({
  name: 'izhikevich_scan',
  infer: (inputs) => {
    const state = checkScanInputs('izhikevich_scan', inputs);
    const { shape, dtype } = inputs[0]!;
    return [
      { shape, dtype: 'spike' },
      { shape, dtype },
      { shape: state, dtype },
      { shape: state, dtype },
    ];
  },
  grad: ({ inputs: [x, v0], outputs: [s, h], grads: [gS, gH, gVT, gUT], attrs, runtime }) => {
    const zeros = (like: Tensor) => runtime.zeros(like.shape, { dtype: h!.dtype, backend: x!.backend });
    const { def, params } = surrogateOf(runtime, attrs.surrogate);
    const phi = def.derivative(h!.sub(attrs.vPeak), params).cast(h!.dtype);
    const [gx, gv0, gu0] = runtime.run(
      'izhikevich_scan_grad',
      [
        v0!,
        h!,
        s!,
        phi,
        (gS ?? zeros(h!)).cast(h!.dtype),
        gH ?? zeros(h!),
        gVT ?? zeros(v0!),
        gUT ?? zeros(v0!),
      ],
      attrs,
    );
    return [gx!, gv0!, gu0!];
  },
  examples: (rt) => [
    {
      // A detached reset makes the backward the exact derivative away from threshold crossings, so the
      // gradient check covers the recurrence through membrane, recovery and both final states.
      label: 'regular spiking, detached reset',
      ...sample(rt, {
        ...CELL_TYPES['regular-spiking'],
        dt: 0.5,
        vPeak: 30,
        detachReset: true,
        surrogate: { name: 'izhikevich', width: 10 },
      }),
      outputs: [1, 2, 3],
    },
    {
      label: 'fast spiking, surrogate reset (shapes only: a surrogate is not the derivative)',
      ...sample(rt, {
        ...CELL_TYPES['fast-spiking'],
        dt: 1,
        vPeak: 30,
        detachReset: false,
        surrogate: { name: 'izhikevich', width: 10 },
      }),
      wrt: [],
    },
  ],
});

/** Strong enough currents over 12 steps that most neurons spike and reset at least once. */
function sample(rt: Runtime, attrs: IzhikevichAttrs) {
  const x = rt.rand([12, 2, 3], { low: 5, high: 40 });
  const v0 = rt.rand([2, 3], { low: -70, high: -60 });
  return { inputs: [x, v0, v0.mul(attrs.b)], attrs };
}

/** The backward pass of `izhikevich_scan` as its own op, so other backends can implement it. */
export const izhikevichScanGradOp = defineOp<IzhikevichAttrs>({
  name: 'izhikevich_scan_grad',
  infer: ([v0, h, s, phi, ...grads]) => {
    if (!v0 || !h || !s || !phi || grads.length !== 4) {
      throw new ShapeError('izhikevich_scan_grad', 'expects v0, h, s, φ and the four output gradients');
    }
    const state = h.shape.slice(1);
    for (const t of [s, phi, grads[0]!, grads[1]!]) {
      if (!sameShape(t.shape, h.shape))
        throw new ShapeError('izhikevich_scan_grad', 'sequences must share h’s shape', [h.shape, t.shape]);
    }
    for (const t of [v0, grads[2]!, grads[3]!]) {
      if (!sameShape(t.shape, state))
        throw new ShapeError('izhikevich_scan_grad', 'states must be [S]', [h.shape, t.shape]);
    }
    return [
      { shape: h.shape, dtype: h.dtype },
      { shape: state, dtype: h.dtype },
      { shape: state, dtype: h.dtype },
    ];
  },
  examples: (rt) => {
    const seq = () => rt.randn([4, 3]);
    const state = () => rt.randn([3]);
    const spikes = rt.fromArray(Uint8Array.from([0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1]), [4, 3]);
    const attrs = {
      ...CELL_TYPES.chattering,
      dt: 1,
      vPeak: 30,
      detachReset: false,
      surrogate: { name: 'izhikevich', width: 10 },
    };
    return [{ inputs: [state(), seq(), spikes, seq(), seq(), seq(), state(), state()], attrs }];
  },
});

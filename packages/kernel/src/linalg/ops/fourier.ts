import { ShapeError } from '../../errors.js';
import { sample } from '../../ops/examples.js';
import { defineOp, type OpDef } from '../../ops/op.js';
import { sumTo } from '../../ops/reduce.js';
import { promote } from '../../tensor/dtype.js';
import { broadcastShapes } from '../../tensor/shape.js';
import type { Tensor } from '../../tensor/tensor.js';
import { nextPowerOfTwo } from '../fft/plan.js';
import { checkFloat } from './shapes.js';

/*
 * Complex values are stored as a trailing axis of size 2 (real, imaginary): the spectrum of a real
 * signal [..., n] is [..., ⌊n/2⌋ + 1, 2]. Conventions follow numpy: rfft is unscaled, irfft scales by
 * 1/n and ignores the imaginary parts of the zero-frequency bin and, for even n, the Nyquist bin.
 */

export interface IrfftAttrs {
  /** The length of the real output signal. */
  readonly n: number;
}

/** Per-bin weights [bins, 1] (broadcast over real/imaginary): `edge` at k = 0 and the even-n Nyquist bin. */
function binWeights(like: Tensor, n: number, edge: number, inner: number): Tensor {
  const bins = (n >> 1) + 1;
  const data = new Float64Array(bins).fill(inner);
  data[0] = edge;
  if (n % 2 === 0) data[bins - 1] = edge;
  const dtype = like.dtype === 'float64' ? 'float64' : 'float32';
  return like.runtime.fromArray(data, [bins, 1], { dtype, backend: like.backend });
}

/**
 * The spectrum along the last axis. rfft is linear with dx_t = Σ_k Re(G_k·e^{2πi·k·t/n}), which is
 * n·irfft of G with the interior bins halved (irfft counts each interior bin twice, for its mirror).
 */
const rfftOp = defineOp({
  name: 'rfft',
  infer: ([x]) => {
    checkFloat('rfft', x!);
    const n = x!.shape.at(-1);
    if (n === undefined || n < 1) throw new ShapeError('rfft', 'needs a last axis of length ≥ 1', [x!.shape]);
    return [{ shape: [...x!.shape.slice(0, -1), (n >> 1) + 1, 2], dtype: x!.dtype }];
  },
  grad: ({ inputs: [x], grads: [g] }) => {
    const n = x!.shape.at(-1)!;
    return [rawIrfft(g!.mul(binWeights(g!, n, 1, 0.5)), n).mul(n)];
  },
  examples: (rt) => [
    { label: 'odd length', inputs: [sample(rt, [2, 5])], attrs: {} },
    { label: 'even length', inputs: [sample(rt, [6])], attrs: {} },
  ],
});

/** The real signal of length n; dY_k = (c_k/n)·rfft(G)_k with c_k = 2 for interior bins, 1 at the edges. */
const irfftOp = defineOp<IrfftAttrs>({
  name: 'irfft',
  infer: ([y], { n }) => {
    checkFloat('irfft', y!);
    const s = y!.shape;
    if (!Number.isInteger(n) || n < 1)
      throw new ShapeError('irfft', `the output length must be a positive integer, found ${n}`);
    if (s.length < 2 || s.at(-1) !== 2 || s.at(-2) !== (n >> 1) + 1) {
      throw new ShapeError('irfft', `expects a spectrum [..., ${(n >> 1) + 1}, 2] for n = ${n}`, [s]);
    }
    return [{ shape: [...s.slice(0, -2), n], dtype: y!.dtype }];
  },
  grad: ({ attrs: { n }, grads: [g] }) => [rawRfft(g!).mul(binWeights(g!, n, 1 / n, 2 / n))],
  examples: (rt) => [
    { label: 'odd length', inputs: [sample(rt, [2, 3, 2])], attrs: { n: 5 } },
    { label: 'even length', inputs: [sample(rt, [4, 2])], attrs: { n: 6 } },
  ],
});

function rawRfft(x: Tensor): Tensor {
  return x.runtime.run1('rfft', [x]);
}

function rawIrfft(y: Tensor, n: number): Tensor {
  return y.runtime.run1('irfft', [y], { n } satisfies IrfftAttrs);
}

/** Cuts or zero-pads `axis` (counted from the end) to `length`. */
function fitAxis(x: Tensor, fromEnd: number, length: number): Tensor {
  const axis = x.rank - fromEnd;
  const current = x.shape[axis]!;
  if (current === length) return x;
  if (current > length) {
    return x.slice(
      x.shape.map(() => 0),
      x.shape.map((d, i) => (i === axis ? length : d)),
    );
  }
  return x.pad(x.shape.map((_, i) => [0, i === axis ? length - current : 0] as const));
}

/**
 * The real FFT along the last axis: [..., n] → [..., ⌊n/2⌋ + 1, 2] (real and imaginary parts on the
 * trailing axis), as numpy's `rfft(x, n)`: with `n`, the signal is cut to or zero-padded to n first.
 * Any length works (Bluestein for lengths that are not powers of two). Differentiable.
 */
export function rfft(x: Tensor, n?: number): Tensor {
  if (x.rank < 1) throw new ShapeError('rfft', 'needs at least one axis', [x.shape]);
  return rawRfft(n === undefined ? x : fitAxis(x, 1, n));
}

/**
 * The inverse of rfft: a spectrum [..., bins, 2] to a real signal [..., n], as numpy's `irfft(X, n)`:
 * n defaults to 2·(bins − 1); bins beyond ⌊n/2⌋ + 1 are dropped and missing ones count as zero.
 * irfft(rfft(x), n) = x for a signal of length n. Differentiable.
 */
export function irfft(y: Tensor, n?: number): Tensor {
  if (y.rank < 2 || y.shape.at(-1) !== 2) {
    throw new ShapeError('irfft', 'expects a spectrum [..., bins, 2] (real and imaginary parts last)', [
      y.shape,
    ]);
  }
  const length = n ?? 2 * (y.shape.at(-2)! - 1);
  if (!Number.isInteger(length) || length < 1) {
    throw new ShapeError('irfft', `the output length must be a positive integer, found ${length}`, [y.shape]);
  }
  return rawIrfft(fitAxis(y, 2, (length >> 1) + 1), length);
}

/** The elementwise complex product y = a·b; its gradients are G·conj(b) and G·conj(a), summed to shape. */
const complexMulOp = defineOp({
  name: 'complex_mul',
  infer: ([a, b]) => {
    checkFloat('complex_mul', a!);
    checkFloat('complex_mul', b!);
    if (a!.shape.at(-1) !== 2 || b!.shape.at(-1) !== 2) {
      throw new ShapeError('complex_mul', 'operands must end in an axis of size 2 (real, imaginary)', [
        a!.shape,
        b!.shape,
      ]);
    }
    const lead = broadcastShapes('complex_mul', a!.shape.slice(0, -1), b!.shape.slice(0, -1));
    return [{ shape: [...lead, 2], dtype: promote(a!.dtype, b!.dtype) }];
  },
  grad: ({ inputs: [a, b], grads: [g] }) => [
    a!.requiresGrad ? sumTo(complexMul(g!, conj(b!)), a!.shape) : null,
    b!.requiresGrad ? sumTo(complexMul(g!, conj(a!)), b!.shape) : null,
  ],
  examples: (rt) => [{ inputs: [sample(rt, [2, 3, 2]), sample(rt, [3, 2])], attrs: {} }],
});

export const fourierOps: OpDef[] = [rfftOp, irfftOp, complexMulOp];

/** The complex conjugate of [..., 2]. */
function conj(z: Tensor): Tensor {
  const dtype = z.dtype === 'float64' ? 'float64' : 'float32';
  return z.mul(z.runtime.fromArray([1, -1], [2], { dtype, backend: z.backend }));
}

/** The elementwise complex product of [..., 2] tensors (real, imaginary last; leading axes broadcast). */
export function complexMul(a: Tensor, b: Tensor): Tensor {
  return a.runtime.run1('complex_mul', [a, b]);
}

/**
 * Causal convolution along the last axis, y_t = Σ_{s=0}^{min(t, K−1)} k_s·x_{t−s} for t < T, of
 * signals x [..., T] with kernels k [..., K] (leading axes broadcast), computed in O((T + K) log(T + K))
 * through real FFTs of a power-of-two length ≥ T + K − 1 (so nothing wraps around). This is the LMU's
 * parallel form, m = H ∗ u with H_t = Ā^t·B̄. Differentiable in both operands.
 */
export function fftConv1d(x: Tensor, k: Tensor): Tensor {
  if (x.rank < 1 || k.rank < 1)
    throw new ShapeError('fftConv1d', 'signal and kernel need a last (time) axis', [x.shape, k.shape]);
  const t = x.shape.at(-1)!;
  const kl = k.shape.at(-1)!;
  if (t < 1 || kl < 1)
    throw new ShapeError('fftConv1d', 'signal and kernel must be non-empty', [x.shape, k.shape]);
  const len = nextPowerOfTwo(t + kl - 1);
  const y = irfft(complexMul(rfft(x, len), rfft(k, len)), len);
  return fitAxis(y, 1, t);
}

import { NeuriteError } from '../errors.js';
import type { Rng } from '../random/rng.js';
import type { Tensor } from '../tensor/tensor.js';

export interface GradcheckOptions {
  /** Central-difference step. */
  readonly eps?: number;
  readonly atol?: number;
  readonly rtol?: number;
  /** Indices of inputs to check (all float inputs by default). */
  readonly wrt?: readonly number[];
  /** Stream for the random projection of the output. */
  readonly rng?: Rng;
}

export interface GradcheckResult {
  readonly ok: boolean;
  readonly maxAbsError: number;
  /** The first mismatches, for the error message. */
  readonly mismatches: readonly { input: number; index: number; analytic: number; numeric: number }[];
}

/**
 * Compares the analytic gradient of `fn` with central finite differences, in float64. The output is
 * projected on a random direction v (checking vᵀJ for the whole Jacobian at once, per input element).
 * Inputs are converted to float64 leaves that require grad; integer inputs (indices) pass unchanged.
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): GradcheckResult {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  const rt = inputs[0]!.runtime;
  const rng = options.rng ?? rt.rng.split();
  const floatIdx = inputs.flatMap((t, i) => (t.dtype === 'float32' || t.dtype === 'float64' ? [i] : []));
  const wrt = options.wrt ?? floatIdx;

  const leaves = inputs.map((t, i) =>
    floatIdx.includes(i) ? rt.fromArray(Float64Array.from(t.dataSync()), t.shape, { dtype: 'float64' }) : t,
  );
  for (const i of wrt) leaves[i]!.requireGrad();
  const out = fn(...leaves);
  if (out.dtype !== 'float64') {
    throw new NeuriteError(
      `gradcheck: the function returned ${out.dtype}; it must keep float64 inputs in float64`,
    );
  }
  const v = rt.fromArray(
    Float64Array.from({ length: out.size }, () => rng.uniform() * 2 - 1),
    out.shape,
    { dtype: 'float64' },
  );
  out.mul(v).sum().backward();

  const project = (args: Tensor[]) =>
    rt.noGrad(
      () =>
        fn(...args)
          .mul(v)
          .sum()
          .dataSync()[0] as number,
    );
  const mismatches: { input: number; index: number; analytic: number; numeric: number }[] = [];
  let maxAbsError = 0;
  for (const i of wrt) {
    const base = leaves[i]!.dataSync() as Float64Array;
    const analytic = leaves[i]!.grad
      ? (leaves[i]!.grad!.dataSync() as Float64Array)
      : new Float64Array(base.length);
    for (let j = 0; j < base.length; j++) {
      const shifted = (delta: number) => {
        const data = base.slice();
        data[j] = data[j]! + delta;
        const args = leaves.map((t, k) =>
          k === i ? rt.fromArray(data, t.shape, { dtype: 'float64' }) : t.detach(),
        );
        return project(args);
      };
      const numeric = (shifted(eps) - shifted(-eps)) / (2 * eps);
      const err = Math.abs(numeric - analytic[j]!);
      maxAbsError = Math.max(maxAbsError, err);
      if (err > atol + rtol * Math.abs(numeric) && mismatches.length < 10) {
        mismatches.push({ input: i, index: j, analytic: analytic[j]!, numeric });
      }
    }
  }
  return { ok: mismatches.length === 0, maxAbsError, mismatches };
}

/** `gradcheck` that throws a NeuriteError describing the first mismatches. */
export function assertGradcheck(
  name: string,
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: GradcheckOptions = {},
): void {
  const r = gradcheck(fn, inputs, options);
  if (!r.ok) {
    const lines = r.mismatches.map(
      (m) => `input ${m.input}[${m.index}]: analytic ${m.analytic}, numeric ${m.numeric}`,
    );
    throw new NeuriteError(`gradcheck ${name} failed (max abs error ${r.maxAbsError}): ${lines.join('; ')}`);
  }
}

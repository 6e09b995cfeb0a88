import { gradcheck } from '../autograd/gradcheck.js';
import type { KernelInput } from '../backend/contract.js';
import { formatShape } from '../errors.js';
import type { OpDef, OpExample } from '../ops/op.js';
import type { Runtime } from '../runtime.js';
import { type DataArray, dtypeOfArray, isFloat } from '../tensor/dtype.js';
import { sizeOf } from '../tensor/shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { expect } from './report.js';

/**
 * Checks one op on its examples: the cpu kernel returns one array per output with exactly the shape
 * and dtype `infer` announced, leaves its inputs untouched and computes the same twice; and, when the
 * op is differentiable, its gradient matches central differences in float64.
 */
export function checkOp(rt: Runtime, op: OpDef, examples: readonly OpExample[]): string {
  const kernel = rt.registry('kernel').get(`${op.name}@cpu`);
  expect(kernel, `has no cpu kernel (every op needs one: ctx.kernel('${op.name}', 'cpu', fn))`);
  expect(examples.length > 0, 'examples() returned no example');
  let worst = 0;
  let gradchecked = 0;
  examples.forEach((example, index) => {
    const label = `example ${example.label ?? index}`;
    const inputs: KernelInput[] = example.inputs.map((t) => ({
      shape: t.shape,
      dtype: t.dtype,
      handle: t.dataSync(),
    }));
    const before = inputs.map((i) => (i.handle as DataArray).slice());
    const outputs = op.infer(inputs, example.attrs);
    const call = { op: op.name, inputs, attrs: example.attrs, outputs, backend: rt.cpu };
    const first = kernel.fn(call) as DataArray[];
    expect(
      first.length === outputs.length,
      `${label}: the kernel returned ${first.length} outputs, infer announced ${outputs.length}`,
    );
    first.forEach((handle, k) => {
      const meta = outputs[k]!;
      expect(ArrayBuffer.isView(handle), `${label}: output ${k} is not a typed array`);
      const found = `${dtypeOfArray(handle)} × ${handle.length}`;
      const announced = `${meta.dtype} × ${sizeOf(meta.shape)} ${formatShape(meta.shape)}`;
      expect(
        dtypeOfArray(handle) === meta.dtype && handle.length === sizeOf(meta.shape),
        `${label}: output ${k} is ${found}, infer announced ${announced}`,
      );
    });
    inputs.forEach((input, k) => {
      expect(
        sameBits(input.handle as DataArray, before[k]!),
        `${label}: the kernel wrote into input ${k} (tensors are immutable)`,
      );
    });
    const second = kernel.fn(call) as DataArray[];
    first.forEach((handle, k) => {
      expect(sameBits(handle, second[k]!), `${label}: output ${k} differs between two runs of the same call`);
    });
    if (!op.grad) return;
    const error = gradcheckExample(
      rt,
      op,
      example,
      outputs.map((m) => m.dtype),
      label,
    );
    if (error !== null) {
      gradchecked++;
      worst = Math.max(worst, error);
    }
  });
  const grads = op.grad ? `; gradcheck on ${gradchecked}, max abs error ${worst.toExponential(1)}` : '';
  return `${examples.length} example(s): outputs match infer${grads}`;
}

/** Gradient check of one example; null when it selects no input or no output to check. */
function gradcheckExample(
  rt: Runtime,
  op: OpDef,
  example: OpExample,
  outputDTypes: readonly string[],
  label: string,
): number | null {
  const floatInputs = example.inputs.flatMap((t, i) => (isFloat(t.dtype) ? [i] : []));
  const wrt = example.wrt ?? floatInputs;
  const projected =
    example.outputs ?? outputDTypes.flatMap((d, i) => (d === 'float32' || d === 'float64' ? [i] : []));
  if (wrt.length === 0 || projected.length === 0) return null;
  // A fixed random direction per output turns several outputs into one scalar; gradcheck projects
  // a single output itself.
  const weights = new Map<number, Tensor>();
  const fn = (...xs: Tensor[]): Tensor => {
    const outs = rt.run(op.name, xs, example.attrs);
    if (outs.length === 1) return outs[0]!;
    let total: Tensor | null = null;
    for (const i of projected) {
      const out = outs[i]!;
      let w = weights.get(i);
      if (!w) weights.set(i, (w = rt.randn(out.shape, { dtype: 'float64' })));
      const term = out.mul(w).sum();
      total = total ? total.add(term) : term;
    }
    return total!;
  };
  const { eps, atol, rtol } = example.tolerance ?? {};
  const result = gradcheck(fn, example.inputs, {
    wrt,
    ...(eps === undefined ? {} : { eps }),
    ...(atol === undefined ? {} : { atol }),
    ...(rtol === undefined ? {} : { rtol }),
  });
  if (!result.ok) {
    const shown = result.mismatches
      .slice(0, 3)
      .map(
        (m) =>
          `input ${m.input}[${m.index}] analytic ${m.analytic.toPrecision(6)}, numeric ${m.numeric.toPrecision(6)}`,
      );
    throw new Error(
      `${label}: gradcheck failed (max abs error ${result.maxAbsError.toExponential(2)}): ${shown.join('; ')}`,
    );
  }
  return result.maxAbsError;
}

/** Element-wise identity, NaN equal to NaN. */
function sameBits(a: DataArray, b: DataArray): boolean {
  if (a.length !== b.length || a.constructor !== b.constructor) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

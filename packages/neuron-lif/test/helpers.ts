import { createRuntime, type Runtime, type Tensor } from '@neurite/kernel';
import lifPlugin from '../src/index.js';

/** A runtime with the neuron plugin installed. */
export function runtime(seed = 1): Runtime {
  return createRuntime({ seed }).use(lifPlugin());
}

/** The project's shared recordings (never copied into the repository). */
export const sharedData = new URL('../../../../shared/data/', import.meta.url);

export function maxAbsDiff(a: Tensor, b: Tensor): number {
  const x = a.dataSync();
  const y = b.dataSync();
  if (x.length !== y.length) throw new Error(`sizes differ: ${x.length} vs ${y.length}`);
  let m = 0;
  for (let k = 0; k < x.length; k++) m = Math.max(m, Math.abs(x[k]! - y[k]!));
  return m;
}

/** Largest |a − b| / (atol + rtol·|b|); ≤ 1 means within tolerance everywhere. */
export function closeness(a: Tensor, b: Tensor, atol = 1e-5, rtol = 1e-4): number {
  const x = a.dataSync();
  const y = b.dataSync();
  if (x.length !== y.length) throw new Error(`sizes differ: ${x.length} vs ${y.length}`);
  let m = 0;
  for (let k = 0; k < x.length; k++)
    m = Math.max(m, Math.abs(x[k]! - y[k]!) / (atol + rtol * Math.abs(y[k]!)));
  return m;
}

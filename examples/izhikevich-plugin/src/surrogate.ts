import { defineSurrogate } from '@neurite/neuron-lif';
import { type } from 'arktype';

/**
 * The Izhikevich neuron's surrogate gradient. Its spike is the step of z = v − v_peak with v in
 * millivolts, so the surrogate is scaled in millivolts too: a fast sigmoid of unit area and half-width
 * `width` mV, φ(z) = 1 / (2w·(1 + |z|/w)²), the derivative of the smooth step ½ + ½·(z/w)/(1 + |z|/w).
 * Surrogates sized for thresholds of 1 (atan with α = 2) would be nearly zero a few mV from the peak.
 * Registered into the `surrogate` registry that @neurite/neuron-lif declares, so LIF layers can use it
 * too.
 */
export const izhikevichSurrogate = defineSurrogate({
  name: 'izhikevich',
  description: 'unit-area fast sigmoid in millivolts: 1/(2w·(1 + |z|/w)²), w = 10 mV (Izhikevich neurons)',
  options: type({ width: 'number > 0 = 10' }),
  derivative: (z, { width }) =>
    z
      .abs()
      .div(width)
      .add(1)
      .square()
      .mul(2 * width)
      .reciprocal(),
  primitive: (z, { width }) => 0.5 + (0.5 * (z / width)) / (1 + Math.abs(z) / width),
});

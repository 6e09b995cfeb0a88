import { Frame } from './frame.js';
import type { WasmKernel } from './kernel.js';

interface AdamUpdateAttrs {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  readonly decoupled: boolean;
  readonly amsgrad: boolean;
  readonly maximize: boolean;
  readonly step: number;
}

/** The kernel's fused `adam_update` for float32 parameters; identical to the cpu kernel's results. */
export const adamUpdate: WasmKernel<AdamUpdateAttrs> = ({ inputs, attrs, outputs }, engine) => {
  if (outputs[0]!.dtype !== 'float32') return null;
  const n = inputs[0]!.handle.length;
  const frame = new Frame(engine.arena);
  const desc = frame.region(18);
  const [p, g, m, v, vMax = 0] = inputs.map((i) => frame.input(i.handle));
  const outs = outputs.map(() => frame.region(n));
  frame.commit();
  const { lr, beta1, beta2, eps, weightDecay, decoupled, amsgrad, maximize, step } = attrs;
  new Float64Array(engine.arena.memory.buffer, desc, 9).set([
    lr,
    beta1,
    beta2,
    eps,
    weightDecay,
    lr / (1 - beta1 ** step),
    Math.sqrt(1 - beta2 ** step),
    1 - lr * weightDecay,
    (decoupled ? 1 : 0) | (amsgrad ? 2 : 0) | (maximize ? 4 : 0),
  ]);
  // Counted as 16 multiply-adds a parameter (about twenty double-precision operations).
  engine.run(
    'adamUpdate',
    [desc, p!, g!, m!, v!, vMax, outs[0]!, outs[1]!, outs[2]!, outs[3] ?? 0, n],
    16 * n,
  );
  return outs.map((ptr) => frame.f32(ptr, n));
};

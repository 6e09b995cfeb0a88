import { filled } from './arrays.js';
import type { NirArray, NirField } from './types.js';

/**
 * The fields of every NIR node type (reference library `nir/ir/*.py`, NIR 1.0), in the order the
 * reference writes them, with NIR's defaults for the fields older files lack:
 * - `v_reset` (IF, LIF, CubaLIF; added in 2025): zeros shaped like `v_threshold`;
 * - `w_in` (CubaLI, CubaLIF; absent before NIR 0.2): ones;
 * - Flatten `start_dim` 1, `end_dim` −1, `input_type` and a convolution's `input_shape`: optional
 *   (absent in NIR 0.1.x; shapes are then inferred from the graph).
 */

export type FieldKind = 'real' | 'integer' | 'integer-or-string';

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  /** Absent: required. 'optional': may be missing. A function: the default, from the fields present. */
  readonly fallback?: 'optional' | ((fields: ReadonlyMap<string, NirField>) => NirField);
}

export interface NodeSchema {
  readonly fields: readonly FieldSpec[];
  /** Neuron-like nodes: every real field has one shape (the neurons' shape), or size 1. */
  readonly elementwise?: boolean;
}

const real = (name: string): FieldSpec => ({ name, kind: 'real' });
const integer = (name: string, fallback?: FieldSpec['fallback']): FieldSpec =>
  fallback ? { name, kind: 'integer', fallback } : { name, kind: 'integer' };

/** Zeros or ones shaped and typed like another field (as numpy's zeros_like). */
const like =
  (source: string, value: number) =>
  (fields: ReadonlyMap<string, NirField>): NirField => {
    const s = fields.get(source) as NirArray;
    return filled(s.shape, value, s.dtype === 'float64' ? 'float64' : 'float32');
  };

const vReset: FieldSpec = { name: 'v_reset', kind: 'real', fallback: like('v_threshold', 0) };
const wInLike = (source: string): FieldSpec => ({ name: 'w_in', kind: 'real', fallback: like(source, 1) });

const conv: NodeSchema = {
  fields: [
    { name: 'input_shape', kind: 'integer', fallback: 'optional' },
    real('weight'),
    integer('stride'),
    { name: 'padding', kind: 'integer-or-string' },
    integer('dilation'),
    integer('groups'),
    real('bias'),
  ],
};

const pool: NodeSchema = { fields: [integer('kernel_size'), integer('stride'), integer('padding')] };

export const NIR_SCHEMAS: Readonly<Record<string, NodeSchema>> = {
  Input: { fields: [integer('shape')] },
  Output: { fields: [integer('shape')] },
  Affine: { fields: [real('weight'), real('bias')] },
  Linear: { fields: [real('weight')] },
  Scale: { fields: [real('scale')], elementwise: true },
  Threshold: { fields: [real('threshold')], elementwise: true },
  Delay: { fields: [real('delay')], elementwise: true },
  I: { fields: [real('r')], elementwise: true },
  IF: { fields: [real('r'), real('v_threshold'), vReset], elementwise: true },
  LI: { fields: [real('tau'), real('r'), real('v_leak')], elementwise: true },
  LIF: { fields: [real('tau'), real('r'), real('v_leak'), real('v_threshold'), vReset], elementwise: true },
  CubaLI: {
    fields: [real('tau_syn'), real('tau_mem'), real('r'), real('v_leak'), wInLike('v_leak')],
    elementwise: true,
  },
  CubaLIF: {
    fields: [
      real('tau_syn'),
      real('tau_mem'),
      real('r'),
      real('v_leak'),
      real('v_threshold'),
      vReset,
      wInLike('v_threshold'),
    ],
    elementwise: true,
  },
  Conv1d: conv,
  Conv2d: conv,
  SumPool2d: pool,
  AvgPool2d: pool,
  Flatten: {
    fields: [
      { name: 'input_type', kind: 'integer', fallback: 'optional' },
      integer('start_dim', () => ({ dtype: 'int64', shape: [], data: Float64Array.of(1) })),
      integer('end_dim', () => ({ dtype: 'int64', shape: [], data: Float64Array.of(-1) })),
    ],
  },
};

/** The node types this package reads, simulates and writes (besides NIRGraph). */
export const NIR_NODE_TYPES = Object.keys(NIR_SCHEMAS);

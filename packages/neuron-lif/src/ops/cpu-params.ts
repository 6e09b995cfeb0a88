import type { DataArray } from '@neurite/kernel';

/** Host view of a per-layer or per-neuron parameter: value for neuron f of P (OPS.md "Parameters"). */
export interface ParamView {
  readonly data: DataArray;
  /** 0 for a single value, 1 for one value per neuron. */
  readonly stride: 0 | 1;
}

export function paramView(data: DataArray | undefined): ParamView | null {
  if (!data || data.length === 0) return null;
  return { data, stride: data.length === 1 ? 0 : 1 };
}

/** Rounding to the tensor dtype after each operation: float32 rounds, float64 keeps the double. */
export type Round = (x: number) => number;
const keep: Round = (x) => x;
export const roundFor = (dtype: string): Round => (dtype === 'float64' ? keep : Math.fround);

import { readFileSync } from 'node:fs';
import { createRuntime, type Runtime } from '@neurite/kernel';
import neuronLif from '@neurite/neuron-lif';
import nir from '../src/index.js';

/** The shared real-data folder (../shared/data from the repository root). */
export const DATA = new URL('../../../../shared/data/', import.meta.url);

export function fixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`nir/${name}`, DATA)));
}

export function fixtureText(name: string): string {
  return readFileSync(new URL(`nir/${name}`, DATA), 'utf8');
}

/** A runtime with the neuron plugin and this plugin installed. */
export function runtime(seed = 0): Runtime {
  return createRuntime({ seed }).use(neuronLif()).use(nir());
}

/** (input, voltage, spike) rows of the NIR paper's LIF traces. */
export function lifTrace(name: string): { input: Float64Array; voltage: Float64Array; spike: Float64Array } {
  const rows = fixtureText(name)
    .trim()
    .split('\n')
    .map((l) => l.split(',').map(Number));
  return {
    input: Float64Array.from(rows, (r) => r[0]!),
    voltage: Float64Array.from(rows, (r) => r[1]!),
    spike: Float64Array.from(rows, (r) => r[2]!),
  };
}

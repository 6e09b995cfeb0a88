import { describe, expect, it } from 'vitest';
import { buildNirModule, defaultRecord, exportNir, readNir, runRecorded, writeNir } from '../src/index.js';
import { fixture, runtime } from './helpers.js';

async function roundTrip(name: string, inputShape: number[], T: number) {
  const rt = runtime(3);
  const doc = await readNir(fixture(name), name);
  const { module } = buildNirModule(rt, doc.graph, { dt: 1e-4 });
  const x = rt.bernoulli(0.3, [T, 2, ...inputShape]);
  const first = runRecorded(module, x, defaultRecord(module));
  const { graph, warnings } = exportNir(rt, module, { dt: 1e-4 });
  expect(warnings).toEqual([]);
  const again = buildNirModule(rt, (await readNir(await writeNir(graph), 'exported')).graph, {
    dt: 1e-4,
  }).module;
  const second = runRecorded(again, x, defaultRecord(again));
  expect(second.records.map((r) => `${r.node}.${r.state}`)).toEqual(
    first.records.map((r) => `${r.node}.${r.state}`),
  );
  for (const [i, r] of first.records.entries()) {
    expect(Array.from(second.records[i]!.value.dataSync()), `${r.node}.${r.state}`).toEqual(
      Array.from(r.value.dataSync()),
    );
  }
  return { rt, module, x, first };
}

describe('models from other frameworks: import, run, re-export, re-import', () => {
  it('braille_noDelay_bias_zero.nir (recurrent CubaLIF) runs step by step with one recurrent edge', async () => {
    const { module, first } = await roundTrip('braille_noDelay_bias_zero.nir', [12], 30);
    expect(module.recurrentEdges()).toEqual([['lif1.w_rec', 'lif1.lif']]);
    expect(first.output.shape).toEqual([30, 2, 7]);
    expect(first.records.map((r) => `${r.node}.${r.state}`)).toEqual(['output.out', 'lif1.lif.v', 'lif2.v']);
    // The hidden layer is driven: some spikes, not all.
    const v = first.records[1]!.value.dataSync();
    expect(v.some((e) => e !== 0)).toBe(true);
  });

  it('the recurrent edge carries the previous step: it changes nothing at step 0, everything after', async () => {
    const rt = runtime();
    const doc = await readNir(fixture('braille_noDelay_bias_zero.nir'));
    const x = rt.bernoulli(0.3, [3, 1, 12]);
    const current = (zeroRecurrence: boolean) => {
      const { module } = buildNirModule(rt, doc.graph, { dt: 1e-4 });
      if (zeroRecurrence) {
        const state = module.stateDict();
        for (const k of ['lif1.w_rec.weight', 'lif1.w_rec.bias'])
          state.get(k)!.assign(rt.zeros(state.get(k)!.shape));
      }
      return runRecorded(module, x, [{ node: 'lif1.lif', state: 'i' }]).records[0]!.value.dataSync();
    };
    const withRec = current(false);
    const without = current(true);
    // Step 0 (38 neurons): identical; step 1: the recurrent Affine's output (at least its bias) has arrived.
    expect(Array.from(withRec.subarray(0, 38))).toEqual(Array.from(without.subarray(0, 38)));
    expect(Array.from(withRec.subarray(38, 76))).not.toEqual(Array.from(without.subarray(38, 76)));
  });

  it('snntorch_scnn_mnist.nir (Conv2d, IF, SumPool2d, Flatten, Affine) gives the same numbers fused and step by step', async () => {
    const { module, x, first } = await roundTrip('snntorch_scnn_mnist.nir', [2, 34, 34], 6);
    expect(module.recurrentEdges()).toEqual([]);
    expect(first.output.shape).toEqual([6, 2, 10]);
    const stepped = runRecorded(module, x, defaultRecord(module), true);
    for (const [i, r] of first.records.entries()) {
      expect(Array.from(stepped.records[i]!.value.dataSync()), r.node).toEqual(
        Array.from(r.value.dataSync()),
      );
    }
  });
});

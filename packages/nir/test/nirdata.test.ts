import { FormatError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { type NirGraphData, nirDataFormat, readNirData, timeGridded, writeNirData } from '../src/index.js';

describe('NIR recorded data (NIRGraphData)', () => {
  it('writes and reads time-gridded and event observables, nested graphs included', async () => {
    const data: NirGraphData = {
      type: 'graph',
      nodes: new Map<string, NirGraphData['nodes'] extends ReadonlyMap<string, infer V> ? V : never>([
        [
          'lif',
          {
            type: 'node',
            observables: new Map([['v', timeGridded(Float32Array.of(1, 2, 3, 4, 5, 6), [3, 1, 2], 1e-4)]]),
          },
        ],
        [
          'sub',
          {
            type: 'graph',
            nodes: new Map([
              [
                'spikes',
                {
                  type: 'node',
                  observables: new Map([
                    [
                      's',
                      {
                        kind: 'events',
                        idx: { dtype: 'int64', shape: [3], data: Float64Array.of(0, 2, 1) },
                        time: { dtype: 'float64', shape: [3], data: Float64Array.of(0.001, 0.002, 0.004) },
                        nNeurons: 3,
                        tMax: 0.005,
                      },
                    ],
                    [
                      'w',
                      {
                        kind: 'events',
                        idx: { dtype: 'int64', shape: [1], data: Float64Array.of(1) },
                        time: { dtype: 'float64', shape: [1], data: Float64Array.of(0.003) },
                        value: { dtype: 'float32', shape: [1], data: Float32Array.of(0.5) },
                        nNeurons: 2,
                        tMax: 0.01,
                      },
                    ],
                  ]),
                },
              ],
            ]),
          },
        ],
      ]),
    };
    const bytes = await writeNirData(data);
    expect(nirDataFormat.detect(bytes.subarray(0, 4096), 'd.h5')).toBe(true);
    const back = await readNirData(bytes, 'd.h5');
    const lif = back.nodes.get('lif');
    expect(lif?.type).toBe('node');
    const v = (
      lif as {
        observables: Map<string, { kind: string; data: { shape: number[]; data: Float32Array }; dt: number }>;
      }
    ).observables.get('v')!;
    expect(v.kind).toBe('time-gridded');
    expect(v.dt).toBe(1e-4);
    // [samples, T, neurons]: the one sample's three steps of two neurons.
    expect(v.data.shape).toEqual([1, 3, 2]);
    expect(Array.from(v.data.data)).toEqual([1, 2, 3, 4, 5, 6]);
    const sub = back.nodes.get('sub') as NirGraphData;
    const obs = (sub.nodes.get('spikes') as { observables: Map<string, Record<string, unknown>> })
      .observables;
    expect(obs.get('s')).toMatchObject({ kind: 'events', nNeurons: 3, tMax: 0.005, value: undefined });
    expect(Array.from((obs.get('s')!.idx as { data: Float64Array }).data)).toEqual([0, 2, 1]);
    expect(Array.from((obs.get('w')!.value as { data: Float32Array }).data)).toEqual([0.5]);
  });

  it('refuses a file that is not NIRGraphData', async () => {
    const err = await readNirData(new TextEncoder().encode('plain text'), 'x.h5').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    // A NIR graph file is HDF5 too, but not recorded data.
    const { writeNir } = await import('../src/index.js');
    const graph = await writeNir({ type: 'NIRGraph', nodes: new Map(), edges: [] });
    await expect(readNirData(graph, 'g.nir')).rejects.toThrow(
      /g\.nir: nir-data \/@__type__: expected 'NIRGraphData'/,
    );
  });
});

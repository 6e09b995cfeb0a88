import { FormatError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { type NirArray, type NirLeaf, nirFormat, readHdf5, readNir, writeNir } from '../src/index.js';
import { fixture } from './helpers.js';

const leaf = (doc: Awaited<ReturnType<typeof readNir>>, name: string) => doc.graph.nodes.get(name) as NirLeaf;
const arr = (n: NirLeaf, f: string) => n.fields.get(f) as NirArray;

describe('reading .nir files of other frameworks', () => {
  it('reads Norse’s NIR 0.1.1 file and fills NIR’s defaults', async () => {
    const doc = await readNir(fixture('lif_norse.nir'), 'lif_norse.nir');
    expect(doc.version).toBe('0.1.1');
    expect([...doc.graph.nodes].map(([k, n]) => `${k}:${n.type}`).sort()).toEqual([
      '0:Affine',
      '1:LIF',
      'input:Input',
      'output:Output',
    ]);
    expect(doc.graph.edges).toEqual([
      ['input', '0'],
      ['0', '1'],
      ['1', 'output'],
    ]);
    const lif = leaf(doc, '1');
    expect(Array.from(arr(lif, 'tau').data)).toEqual([Math.fround(0.0025)]);
    expect(Array.from(arr(lif, 'v_threshold').data)).toEqual([Math.fround(0.1)]);
    // v_reset is absent in 0.1.x: zeros shaped and typed like v_threshold.
    expect(arr(lif, 'v_reset')).toMatchObject({ dtype: 'float32', shape: [1] });
    expect(Array.from(arr(lif, 'v_reset').data)).toEqual([0]);
  });

  it('reads the recurrent braille graph (float64 CubaLIF) and the snnTorch conv net', async () => {
    const braille = await readNir(fixture('braille_noDelay_bias_zero.nir'), 'braille');
    expect(braille.version).toBe('0.2.0');
    const lif = leaf(braille, 'lif1.lif');
    expect(lif.type).toBe('CubaLIF');
    expect(arr(lif, 'tau_mem')).toMatchObject({ dtype: 'float64', shape: [38] });
    expect(braille.graph.edges).toContainEqual(['lif1.w_rec', 'lif1.lif']);
    const scnn = await readNir(fixture('snntorch_scnn_mnist.nir'), 'scnn');
    const conv = leaf(scnn, '0');
    expect(conv.type).toBe('Conv2d');
    expect(arr(conv, 'weight').shape).toEqual([16, 2, 5, 5]);
    expect(Array.from(arr(conv, 'stride').data)).toEqual([2, 2]);
    expect(arr(leaf(scnn, '8'), 'start_dim').data[0]).toBe(0);
  });

  it('writes what it reads: every value, dtype and shape survives, arrays gzip-compressed', async () => {
    for (const name of ['lif_norse.nir', 'braille_noDelay_bias_zero.nir', 'snntorch_scnn_mnist.nir']) {
      const doc = await readNir(fixture(name), name);
      const bytes = await writeNir(doc.graph);
      const again = await readNir(bytes, 'written');
      expect(again.version).toBe('1.0.7');
      expect([...again.graph.nodes.keys()].sort()).toEqual([...doc.graph.nodes.keys()].sort());
      expect(again.graph.edges).toEqual(doc.graph.edges);
      for (const [k, n] of doc.graph.nodes) {
        const m = again.graph.nodes.get(k) as NirLeaf;
        for (const [f, v] of (n as NirLeaf).fields) {
          expect(m.fields.get(f), `${name} ${k}.${f}`).toEqual(v);
        }
      }
    }
    // Arrays are written gzip-compressed: a million zeros take a few kilobytes.
    const zeros = {
      type: 'Scale',
      fields: new Map([
        ['scale', { dtype: 'float32' as const, shape: [1000, 1000], data: new Float32Array(1e6) }],
      ]),
    };
    const written = await writeNir({ type: 'NIRGraph', nodes: new Map([['s', zeros]]), edges: [] });
    expect(written.length).toBeLessThan(64 * 1024);
    const back = (await readNir(written)).graph.nodes.get('s') as NirLeaf;
    expect(arr(back, 'scale').shape).toEqual([1000, 1000]);
  });

  it('keeps a node’s metadata group', async () => {
    const doc = await readNir(fixture('lif_norse.nir'));
    const lif = leaf(doc, '1');
    const tree = await readHdf5(
      await writeNir({
        ...doc.graph,
        nodes: new Map([
          ...doc.graph.nodes,
          [
            '1',
            {
              ...lif,
              metadata: {
                kind: 'group',
                attrs: new Map(),
                children: new Map([
                  [
                    'source',
                    {
                      kind: 'dataset',
                      attrs: new Map(),
                      value: { dtype: 'string', shape: [], data: ['norse'] },
                    },
                  ],
                ]),
              },
            },
          ],
        ]),
      }),
      { file: 'm', format: 'nir' },
    );
    const node = (tree.children.get('node') as never as { children: Map<string, never> }).children;
    expect(
      JSON.stringify([
        ...(node.get('nodes') as { children: Map<string, { children: Map<string, unknown> }> }).children
          .get('1')!
          .children.keys(),
      ]),
    ).toContain('metadata');
  });

  it('detects .nir files by content for neurite inspect and lists nodes, shapes and edges', async () => {
    const bytes = fixture('snntorch_scnn_mnist.nir');
    expect(nirFormat.detect(bytes.subarray(0, 4096), 'x.bin')).toBe(true);
    expect(nirFormat.detect(new TextEncoder().encode('{"node": 1, "version": 2}'), 'x.nir')).toBe(false);
    const file = {
      path: 'scnn.nir',
      name: 'scnn.nir',
      size: bytes.length,
      bytes: async () => bytes,
      head: async (n: number) => bytes.subarray(0, n),
      sibling: () => {
        throw new Error('no');
      },
    };
    const summary = await nirFormat.inspect(file, undefined as never);
    expect(summary).toMatchObject({ format: 'nir', version: '0.2.0', nodes: 15 });
    const nodes = (summary.details as { nodes: { name: string; type: string; shape: number[] }[] }).nodes;
    expect(nodes.find((n) => n.name === '0')).toEqual({ name: '0', type: 'Conv2d', shape: [16, 16, 16] });
    expect(nodes.find((n) => n.name === '8')).toEqual({ name: '8', type: 'Flatten', shape: [128] });
    expect(nodes.find((n) => n.name === 'output')?.shape).toEqual([10]);
    expect((summary.details as { edges: unknown[] }).edges).toHaveLength(14);
  });

  it('names the file and the HDF5 path when a field is missing or malformed', async () => {
    const doc = await readNir(fixture('lif_norse.nir'));
    const lif = leaf(doc, '1');
    const fields = new Map(lif.fields);
    fields.delete('tau');
    const broken = await writeNir({
      ...doc.graph,
      nodes: new Map([...doc.graph.nodes, ['1', { ...lif, fields }]]),
    });
    const error = await readNir(broken, 'broken.nir').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FormatError);
    expect((error as FormatError).message).toMatch(/broken\.nir: nir \/node\/nodes\/1\/tau/);
    const wrongEdge = await writeNir({ ...doc.graph, edges: [...doc.graph.edges, ['1', 'nowhere']] });
    await expect(readNir(wrongEdge, 'edge.nir')).rejects.toThrow(/\/node\/edges.*'nowhere'/);
    await expect(readNir(new TextEncoder().encode('not an hdf5 file at all'), 'text.nir')).rejects.toThrow(
      FormatError,
    );
  });
});

import { FormatError, NeuriteError } from '@neurite/kernel';
import { describe, expect, it } from 'vitest';
import { buildNirModule, readNir, writeNir } from '../src/index.js';
import { fixture, runtime } from './helpers.js';

/** A small seeded generator (mulberry32), so every run corrupts the same bytes. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Corruption = (bytes: Uint8Array, rnd: () => number) => Uint8Array;

const corruptions: Record<string, Corruption> = {
  truncate: (b, rnd) => b.slice(0, Math.floor(rnd() * b.length)),
  'flip bytes': (b, rnd) => {
    const c = b.slice();
    const n = 1 + Math.floor(rnd() * 8);
    for (let i = 0; i < n; i++) c[Math.floor(rnd() * c.length)] ^= 1 + Math.floor(rnd() * 255);
    return c;
  },
  'flip header bytes': (b, rnd) => {
    const c = b.slice();
    for (let i = 0; i < 3; i++)
      c[Math.floor(rnd() * Math.min(c.length, 2048))] ^= 1 + Math.floor(rnd() * 255);
    return c;
  },
  'zero a block': (b, rnd) => {
    const c = b.slice();
    const at = Math.floor(rnd() * c.length);
    c.fill(0, at, at + 1 + Math.floor(rnd() * 256));
    return c;
  },
};

describe('corrupt and truncated .nir files', () => {
  it('give a FormatError naming the file, or a valid graph (seeded fuzzing of the fixtures and a gzip file)', async () => {
    const rt = runtime();
    const gzipped = await writeNir((await readNir(fixture('lif_norse.nir'))).graph);
    const sources: [string, Uint8Array][] = [
      ['lif_norse.nir', fixture('lif_norse.nir')],
      ['braille_noDelay_bias_zero.nir', fixture('braille_noDelay_bias_zero.nir')],
      ['snntorch_scnn_mnist.nir', fixture('snntorch_scnn_mnist.nir')],
      ['gzip.nir', gzipped],
    ];
    const rnd = random(20240611);
    const outcomes = { formatError: 0, valid: 0, importError: 0 };
    for (const [name, bytes] of sources) {
      for (const [kind, corrupt] of Object.entries(corruptions)) {
        for (let i = 0; i < 4; i++) {
          const label = `${name} (${kind} #${i})`;
          const damaged = corrupt(bytes, rnd);
          let doc: Awaited<ReturnType<typeof readNir>> | undefined;
          try {
            doc = await readNir(damaged, label);
          } catch (error) {
            expect(error, label).toBeInstanceOf(FormatError);
            expect((error as Error).message.startsWith(`${label}: nir `), (error as Error).message).toBe(
              true,
            );
            outcomes.formatError++;
            continue;
          }
          // A file that still parses is a valid graph; building it may still refuse bad values clearly.
          try {
            buildNirModule(rt, doc.graph, { dt: 1e-4 });
            outcomes.valid++;
          } catch (error) {
            expect(error, label).toBeInstanceOf(NeuriteError);
            outcomes.importError++;
          }
        }
      }
    }
    expect(outcomes.formatError).toBeGreaterThan(10);
    expect(outcomes.formatError + outcomes.valid + outcomes.importError).toBe(64);
  }, 60_000);

  it('refuses a dataset whose declared size a file this small cannot hold, before reading it', async () => {
    // A dataset declared as 4 GiB of float32 with no data written (HDF5 would return fill values).
    const h5wasm = (await import('h5wasm')).default;
    const M = await h5wasm.ready;
    const f = new h5wasm.File('/huge.h5', 'w');
    f.create_dataset({ name: 'version', data: '1.0.7' });
    const g = f.create_group('node');
    g.create_dataset({ name: 'type', data: 'NIRGraph' });
    g.create_dataset({ name: 'edges', data: new Float64Array(0), shape: [0] });
    const n = g.create_group('nodes').create_group('s');
    n.create_dataset({ name: 'type', data: 'Scale' });
    n.create_dataset({
      name: 'scale',
      data: new Float32Array(1),
      shape: [1],
      maxshape: [null],
      chunks: [1024],
    }).resize([1 << 30]);
    f.close();
    const bytes = M.FS.readFile('/huge.h5');
    M.FS.unlink('/huge.h5');
    await expect(readNir(bytes, 'huge.nir')).rejects.toThrow(
      /huge\.nir: nir \/node\/nodes\/s\/scale: expected at most \d+ bytes/,
    );
  });
});

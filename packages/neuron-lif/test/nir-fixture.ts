import { readFileSync } from 'node:fs';
import h5wasm from 'h5wasm/node';
import { sharedData } from './helpers.js';

export interface NirLifFile {
  readonly edges: [string, string][];
  readonly affine: { weight: Float32Array; bias: Float32Array };
  readonly lif: { tau: number; r: number; vLeak: number; vThreshold: number; vReset: number };
}

/**
 * Reads the LIF example of the NIR paper with h5wasm (the NIR importer proper belongs to @neurite/nir):
 * the graph Input → Affine → LIF → Output, following NIR's HDF5 layout (`/node/nodes/<name>/<param>`).
 */
export async function readNirLif(): Promise<NirLifFile> {
  await h5wasm.ready;
  const path = new URL('nir/lif_norse.nir', sharedData).pathname;
  const file = new h5wasm.File(path, 'r');
  try {
    const get = (p: string) => {
      const d = file.get(p);
      if (!(d instanceof h5wasm.Dataset)) throw new Error(`${path}: ${p} is not a dataset`);
      return d.value;
    };
    const edgesFlat = get('/node/edges') as string[];
    const edges: [string, string][] = [];
    for (let k = 0; k < edgesFlat.length; k += 2) edges.push([edgesFlat[k]!, edgesFlat[k + 1]!]);
    const nodes = file.get('/node/nodes') as InstanceType<typeof h5wasm.Group>;
    let affine: NirLifFile['affine'] | null = null;
    let lif: NirLifFile['lif'] | null = null;
    for (const name of nodes.keys()) {
      const type = get(`/node/nodes/${name}/type`);
      const scalar = (p: string) => (get(`/node/nodes/${name}/${p}`) as Float32Array)[0]!;
      if (type === 'Affine') {
        affine = {
          weight: get(`/node/nodes/${name}/weight`) as Float32Array,
          bias: get(`/node/nodes/${name}/bias`) as Float32Array,
        };
      } else if (type === 'LIF') {
        const keys = (file.get(`/node/nodes/${name}`) as InstanceType<typeof h5wasm.Group>).keys();
        lif = {
          tau: scalar('tau'),
          r: scalar('r'),
          vLeak: scalar('v_leak'),
          vThreshold: scalar('v_threshold'),
          // NIR: a missing v_reset reads as zero.
          vReset: keys.includes('v_reset') ? scalar('v_reset') : 0,
        };
      }
    }
    if (!affine || !lif) throw new Error(`${path}: expected an Affine and a LIF node`);
    return { edges, affine, lif };
  } finally {
    file.close();
  }
}

/** Rows (input, voltage, spike) of one of the reference traces. */
export function readTrace(name: string): { input: number[]; voltage: number[]; spike: number[] } {
  const text = readFileSync(new URL(`nir/${name}`, sharedData), 'utf8').trim();
  const rows = text.split('\n').map((line) => line.split(',').map(Number));
  return { input: rows.map((r) => r[0]!), voltage: rows.map((r) => r[1]!), spike: rows.map((r) => r[2]!) };
}

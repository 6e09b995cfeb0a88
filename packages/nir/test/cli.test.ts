import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildModel, type CommandDef, FormatError } from '@neurite/kernel';
import { saveSafetensors } from '@neurite/kernel/node';
import { describe, expect, it } from 'vitest';
import { exportCommand, type NirLeaf, parseCsv, readNir, runCommand } from '../src/index.js';
import { DATA, lifTrace, runtime } from './helpers.js';

async function call(command: CommandDef, args: string[], options: Record<string, unknown>, cwd: string) {
  let out = '';
  let err = '';
  const rt = runtime();
  const code = await command.run({
    runtime: rt,
    args,
    options: Object.fromEntries(
      command.options
        ?.map((o) => [o.name, options[o.name] ?? o.default])
        .filter(([, v]) => v !== undefined) ?? [],
    ),
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
    cwd,
  });
  return { code, out, err };
}

describe('neurite run', () => {
  it('simulates lif_norse.nir on a CSV input and writes the output and the membrane per step', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nir-run-'));
    const trace = lifTrace('lif_snntorch.csv');
    writeFileSync(join(dir, 'in.csv'), `input\n${Array.from(trace.input).join('\n')}\n`);
    const model = new URL('nir/lif_norse.nir', DATA).pathname;
    const { code, out } = await call(
      runCommand,
      [model],
      { input: 'in.csv', dt: 1e-4, out: 'out.csv', convention: 'snntorch' },
      dir,
    );
    expect(code).toBe(0);
    expect(out).toMatch(/simulated 1000 steps/);
    const csv = parseCsv(readFileSync(join(dir, 'out.csv'), 'utf8'), 'out.csv');
    expect(csv.header).toEqual(['output', '1.v']);
    expect(csv.rows).toBe(1000);
    for (let t = 0; t < 1000; t++) {
      expect(csv.values[2 * t]).toBe(trace.spike[t]);
      expect(csv.values[2 * t + 1]).toBe(trace.voltage[t]);
    }
    const recorded = await call(
      runCommand,
      [model],
      { input: 'in.csv', dt: 1e-4, out: 'v.csv', record: ['1.v', '0'] },
      dir,
    );
    expect(recorded.code).toBe(0);
    expect(readFileSync(join(dir, 'v.csv'), 'utf8').split('\n')[0]).toBe('1.v,0');
  });

  it('names the row and column of a bad input value, and refuses a wrong channel count', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nir-run-'));
    const model = new URL('nir/lif_norse.nir', DATA).pathname;
    writeFileSync(join(dir, 'bad.csv'), '0\n1\nx\n');
    await expect(
      call(runCommand, [model], { input: 'bad.csv', dt: 1e-4, out: 'o.csv' }, dir),
    ).rejects.toThrow(/bad\.csv: csv row 3, column 1: expected a number, found 'x'/);
    writeFileSync(join(dir, 'two.csv'), '0,1\n1,0\n');
    await expect(
      call(runCommand, [model], { input: 'two.csv', dt: 1e-4, out: 'o.csv' }, dir),
    ).rejects.toThrow(/has 2 columns; the model's input takes 1 channels/);
    expect(() => parseCsv('1,2\n3\n', 'r.csv')).toThrow(FormatError);
  });
});

describe('neurite export', () => {
  it('exports a run folder (config.json, latest.json, checkpoint) to a .nir file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nir-export-'));
    const rt = runtime(5);
    const spec = {
      type: 'sequential',
      layers: [
        { type: 'linear', inFeatures: 4, outFeatures: 3 },
        { type: 'lif', beta: 0.9, threshold: 1, reset: 'zero' },
      ],
    };
    const model = buildModel(rt, spec);
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ config: { model: spec }, baseDir: dir }));
    mkdirSync(join(dir, 'checkpoint-0002'));
    await saveSafetensors(join(dir, 'checkpoint-0002', 'model.safetensors'), model.stateDict());
    writeFileSync(join(dir, 'latest.json'), JSON.stringify({ epoch: 2, checkpoint: 'checkpoint-0002' }));
    const { code } = await call(exportCommand, [dir], { nir: 'model.nir', 'input-shape': ['4'] }, dir);
    expect(code).toBe(0);
    const doc = await readNir(new Uint8Array(readFileSync(join(dir, 'model.nir'))), 'model.nir');
    const affine = doc.graph.nodes.get('0') as NirLeaf;
    expect(Array.from(affine.fields.get('weight')!.data as Float32Array)).toEqual(
      Array.from(model.stateDict().get('0.weight')!.dataSync()),
    );
    const lif = doc.graph.nodes.get('1') as NirLeaf;
    // β = 0.9 (as float32) at the default dt = 1e-4 s: τ = dt / (1 − β) ≈ 1 ms.
    expect((lif.fields.get('tau')!.data as Float64Array)[0]).toBe(1e-4 / (1 - Math.fround(0.9)));
    // Subtract reset (the neuron plugin's default) is refused without --lossy.
    const lossySpec = { ...spec, layers: [spec.layers[0], { type: 'lif', beta: 0.9 }] };
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ config: { model: lossySpec } }));
    await expect(call(exportCommand, [dir], { nir: 'x.nir', 'input-shape': ['4'] }, dir)).rejects.toThrow(
      /reset by subtraction/,
    );
    const lossy = await call(exportCommand, [dir], { nir: 'x.nir', 'input-shape': ['4'], lossy: true }, dir);
    expect(lossy.err).toMatch(/warning: model\.layers\.1: reset by subtraction/);
  });
});

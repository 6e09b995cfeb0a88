import { buildModel, type CommandDef, NeuriteError, ValidationError } from '@neurite/kernel';
import { exportNir } from '../convert/export.js';
import { buildNirModule } from '../convert/import.js';
import { readNir, writeNir } from '../ir/file.js';
import { CONVENTIONS, type Convention } from '../nodes/discretise.js';
import { defaultRecord, nodePaths, parseRecord, runRecorded } from '../simulate.js';
import { formatCsv, parseCsv } from './csv.js';

// File access is loaded when a command runs, so the plugin itself stays usable in browsers.
const fs = () => import('node:fs/promises');
const path = () => import('node:path');
const kernelNode = () => import('@neurite/kernel/node');

/** The default time step of `neurite export`: snnTorch's NIR time step. */
export const DEFAULT_EXPORT_DT = 1e-4;

export const exportCommand: CommandDef = {
  name: 'export',
  summary: 'export a trained model (a run folder) to another format: --nir out.nir',
  args: [
    {
      name: 'run-dir',
      description: 'a run folder written by neurite train (config.json, latest.json, checkpoints)',
      required: true,
    },
  ],
  options: [
    { name: 'nir', type: 'string', description: 'write the model as a NIR graph (HDF5) to this file' },
    {
      name: 'dt',
      type: 'number',
      description: 'the time step (seconds) the discrete model stands for: β = 1 − dt/τ',
      default: DEFAULT_EXPORT_DT,
    },
    {
      name: 'input-shape',
      type: 'list',
      description: 'one input sample per time step (or the static example before an encoder), e.g. 2,34,34',
    },
    {
      name: 'lossy',
      type: 'boolean',
      description: 'allow mappings NIR cannot express exactly (e.g. reset by subtraction), as warnings',
    },
  ],
  examples: [
    'neurite export runs/mnist-snn --nir mnist.nir',
    'neurite export runs/scnn --nir scnn.nir --input-shape 2,34,34 --dt 0.001',
  ],
  async run({ runtime: rt, args, options, stdout, stderr, cwd }) {
    const { join, resolve } = await path();
    const { readFile } = await fs();
    const { loadSafetensors, writeFileAtomic } = await kernelNode();
    if (typeof options.nir !== 'string')
      throw new ValidationError('export', [
        { path: '--nir', message: 'give the file to write (the only export format so far)' },
      ]);
    const dir = resolve(cwd, args[0]!);
    const readJson = async <T>(name: string): Promise<T> => {
      try {
        return JSON.parse(await readFile(join(dir, name), 'utf8')) as T;
      } catch (cause) {
        throw new NeuriteError(`${join(dir, name)}: cannot read (${(cause as Error).message})`, {
          hint: 'point at a run folder written by neurite train',
        });
      }
    };
    const config = await readJson<{ config?: { model?: unknown } }>('config.json');
    if (!config.config?.model)
      throw new ValidationError(join(dir, 'config.json'), [{ path: 'config.model', message: 'missing' }]);
    const latest = await readJson<{ checkpoint?: string }>('latest.json');
    if (typeof latest.checkpoint !== 'string')
      throw new ValidationError(join(dir, 'latest.json'), [{ path: 'checkpoint', message: 'missing' }]);
    const model = buildModel(rt, config.config.model);
    const weights = await loadSafetensors(join(dir, latest.checkpoint, 'model.safetensors'), rt);
    model.loadStateDict(weights.tensors);
    const inputShape = parseShape(options['input-shape']);
    const { graph, warnings } = exportNir(rt, model, {
      dt: options.dt as number,
      lossy: Boolean(options.lossy),
      ...(inputShape ? { inputShape } : {}),
    });
    for (const w of warnings) stderr.write(`warning: ${w}\n`);
    const out = resolve(cwd, options.nir);
    await writeFileAtomic(out, await writeNir(graph));
    stdout.write(`neurite: wrote ${out} (${graph.nodes.size} nodes, dt ${options.dt} s)\n`);
    return 0;
  },
};

function parseShape(value: unknown): number[] | undefined {
  if (value === undefined) return undefined;
  const list = (value as string[]).map(Number);
  if (!list.length || list.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new ValidationError('--input-shape', [
      {
        path: '--input-shape',
        message: `must be positive integers, e.g. 2,34,34 (was ${(value as string[]).join(',')})`,
      },
    ]);
  }
  return list;
}

export const runCommand: CommandDef = {
  name: 'run',
  summary: 'simulate a NIR model on a CSV input at a time step dt and write the recorded states as CSV',
  args: [{ name: 'model', description: 'a .nir file', required: true }],
  options: [
    {
      name: 'input',
      type: 'string',
      description: 'CSV: one row per time step, one column per input channel (an optional header line)',
    },
    { name: 'dt', type: 'number', description: 'the time step in seconds' },
    {
      name: 'record',
      type: 'list',
      description:
        'node.state to record (state out, v or i); default: the output node and every neuron membrane v',
    },
    {
      name: 'out',
      type: 'string',
      description: 'the CSV to write: one row per time step, one column per recorded value',
    },
    {
      name: 'convention',
      type: 'string',
      description: `discretisation: ${CONVENTIONS.join(', ')}`,
      default: 'euler',
    },
  ],
  examples: [
    'neurite run lif.nir --input steps.csv --dt 0.0001 --out trace.csv',
    'neurite run braille.nir --input in.csv --dt 0.0001 --record lif1.lif.v,lif2.i --out out.csv',
  ],
  async run({ runtime: rt, args, options, stdout, cwd }) {
    const { resolve } = await path();
    const { readFile } = await fs();
    const { writeFileAtomic } = await kernelNode();
    const issues: { path: string; message: string }[] = [];
    if (typeof options.input !== 'string') issues.push({ path: '--input', message: 'required' });
    if (typeof options.out !== 'string') issues.push({ path: '--out', message: 'required' });
    if (typeof options.dt !== 'number' || !(options.dt > 0))
      issues.push({ path: '--dt', message: 'required: a positive number of seconds' });
    const convention = options.convention as Convention;
    if (!CONVENTIONS.includes(convention))
      issues.push({ path: '--convention', message: `one of ${CONVENTIONS.join(', ')}` });
    if (issues.length) throw new ValidationError('run', issues);
    const modelPath = resolve(cwd, args[0]!);
    const doc = await readNir(new Uint8Array(await readFile(modelPath)), modelPath);
    const { module } = buildNirModule(rt, doc.graph, { dt: options.dt as number, convention });
    const inputPath = resolve(cwd, options.input as string);
    const csv = parseCsv(await readFile(inputPath, 'utf8'), inputPath);
    const shape = module.inputShape ?? [csv.columns];
    const channels = shape.reduce((a, b) => a * b, 1);
    if (csv.columns !== channels) {
      throw new ValidationError('--input', [
        {
          path: inputPath,
          message: `has ${csv.columns} columns; the model's input takes ${channels} channels ([${shape.join(', ')}])`,
        },
      ]);
    }
    const x = rt.fromArray(Float32Array.from(csv.values), [csv.rows, 1, ...shape]);
    const names = new Set(nodePaths(module));
    const record = options.record
      ? (options.record as string[]).map((r) => parseRecord(r, names))
      : defaultRecord(module);
    const result = runRecorded(module, x, record);
    const header: string[] = [];
    const sources: { data: ArrayLike<number>; per: number; k: number }[] = [];
    for (const r of result.records) {
      const data = (await r.value.data()) as ArrayLike<number>;
      const per = r.value.size / csv.rows;
      const label = r.state === 'out' ? r.node : `${r.node}.${r.state}`;
      for (let k = 0; k < per; k++) {
        header.push(per === 1 ? label : `${label}[${k}]`);
        sources.push({ data, per, k });
      }
    }
    const out = resolve(cwd, options.out as string);
    await writeFileAtomic(
      out,
      formatCsv(header, csv.rows, (row, col) => {
        const s = sources[col]!;
        return s.data[row * s.per + s.k]!;
      }),
    );
    stdout.write(
      `neurite: simulated ${csv.rows} steps of ${options.dt} s; wrote ${header.length} columns to ${out}\n`,
    );
    return 0;
  },
};

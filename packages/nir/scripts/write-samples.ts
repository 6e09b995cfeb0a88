// Writes the NIR files this package produces (fixtures re-exported through neurite, and neurite models
// of every exportable node type) into a folder, for checking with scripts/check-nir-h5py.py.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildModel, createRuntime } from '@neurite/kernel';
import neuronLif from '@neurite/neuron-lif';
import nir, { buildNirModule, exportNir, readNir, writeNir } from '../src/index.js';

const out = process.argv[2] ?? 'nir-samples';
mkdirSync(out, { recursive: true });
const rt = createRuntime({ seed: 1 }).use(neuronLif()).use(nir());
const data = new URL('../../../../shared/data/nir/', import.meta.url);
for (const name of ['lif_norse.nir', 'braille_noDelay_bias_zero.nir', 'snntorch_scnn_mnist.nir']) {
  const doc = await readNir(new Uint8Array(readFileSync(new URL(name, data))), name);
  const { module } = buildNirModule(rt, doc.graph, { dt: 1e-4 });
  writeFileSync(join(out, `reexported-${name}`), await writeNir(exportNir(rt, module, { dt: 1e-4 }).graph));
}
const model = buildModel(rt, {
  type: 'sequential',
  layers: [
    { type: 'conv2d', inChannels: 2, outChannels: 4, kernelSize: 3, padding: 1 },
    { type: 'lif', beta: 0.9, reset: 'zero', paramShape: [4, 1, 1] },
    { type: 'avgpool2d', kernelSize: 2 },
    { type: 'if', reset: 'zero' },
    { type: 'sumpool2d', kernelSize: 2 },
    { type: 'flatten', startAxis: 2 },
    { type: 'linear', inFeatures: 16, outFeatures: 8, bias: false },
    { type: 'cuba-lif', alpha: 0.5, beta: 0.9, reset: 'zero' },
    { type: 'linear', inFeatures: 8, outFeatures: 3 },
    { type: 'li', beta: 0.8, alpha: 0.6 },
  ],
});
writeFileSync(
  join(out, 'neurite-model.nir'),
  await writeNir(exportNir(rt, model, { inputShape: [2, 8, 8], dt: 1e-3 }).graph),
);
console.log(`wrote samples to ${out}`);

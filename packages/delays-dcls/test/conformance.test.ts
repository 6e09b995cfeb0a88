import { readFileSync } from 'node:fs';
import datasets from '@neurite/datasets';
import { assertConformance } from '@neurite/kernel/testing';
import neuronLif from '@neurite/neuron-lif';
import { describe, it } from 'vitest';
import plugin from '../src/index.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('conformance', () => {
  it('passes the kernel conformance kit, with the plugins its layers and presets build on', async () => {
    await assertConformance(plugin, { packageJson, requires: [neuronLif, datasets] });
  });
});

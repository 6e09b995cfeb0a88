import { readFileSync } from 'node:fs';
import { assertConformance } from '@neurite/kernel/testing';
import neuronLif from '@neurite/neuron-lif';
import { describe, expect, it } from 'vitest';
import izhikevich from '../src/index.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('@neurite/example-izhikevich', () => {
  it('passes the conformance kit with the neuron plugin whose surrogate registry it extends', async () => {
    const report = await assertConformance(izhikevich, { requires: [neuronLif], packageJson });
    expect(report.checks.filter((c) => c.status === 'passed').map((c) => `${c.kind} ${c.name}`)).toEqual([
      'manifest @neurite/example-izhikevich',
      'package @neurite/example-izhikevich',
      'manifest install',
      'op izhikevich_scan',
      'op izhikevich_scan_grad',
      'kernel 2 kernel(s)',
      'node izhikevich',
    ]);
    expect(report.notChecked).toEqual({ surrogate: ['izhikevich'] });
  });
});

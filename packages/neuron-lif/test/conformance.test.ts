import { readFileSync } from 'node:fs';
import datasets from '@neurite/datasets';
import { assertConformance } from '@neurite/kernel/testing';
import { describe, it } from 'vitest';
import plugin from '../src/index.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('conformance', () => {
  it('passes the kernel conformance kit: every op, node type and preset checked', async () => {
    // The presets train on the datasets plugin's digits.
    await assertConformance(plugin, { packageJson, requires: [datasets] });
  });
});

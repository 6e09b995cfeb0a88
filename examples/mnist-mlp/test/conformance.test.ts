import datasets from '@neurite/datasets';
import { assertConformance } from '@neurite/kernel/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

describe('conformance', () => {
  it('passes the kernel conformance kit: both presets are valid training configs', async () => {
    // A private example, not published: its package.json is not held to a plugin package's rules.
    const report = await assertConformance(plugin, { requires: [datasets] });
    expect(report.checks.filter((c) => c.kind === 'preset').map((c) => c.name)).toEqual([
      'mnist-mlp',
      'mnist-mlp-plain',
    ]);
  });
});

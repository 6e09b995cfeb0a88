import { createRuntime } from '@neurite/kernel';
import { assertConformance } from '@neurite/kernel/testing';
import { describe, expect, it } from 'vitest';
import { corePlugin } from '../src/plugin/core.js';

describe('the kernel’s own plugin', () => {
  it('passes the conformance kit: every op and node type checked on examples, none exempt', async () => {
    const report = await assertConformance(corePlugin);
    const rt = createRuntime();
    const passed = (kind: string) =>
      report.checks.filter((c) => c.kind === kind && c.status === 'passed').map((c) => c.name);
    expect(passed('op')).toEqual(rt.registry('op').names());
    expect(passed('node')).toEqual(rt.registry('node').names());
    expect(report.checks.filter((c) => c.status !== 'passed')).toEqual([]);
  });
});

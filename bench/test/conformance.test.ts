import { assertConformance } from '@neurite/kernel/testing';
import { describe, expect, it } from 'vitest';
import plugin from '../src/index.js';

describe('conformance', () => {
  it('passes the kernel conformance kit', async () => {
    // Private, not published: its package.json is not held to a plugin package's rules. Benchmarks are a
    // kind the kit lists without checking; they run in bench.test.ts.
    const report = await assertConformance(plugin);
    expect(Object.keys(report.notChecked)).toEqual(['benchmark']);
  });
});

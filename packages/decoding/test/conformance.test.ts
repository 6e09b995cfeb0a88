import { readFileSync } from 'node:fs';
import { assertConformance } from '@neurite/kernel/testing';
import { describe, it } from 'vitest';
import plugin from '../src/index.js';

const packageJson = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

describe('conformance', () => {
  it('passes the kernel conformance kit: every node type and command checked', async () => {
    await assertConformance(plugin, { packageJson });
  });
});

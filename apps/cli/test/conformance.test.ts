import { assertConformance, RESERVED_ALIASES, RESERVED_OPTIONS } from '@neurite/kernel/testing';
import { describe, expect, it } from 'vitest';
import { GLOBAL_OPTIONS } from '../src/args.js';
import { cliPlugin } from '../src/commands/index.js';
import { commandHelp } from '../src/help.js';

describe('the CLI’s own commands', () => {
  it('pass the conformance kit, with their help rendered by the CLI’s generator', async () => {
    const report = await assertConformance(cliPlugin({ loads: [], version: '0.1.0', config: null }), {
      renderHelp: commandHelp,
    });
    expect(report.checks.filter((c) => c.kind === 'command').map((c) => c.name)).toEqual(
      expect.arrayContaining(['plugins', 'inspect', 'train', 'eval', 'report', 'bench', 'new-plugin']),
    );
  });

  it('reserve exactly the global options the kit keeps plugin commands from shadowing', () => {
    expect(GLOBAL_OPTIONS.map((o) => o.name).sort()).toEqual([...RESERVED_OPTIONS].sort());
    expect(GLOBAL_OPTIONS.flatMap((o) => (o.alias ? [o.alias] : []))).toEqual([...RESERVED_ALIASES]);
  });
});

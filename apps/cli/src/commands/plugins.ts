import type { CommandDef, Runtime } from '@neurite/kernel';
import type { PluginLoad } from '../discover.js';

/** What each installed plugin contributes, by kind, as `neurite plugins` shows it. */
export function pluginTable(rt: Runtime, loads: readonly PluginLoad[]) {
  const loaded = rt.plugins().map((p) => ({
    name: p.name,
    version: p.version,
    apiVersion: p.apiVersion,
    description: p.description ?? '',
    status: 'loaded' as const,
    contributes: Object.fromEntries(
      Object.entries(p.contributions)
        .filter(([kind]) => kind !== 'kernel')
        .map(([kind, names]) => [plural(kind), [...names]]),
    ) as Record<string, string[]>,
    kernels: p.contributions.kernel?.length ?? 0,
  }));
  const failed = loads
    .filter((l) => l.error)
    .map((l) => ({ name: l.name, version: l.version ?? null, status: 'failed' as const, error: l.error! }));
  return { plugins: loaded, failed };
}

export function pluginsCommand(loads: readonly PluginLoad[]): CommandDef {
  return {
    name: 'plugins',
    summary: 'list the installed plugins, their versions and what each contributes',
    options: [{ name: 'json', type: 'boolean', description: 'print one JSON object' }],
    examples: ['neurite plugins', 'neurite plugins --json'],
    run({ runtime, options, stdout }) {
      const table = pluginTable(runtime, loads);
      if (options.json) {
        stdout.write(`${JSON.stringify(table)}\n`);
        return 0;
      }
      for (const p of table.plugins) {
        stdout.write(`${p.name} ${p.version}${p.description ? ` — ${p.description}` : ''}\n`);
        for (const [kind, names] of Object.entries(p.contributes)) {
          stdout.write(`  ${kind}: ${names.join(', ')}\n`);
        }
        if (p.kernels) stdout.write(`  kernels: ${p.kernels}\n`);
      }
      for (const f of table.failed) stdout.write(`${f.name} — failed to load: ${f.error}\n`);
      return 0;
    },
  };
}

function plural(kind: string): string {
  return kind.endsWith('s') ? `${kind}es` : `${kind}s`;
}

import { createRuntime } from '../create.js';
import type { DatasetContext } from '../data/dataset.js';
import type { CommandDef } from '../plugin/kinds.js';
import type { PluginFactory, PluginInstance } from '../plugin/plugin.js';
import type { Runtime } from '../runtime.js';
import { resolveTrainConfig } from '../train/config.js';
import { checkCommand } from './check-commands.js';
import { checkDataset } from './check-datasets.js';
import { checkManifest, checkPackage } from './check-manifest.js';
import { checkNode, needsExampleOptions } from './check-nodes.js';
import { checkOp } from './check-ops.js';
import {
  attempt,
  buildReport,
  type Check,
  ConformanceError,
  type ConformanceReport,
  expect,
} from './report.js';

/** Kinds the kit checks entry by entry; every other kind is listed in `notChecked`. */
export type CheckedKind = 'op' | 'node' | 'dataset' | 'command' | 'preset';

type AnyFactory = PluginFactory<any, any>;

export interface ConformanceOptions {
  /** Options for the plugin under test. */
  readonly options?: unknown;
  /** Plugins installed first: the ones this plugin builds on (its ops' backends, a registry it extends). */
  readonly requires?: readonly (PluginInstance | AnyFactory)[];
  /** Entries deliberately left unchecked, by kind and name, each with the reason. */
  readonly exempt?: Partial<Record<CheckedKind, Readonly<Record<string, string>>>>;
  /** Options of a small instance per dataset name, for datasets whose `example` cannot name files. */
  readonly datasets?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Where datasets resolve relative paths and may write caches. */
  readonly datasetContext?: Omit<DatasetContext, 'runtime'>;
  /** Examples checked per split (all of a smaller split; evenly spaced ones of a larger). Default 64. */
  readonly examplesPerSplit?: number;
  /** The plugin's package.json, to check what the CLI relies on when it discovers installed plugins. */
  readonly packageJson?: unknown;
  /** The CLI's help generator (`commandHelp` of `@neurite/cli`), to render every command's help. */
  readonly renderHelp?: (command: CommandDef) => string;
  /** Seeds the runtime, the example tensors and the round trips. Default 1. */
  readonly seed?: number;
}

/**
 * Checks a plugin against the contract, the way a stranger's installation would meet it: its manifest
 * (and package.json), a clean install into a fresh runtime, and every contribution it registers — ops
 * on their examples (kernel shapes against `infer`, gradcheck), node types built from their defaults or
 * example options and round-tripped through the graph form and a safetensors state, datasets loaded
 * small and compared with their info, commands parsed for help, presets validated as training configs.
 * Never throws for a failing plugin: the report lists what failed.
 */
export async function checkPlugin(
  plugin: AnyFactory | PluginInstance,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const instance = typeof plugin === 'function' ? plugin(options.options) : plugin;
  const manifest = instance.manifest;
  const name = typeof manifest?.name === 'string' ? manifest.name : '(unnamed plugin)';
  const seed = options.seed ?? 1;
  const checks: Check[] = [await attempt('manifest', name, () => checkManifest(manifest))];
  if (options.packageJson !== undefined)
    checks.push(await attempt('package', name, () => checkPackage(manifest, options.packageJson)));

  const install = (rt: Runtime) => {
    for (const required of options.requires ?? []) rt.use(required);
    if (!rt.hasPlugin(name)) rt.use(instance); // the kernel's own plugin is in every runtime already
    return rt.plugins().find((p) => p.name === name)!.contributions;
  };
  const rt = createRuntime({ seed });
  let contributions: Readonly<Record<string, readonly string[]>> = {};
  const installed = await attempt('manifest', 'install', () => {
    contributions = install(rt);
    const again = install(createRuntime({ seed }));
    expect(
      JSON.stringify(again) === JSON.stringify(contributions),
      'a second install registers different entries',
    );
    const total = Object.values(contributions).reduce((n, names) => n + names.length, 0);
    expect(total > 0, 'registers nothing');
    return `installs into a fresh runtime and registers ${total} entries`;
  });
  checks.push(installed);
  if (installed.status === 'failed') return buildReport(name, String(manifest?.version), checks, {});

  const exempt = options.exempt ?? {};
  for (const [kind, names] of Object.entries(exempt) as [CheckedKind, Record<string, string>][]) {
    for (const entry of Object.keys(names)) {
      if (!contributions[kind]?.includes(entry)) {
        checks.push({
          kind,
          name: entry,
          status: 'failed',
          detail: `is exempt, but the plugin registers no ${kind} '${entry}'`,
        });
      }
    }
  }
  const each = async (kind: CheckedKind, check: (entry: string) => Promise<Check>) => {
    for (const entry of contributions[kind] ?? []) {
      const reason = exempt[kind]?.[entry];
      checks.push(reason ? { kind, name: entry, status: 'exempt', detail: reason } : await check(entry));
    }
  };
  const unchecked = (kind: string, entry: string, detail: string): Check => ({
    kind,
    name: entry,
    status: 'unchecked',
    detail,
  });

  await each('op', async (entry) => {
    const op = rt.registry('op').require(entry);
    if (!op.examples)
      return unchecked('op', entry, 'has no examples: add examples(rt) returning small inputs and attrs');
    return attempt('op', entry, () => checkOp(rt, op, op.examples!(rt)));
  });
  if (contributions.kernel?.length)
    checks.push(
      await attempt('kernel', `${contributions.kernel.length} kernel(s)`, () =>
        checkKernels(rt, contributions.kernel!),
      ),
    );
  await each('node', async (entry) => {
    const node = rt.registry('node').require(entry);
    const missing = needsExampleOptions(node);
    if (missing)
      return unchecked('node', entry, `does not build from its defaults (${missing}): add example.options`);
    return attempt('node', entry, () => checkNode(rt, node, seed));
  });
  await each('dataset', async (entry) => {
    const def = rt.registry('dataset').require(entry);
    const given = options.datasets?.[entry] ?? def.example;
    if (!given)
      return unchecked(
        'dataset',
        entry,
        'has no example options: declare example, or pass them in options.datasets',
      );
    return attempt('dataset', entry, () =>
      checkDataset(rt, def, given, options.datasetContext ?? {}, options.examplesPerSplit ?? 64),
    );
  });
  await each('command', (entry) =>
    attempt('command', entry, () => checkCommand(rt.registry('command').require(entry), options.renderHelp)),
  );
  await each('preset', (entry) =>
    attempt('preset', entry, () => {
      const config = resolveTrainConfig(rt, rt.registry('preset').require(entry).config, `preset ${entry}`);
      return `a valid training config (dataset ${config.dataset.type}, model ${config.model.type})`;
    }),
  );

  const checkedKinds = new Set<string>(['op', 'kernel', 'node', 'dataset', 'command', 'preset']);
  const notChecked: Record<string, string[]> = {};
  for (const [kind, names] of Object.entries(contributions))
    if (!checkedKinds.has(kind)) notChecked[kind] = [...names];
  return buildReport(name, manifest.version, checks, notChecked);
}

/** Every kernel the plugin registers implements a registered op on a registered backend. */
function checkKernels(rt: Runtime, names: readonly string[]): string {
  const problems: string[] = [];
  for (const name of names) {
    const kernel = rt.registry('kernel').require(name);
    if (!rt.registry('op').has(kernel.op)) problems.push(`${name}: no op '${kernel.op}' is registered`);
    if (!rt.registry('backend').has(kernel.backend))
      problems.push(`${name}: no backend '${kernel.backend}' is registered`);
  }
  expect(
    problems.length === 0,
    `${problems.join('; ')} (install the plugins that provide them through requires)`,
  );
  return `${names.length} kernel(s) implement registered ops on registered backends`;
}

/** `checkPlugin` that throws a ConformanceError listing every problem; returns the report when it passes. */
export async function assertConformance(
  plugin: AnyFactory | PluginInstance,
  options: ConformanceOptions = {},
): Promise<ConformanceReport> {
  const report = await checkPlugin(plugin, options);
  if (!report.ok) throw new ConformanceError(report);
  return report;
}

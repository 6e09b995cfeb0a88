import { definePlugin, type PluginInstance } from '@neurite/kernel';
import type { NeuriteConfig, PluginLoad } from '../discover.js';
import { benchCommand } from './bench.js';
import { evalCommand } from './eval.js';
import { inspectCommand } from './inspect.js';
import { newPluginCommand } from './new-plugin.js';
import { pluginsCommand } from './plugins.js';
import { reportCommand } from './report.js';
import { trainCommand } from './train.js';

export interface CliContext {
  readonly loads: readonly PluginLoad[];
  readonly version: string;
  readonly config: NeuriteConfig | null;
}

/** The CLI's generic commands, registered like any plugin's so help and dispatch are uniform. */
export function cliPlugin(cli: CliContext): PluginInstance {
  return definePlugin({
    name: '@neurite/cli',
    version: cli.version,
    apiVersion: '^1.0.0',
    description: 'the generic commands of the neurite command line',
    setup(ctx) {
      ctx.register('command', pluginsCommand(cli.loads));
      ctx.register('command', inspectCommand);
      ctx.register('command', trainCommand);
      ctx.register('command', evalCommand);
      ctx.register('command', reportCommand);
      ctx.register('command', benchCommand);
      ctx.register('command', newPluginCommand);
    },
  })();
}

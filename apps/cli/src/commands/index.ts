import { type PluginInstance, definePlugin } from '@neurite/kernel';
import type { NeuriteConfig, PluginLoad } from '../discover.js';
import { inspectCommand } from './inspect.js';
import { pluginsCommand } from './plugins.js';

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
    },
  })();
}

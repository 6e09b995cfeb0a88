import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type CommandDef, type CommandIO, createRuntime } from '@neurite/kernel';
import { parseCommandArgs } from './args.js';
import { cliPlugin } from './commands/index.js';
import { loadPlugins, type NeuriteConfig, readConfig } from './discover.js';
import { EXIT_OK, EXIT_USAGE, exitCodeFor, formatError, UsageError } from './errors.js';
import { commandHelp, mainHelp } from './help.js';

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');

export function cliVersion(): string {
  return (JSON.parse(readFileSync(join(cliDir, 'package.json'), 'utf8')) as { version: string }).version;
}

/** The command whose (possibly multi-word) name is the longest prefix of the positional words. */
function findCommand(
  commands: readonly CommandDef[],
  argv: readonly string[],
): { command: CommandDef; rest: string[] } | null {
  const words = argv.filter(
    (a, i) => !a.startsWith('-') && argv.slice(0, i).every((b) => !b.startsWith('-')),
  );
  let best: CommandDef | null = null;
  let bestLength = 0;
  for (const c of commands) {
    const parts = c.name.split(' ');
    if (parts.length > bestLength && parts.every((p, i) => words[i] === p)) {
      best = c;
      bestLength = parts.length;
    }
  }
  if (!best) return null;
  const rest = [...argv];
  for (const part of best.name.split(' ')) rest.splice(rest.indexOf(part), 1);
  return { command: best, rest };
}

/** Runs the CLI with arguments (without `node` and the script) and returns the exit code. */
export async function main(argv: readonly string[], io: CommandIO): Promise<number> {
  const verbose = argv.includes('--verbose');
  try {
    if (argv[0] === '--version' || argv[0] === '-v') {
      io.stdout.write(`${cliVersion()}\n`);
      return EXIT_OK;
    }
    const configFlag = argv.indexOf('--config');
    const configPath =
      configFlag >= 0 ? resolve(io.cwd, argv[configFlag + 1] ?? '') : resolve(io.cwd, 'neurite.config.json');
    const config: NeuriteConfig | null =
      configFlag >= 0 || existsSync(configPath) ? readConfig(configPath) : null;

    const rt = createRuntime();
    const loads = await loadPlugins(rt, { cwd: io.cwd, cliDir, config, configDir: dirname(configPath) });
    for (const failed of loads.filter((l) => l.error)) {
      io.stderr.write(`neurite: plugin ${failed.name} failed to load: ${failed.error}\n`);
    }
    rt.use(cliPlugin({ loads, version: cliVersion(), config }));
    if (config?.backend) await rt.setBackend(config.backend);

    const commands = rt.registry('command').values();
    if (argv.length === 0 || argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help') {
      io.stdout.write(mainHelp(commands, cliVersion()));
      return argv.length === 0 ? EXIT_USAGE : EXIT_OK;
    }
    const found = findCommand(commands, argv);
    if (!found) {
      throw new UsageError(`unknown command '${argv.filter((a) => !a.startsWith('-')).join(' ')}'`, {
        hint: "run 'neurite --help' for the list of commands",
      });
    }
    const parsed = parseCommandArgs(found.command, found.rest);
    if (parsed.options.help) {
      io.stdout.write(commandHelp(found.command));
      return EXIT_OK;
    }
    const code = await found.command.run({ ...io, args: parsed.args, options: parsed.options, runtime: rt });
    return code ?? EXIT_OK;
  } catch (error) {
    io.stderr.write(formatError(error, verbose));
    return exitCodeFor(error);
  }
}

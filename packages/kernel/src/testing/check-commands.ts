import type { CommandDef } from '../plugin/kinds.js';
import { expect } from './report.js';

/** Options every neurite command already has (the CLI adds them); a command must not redefine them. */
export const RESERVED_OPTIONS: readonly string[] = ['help', 'verbose', 'config'];
export const RESERVED_ALIASES: readonly string[] = ['h'];

const WORD = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Checks that the CLI can parse a command and generate its help: kebab-case names, a summary and a
 * description for every argument and option, unique option names and one-letter aliases that do not
 * shadow the global options, defaults of the declared type, required arguments before optional ones,
 * examples that invoke the command. With `renderHelp` (the CLI's `commandHelp`), the rendered help
 * must name every option.
 */
export function checkCommand(command: CommandDef, renderHelp?: (command: CommandDef) => string): string {
  const words = command.name.split(' ');
  expect(
    words.every((w) => WORD.test(w)),
    `name '${command.name}' must be kebab-case words separated by single spaces`,
  );
  expect(command.summary?.trim() && !command.summary.includes('\n'), 'needs a one-line summary');
  const args = command.args ?? [];
  args.forEach((a, i) => {
    expect(WORD.test(a.name), `argument '${a.name}' must be kebab-case`);
    expect(a.description?.trim(), `argument '${a.name}' needs a description`);
    expect(
      !a.required || args.slice(0, i).every((b) => b.required),
      `required argument '${a.name}' follows an optional one`,
    );
  });
  const seen = new Set<string>();
  const aliases = new Set<string>();
  for (const o of command.options ?? []) {
    expect(WORD.test(o.name), `option '${o.name}' must be kebab-case`);
    expect(!RESERVED_OPTIONS.includes(o.name), `option '--${o.name}' shadows a global option`);
    expect(!seen.has(o.name), `option '--${o.name}' is declared twice`);
    seen.add(o.name);
    expect(o.description?.trim(), `option '--${o.name}' needs a description`);
    expect(
      ['string', 'number', 'boolean', 'list'].includes(o.type),
      `option '--${o.name}' has unknown type '${o.type}'`,
    );
    if (o.alias !== undefined) {
      expect(/^[a-zA-Z]$/.test(o.alias), `alias '${o.alias}' of --${o.name} must be one letter`);
      expect(
        !RESERVED_ALIASES.includes(o.alias) && !aliases.has(o.alias),
        `alias '-${o.alias}' of --${o.name} is taken`,
      );
      aliases.add(o.alias);
    }
    if (o.default !== undefined) {
      const expected = o.type === 'list' ? Array.isArray(o.default) : typeof o.default === o.type;
      expect(expected, `default ${JSON.stringify(o.default)} of --${o.name} is not a ${o.type}`);
    }
  }
  for (const example of command.examples ?? []) {
    expect(
      example.startsWith(`neurite ${command.name}`),
      `example '${example}' does not run 'neurite ${command.name}'`,
    );
  }
  if (renderHelp) {
    const help = renderHelp(command);
    expect(help.trim().length > 0, 'its generated help is empty');
    for (const o of command.options ?? [])
      expect(help.includes(`--${o.name}`), `its help does not mention --${o.name}`);
  }
  return `${args.length} argument(s), ${seen.size} option(s)${renderHelp ? ', help rendered' : ''}`;
}

import type { CommandDef, CommandOption } from '@neurite/kernel';
import { GLOBAL_OPTIONS } from './args.js';

function optionLine(o: CommandOption): [string, string] {
  const flag = `${o.alias ? `-${o.alias}, ` : ''}--${o.name}${o.type === 'boolean' ? '' : ` <${o.type === 'list' ? 'a,b,…' : o.type}>`}`;
  const extra = [
    o.repeatable ? 'repeatable' : '',
    o.default !== undefined ? `default ${JSON.stringify(o.default)}` : '',
  ]
    .filter(Boolean)
    .join('; ');
  return [flag, `${o.description}${extra ? ` (${extra})` : ''}`];
}

function table(rows: [string, string][]): string {
  const width = Math.max(0, ...rows.map(([a]) => a.length));
  return rows.map(([a, b]) => `  ${a.padEnd(width)}  ${b}`).join('\n');
}

/** Help for one command, generated from its definition (the same one that parses its arguments). */
export function commandHelp(c: CommandDef): string {
  const args = (c.args ?? []).map((a) => (a.required ? `<${a.name}>` : `[${a.name}]`)).join(' ');
  const parts = [`Usage: neurite ${c.name}${args ? ` ${args}` : ''} [options]`, '', c.summary];
  if (c.args?.length) parts.push('', 'Arguments:', table(c.args.map((a) => [a.name, a.description])));
  parts.push('', 'Options:', table([...(c.options ?? []), ...GLOBAL_OPTIONS].map(optionLine)));
  if (c.examples?.length) parts.push('', 'Examples:', ...c.examples.map((e) => `  ${e}`));
  return `${parts.join('\n')}\n`;
}

/** The top-level help: every command with its summary, grouped as registered. */
export function mainHelp(commands: readonly CommandDef[], version: string): string {
  const rows = [...commands]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c): [string, string] => [c.name, c.summary]);
  return [
    `neurite ${version} — spiking neural networks, neuromorphic hardware and brain decoding`,
    '',
    'Usage: neurite <command> [arguments] [options]',
    '',
    'Commands:',
    table(rows),
    '',
    "Run 'neurite <command> --help' for a command's arguments and options.",
    '',
  ].join('\n');
}

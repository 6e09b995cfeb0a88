import { parseArgs } from 'node:util';
import type { CommandDef, CommandOption } from '@neurite/kernel';
import { UsageError } from './errors.js';

/** Options every command accepts. */
export const GLOBAL_OPTIONS: readonly CommandOption[] = [
  { name: 'help', alias: 'h', type: 'boolean', description: 'show help for the command' },
  { name: 'verbose', type: 'boolean', description: 'print stack traces with errors' },
  {
    name: 'config',
    type: 'string',
    description: 'a neurite.config.json naming extra plugins (default: ./neurite.config.json if present)',
  },
];

export interface ParsedCommand {
  readonly args: string[];
  readonly options: Record<string, unknown>;
}

/** Parses a command's arguments against its definition, converting option values to their types. */
export function parseCommandArgs(command: CommandDef, argv: readonly string[]): ParsedCommand {
  const defs = [...(command.options ?? []), ...GLOBAL_OPTIONS];
  const spec: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of defs) {
    spec[o.name] = {
      type: o.type === 'boolean' ? 'boolean' : 'string',
      ...(o.alias && o.alias.length === 1 ? { short: o.alias } : {}),
      ...(o.repeatable ? { multiple: true } : {}),
    };
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: [...argv], options: spec, allowPositionals: true, strict: true });
  } catch (cause) {
    throw new UsageError(`${command.name}: ${(cause as Error).message}`, {
      hint: `see 'neurite ${command.name} --help'`,
    });
  }
  const options: Record<string, unknown> = {};
  for (const o of defs) {
    const raw = parsed.values[o.name];
    if (raw === undefined) {
      if (o.default !== undefined) options[o.name] = o.default;
      continue;
    }
    options[o.name] = convert(command, o, raw as string | boolean | string[]);
  }
  if (options.help) return { args: parsed.positionals, options };
  const required = (command.args ?? []).filter((a) => a.required);
  if (parsed.positionals.length < required.length) {
    const missing = required.slice(parsed.positionals.length).map((a) => `<${a.name}>`);
    throw new UsageError(`${command.name}: missing ${missing.join(' ')}`, {
      hint: `see 'neurite ${command.name} --help'`,
    });
  }
  return { args: parsed.positionals, options };
}

function convert(command: CommandDef, option: CommandOption, raw: string | boolean | string[]): unknown {
  const one = (value: string): unknown => {
    if (option.type === 'number') {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) {
        throw new UsageError(`${command.name}: --${option.name} must be a number (was '${value}')`);
      }
      return n;
    }
    if (option.type === 'list')
      return value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    return value;
  };
  if (typeof raw === 'boolean') return raw;
  return Array.isArray(raw) ? raw.map(one) : one(raw);
}

import { resolve } from 'node:path';
import { type CommandDef, type FormatDef, FormatError, type Runtime } from '@neurite/kernel';
import { fileSource } from '@neurite/kernel/node';

/** The first registered format whose content detector accepts the file. */
export async function detectFormat(rt: Runtime, path: string): Promise<FormatDef> {
  const file = fileSource(path);
  const head = await file.head(4096);
  const format = rt
    .registry('format')
    .values()
    .find((f) => f.detect(head, file.name));
  if (!format) {
    const known = rt.registry('format').names();
    throw new FormatError(
      'file',
      path,
      'content',
      `a format a loaded plugin reads (${known.length ? known.join(', ') : 'none loaded'})`,
      head.length === 0 ? 'an empty file' : 'no matching signature',
      0,
    );
  }
  return format;
}

function plain(summary: Record<string, unknown>): string {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(summary)) {
    if (value === undefined) continue;
    if (key === 'details' && value && typeof value === 'object') {
      for (const [k, v] of Object.entries(value))
        lines.push(`  ${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
    } else
      lines.push(
        `${key}: ${Array.isArray(value) ? value.join(value.length > 2 ? ', ' : '×') : String(value)}`,
      );
  }
  return `${lines.join('\n')}\n`;
}

export const inspectCommand: CommandDef = {
  name: 'inspect',
  summary: 'identify a file by its content and summarise it (any format a loaded plugin reads)',
  args: [{ name: 'file', description: 'the file to inspect', required: true }],
  options: [{ name: 'json', type: 'boolean', description: 'print one JSON object' }],
  examples: ['neurite inspect recording.gdf', 'neurite inspect model.nir --json'],
  async run({ runtime, args, options, stdout, cwd }) {
    const path = resolve(cwd, args[0]!);
    const format = await detectFormat(runtime, path);
    const summary = await format.inspect(fileSource(path), runtime);
    stdout.write(options.json ? `${JSON.stringify(summary)}\n` : plain({ file: path, ...summary }));
    return 0;
  },
};

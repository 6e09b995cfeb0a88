import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type ConformanceReport, checkPlugin } from '@neurite/kernel/testing';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './cli.js';

// docs/plugin-authors.md is kept true: its TypeScript blocks are compiled together, each as the file its
// first-line comment names, with the repository's strict compiler options against the built packages;
// and its minimal plugin is run through the conformance kit.

const guide = readFileSync(join(repoRoot, 'docs', 'plugin-authors.md'), 'utf8');
const blocks = [...guide.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
/** Where the blocks live, virtually: inside this package, so they resolve its dependencies as a plugin would. */
const guideRoot = join(repoRoot, 'apps', 'cli', '.guide');
const fileOf = (block: string) => join(guideRoot, /^\/\/ (\S+\.ts)\n/.exec(block)![1]!);

describe('the plugin authors’ guide', () => {
  it('has TypeScript blocks that each name their file', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
    for (const block of blocks) expect(block).toMatch(/^\/\/ \S+\.ts\n/);
  });

  it('compiles every TypeScript block against the packages, with the repository’s strict options', () => {
    const base = ts.readConfigFile(join(repoRoot, 'tsconfig.base.json'), ts.sys.readFile).config;
    const { options } = ts.convertCompilerOptionsFromJson(base.compilerOptions, repoRoot);
    const compilerOptions: ts.CompilerOptions = {
      ...options,
      noEmit: true,
      composite: false,
      declaration: false,
      declarationMap: false,
      incremental: false,
    };
    const files = new Map(blocks.map((b) => [fileOf(b), b]));
    const host = ts.createCompilerHost(compilerOptions);
    const { fileExists, readFile, getSourceFile } = host;
    host.fileExists = (f) => files.has(f) || fileExists(f);
    host.directoryExists = (d) =>
      [...files.keys()].some((f) => f.startsWith(`${d}/`)) || ts.sys.directoryExists(d);
    host.readFile = (f) => files.get(f) ?? readFile(f);
    host.getSourceFile = (f, language, ...rest) => {
      const text = files.get(f);
      return text === undefined
        ? getSourceFile(f, language, ...rest)
        : ts.createSourceFile(f, text, language);
    };
    const program = ts.createProgram([...files.keys()], compilerOptions, host);
    const diagnostics = ts.getPreEmitDiagnostics(program);
    const text = ts.formatDiagnostics(diagnostics, {
      getCanonicalFileName: (f) => f,
      getCurrentDirectory: () => guideRoot,
      getNewLine: () => '\n',
    });
    expect(text).toBe('');
    // The blocks compiled against the published declarations, not against something looser.
    const kernel = program
      .getSourceFiles()
      .map((f) => f.fileName)
      .find((f) => f.endsWith('kernel/dist/index.d.ts'));
    expect(kernel).toBeDefined();
  });

  it('shows a minimal plugin that passes the conformance kit', async () => {
    const source = blocks.find((b) => b.startsWith('// src/index.ts\n'))!;
    const scratch = mkdtempSync(join(tmpdir(), 'neurite-guide-'));
    const links = [
      [join(repoRoot, 'packages', 'kernel'), join(scratch, 'node_modules', '@neurite', 'kernel')],
      [
        realpathSync(join(repoRoot, 'apps', 'cli', 'node_modules', 'arktype')),
        join(scratch, 'node_modules', 'arktype'),
      ],
    ] as const;
    let report: ConformanceReport;
    try {
      for (const [target, path] of links) {
        mkdirSync(dirname(path), { recursive: true });
        symlinkSync(target, path, 'dir');
      }
      writeFileSync(join(scratch, 'index.ts'), source);
      const plugin = (await import(pathToFileURL(join(scratch, 'index.ts')).href)).default;
      report = await checkPlugin(plugin);
    } finally {
      for (const [, path] of links) unlinkSync(path);
      rmSync(scratch, { recursive: true, force: true });
    }
    expect(report.problems).toEqual([]);
    expect(report.checks.map((c) => `${c.kind} ${c.name} ${c.status}`)).toEqual([
      'manifest neurite-plugin-softsign passed',
      'manifest install passed',
      'op softsign passed',
      'kernel 1 kernel(s) passed',
      'node softsign passed',
    ]);
  });
});

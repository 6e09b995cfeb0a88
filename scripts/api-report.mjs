#!/usr/bin/env node
// API reports: for every published package of the workspace, the public exports of each entry point of
// its exports map, with their signatures, read from the built declarations (what consumers compile
// against) and written to <package>/api-report.md, sorted and free of comments so that only a change of
// the surface changes the file.
//
//   node scripts/api-report.mjs            write the reports (run `pnpm build` first; `pnpm api-report` does both)
//   node scripts/api-report.mjs --check    fail with a diff where a committed report differs
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Node, Project, ts } from 'ts-morph';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
const printer = ts.createPrinter({ removeComments: true, newLine: ts.NewLineKind.LineFeed });
const posix = (path) => path.split(sep).join('/');

/** Published packages: every non-private package under the workspace folders that ship code. */
function packages() {
  const dirs = ['packages', 'apps'].flatMap((group) =>
    existsSync(join(root, group)) ? readdirSync(join(root, group)).map((d) => join(root, group, d)) : [],
  );
  return dirs
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .map((dir) => ({ dir, pkg: JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) }))
    .filter(({ pkg }) => !pkg.private)
    .filter(({ dir, pkg }) => only.length === 0 || only.some((o) => o === pkg.name || dir.endsWith(o)))
    .sort((a, b) => (a.pkg.name < b.pkg.name ? -1 : 1));
}

/** Entry points of an exports map: subpath → declaration file (wildcards and blocked paths skipped). */
function entryPoints(dir, pkg) {
  const exportsMap =
    typeof pkg.exports === 'object' && pkg.exports !== null ? pkg.exports : { '.': pkg.types ?? pkg.main };
  const out = [];
  for (const [subpath, target] of Object.entries(exportsMap)) {
    if (subpath.includes('*') || target === null || subpath === './package.json') continue;
    const types = typeof target === 'string' ? target.replace(/\.js$/, '.d.ts') : target.types;
    if (typeof types !== 'string') continue;
    out.push({
      name: subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
      file: join(dir, types),
    });
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

/**
 * Union members in a fixed order. tsc writes an inferred union in the order it happened to create the
 * member types, which differs between an incremental and a clean build; the order is not part of the API.
 */
function sortUnions(node, sourceFile) {
  const key = (n) => printer.printNode(ts.EmitHint.Unspecified, n, sourceFile);
  const visit = (context) => (n) => {
    const visited = ts.visitEachChild(n, visit(context), context);
    if (!ts.isUnionTypeNode(visited)) return visited;
    const types = [...visited.types].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    return ts.factory.updateUnionTypeNode(visited, ts.factory.createNodeArray(types));
  };
  const result = ts.transform(node, [(context) => visit(context)]);
  const [out] = result.transformed;
  result.dispose();
  return out;
}

/** A declaration as source text: reprinted without comments, `export`/`declare` dropped. */
function print(node) {
  const sourceFile = node.getSourceFile().compilerNode;
  const text = printer.printNode(
    ts.EmitHint.Unspecified,
    sortUnions(node.compilerNode, sourceFile),
    sourceFile,
  );
  return text.replace(/^export (default )?/, '').replace(/^declare /, '');
}

function signature(name, node) {
  if (Node.isVariableDeclaration(node)) {
    const kind = node.getVariableStatement()?.getDeclarationKind() ?? 'const';
    const typeNode = node.getTypeNode();
    const type = typeNode ? print(typeNode) : node.getType().getText(node, ts.TypeFormatFlags.NoTruncation);
    return `${kind} ${name}: ${type};`;
  }
  if (Node.isExportAssignment(node)) {
    return `default: ${node.getExpression().getType().getText(node, ts.TypeFormatFlags.NoTruncation)};`;
  }
  if (Node.isSourceFile(node) || Node.isModuleDeclaration(node)) return null;
  return print(node);
}

/** Exported names of a module with their signatures; namespaces (`export * as ops`) are listed member by member. */
function exportsOf(moduleNode, prefix, lines) {
  const exported = [...moduleNode.getExportedDeclarations()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, declarations] of exported) {
    const qualified = `${prefix}${name}`;
    for (const declaration of declarations) {
      if (Node.isSourceFile(declaration) || Node.isModuleDeclaration(declaration)) {
        lines.push(`### ${qualified} (namespace)`, '');
        exportsOf(declaration, `${qualified}.`, lines);
        continue;
      }
      lines.push(`### ${qualified}`, '', '```ts', signature(qualified, declaration), '```', '');
    }
  }
}

/** `declare module '…'` blocks of the package's declarations: what it adds to other modules' interfaces. */
function augmentations(project, dir) {
  const out = [];
  for (const file of project.getSourceFiles()) {
    const path = posix(relative(dir, file.getFilePath()));
    if (path.startsWith('..') || path.includes('node_modules')) continue;
    for (const mod of file.getModules()) {
      if (!mod.hasNamespaceKeyword() && Node.isStringLiteral(mod.getNameNode()))
        out.push({ path, text: print(mod) });
    }
  }
  return out.sort((a, b) => (a.path + a.text < b.path + b.text ? -1 : 1));
}

function report(dir, pkg) {
  const entries = entryPoints(dir, pkg);
  const missing = entries.filter((e) => !existsSync(e.file));
  if (missing.length) {
    throw new Error(
      `${pkg.name}: ${missing.map((e) => posix(relative(root, e.file))).join(', ')} not built (run pnpm build)`,
    );
  }
  const project = new Project({
    compilerOptions: {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      strict: true,
    },
    skipAddingFilesFromTsConfig: true,
  });
  const lines = [
    `# API report: ${pkg.name}`,
    '',
    'Generated by `pnpm api-report` from the built declarations (comments removed, exports sorted); do not edit.',
    'A change here is a change of the public surface: review it like code.',
    '',
  ];
  for (const entry of entries) {
    const file = project.addSourceFileAtPath(entry.file);
    project.resolveSourceFileDependencies();
    lines.push(`## ${entry.name}`, '');
    const before = lines.length;
    exportsOf(file, '', lines);
    if (lines.length === before) lines.push('(no exports)', '');
  }
  const augmented = augmentations(project, dir);
  if (augmented.length) {
    lines.push('## Module augmentations', '');
    for (const { path, text } of augmented) lines.push(`### ${path}`, '', '```ts', text, '```', '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

let stale = 0;
for (const { dir, pkg } of packages()) {
  const path = join(dir, 'api-report.md');
  const text = report(dir, pkg);
  const name = posix(relative(root, path));
  if (!check) {
    writeFileSync(path, text);
    console.log(`api-report: wrote ${name}`);
    continue;
  }
  const committed = existsSync(path) ? readFileSync(path, 'utf8') : '';
  if (committed === text) continue;
  stale++;
  console.error(`api-report: ${name} differs from the public surface of ${pkg.name}:`);
  const scratch = mkdtempSync(join(tmpdir(), 'api-report-'));
  writeFileSync(join(scratch, 'api-report.md'), text);
  const diff = spawnSync(
    'diff',
    [
      '-u',
      '--label',
      `${name} (committed)`,
      '--label',
      `${name} (built)`,
      existsSync(path) ? path : '/dev/null',
      join(scratch, 'api-report.md'),
    ],
    { encoding: 'utf8' },
  );
  console.error(diff.stdout || '(no diff tool: compare the files by hand)');
  rmSync(scratch, { recursive: true, force: true });
}
if (stale) {
  console.error(
    `api-report: ${stale} report(s) out of date; run \`pnpm api-report\` and commit the reports with the change`,
  );
  process.exit(1);
}
if (check) console.log('api-report: every report matches the built declarations');

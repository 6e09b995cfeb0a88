import type { SourceFile } from 'ts-morph';

/** The names one generated plugin uses, derived from its package name. */
export interface PluginNames {
  /** The npm package name, e.g. `@acme/neuron-izh` or `neurite-plugin-gain`. */
  readonly packageName: string;
  /** The folder, and the name of its node type and vitest project: the package name without its scope. */
  readonly folder: string;
  readonly description: string;
}

const camel = (kebab: string) => kebab.replace(/[-.]+([a-z0-9])/g, (_, c: string) => c.toUpperCase());
const pascal = (kebab: string) => camel(kebab).replace(/^[a-z]/, (c) => c.toUpperCase());

/**
 * Generates the plugin's TypeScript sources with ts-morph: `src/index.ts` (a node type with an arktype
 * schema, its NodeOptions declaration and the plugin factory), `src/version.ts`, and the tests (the
 * conformance kit, and the node computing what it says). Returns file paths (relative to the package
 * folder) with their text. ts-morph is loaded only when a plugin is generated.
 */
export async function pluginSources(names: PluginNames): Promise<Map<string, string>> {
  const {
    IndentationText,
    ModuleDeclarationKind,
    Project,
    QuoteKind,
    StructureKind,
    VariableDeclarationKind,
  } = await import('ts-morph');
  const project = new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: { quoteKind: QuoteKind.Single, indentationText: IndentationText.TwoSpaces },
  });
  const node = names.folder.replace(/^[^a-z]+/, '');
  const options = `${camel(node)}Options`;
  const layer = pascal(node);
  const files = new Map<string, string>();
  const finish = (file: SourceFile) => {
    file.formatText({ indentSize: 2, convertTabsToSpaces: true });
    files.set(file.getFilePath().slice(1), asBiomeWrites(file.getFullText()));
  };
  const constant = VariableDeclarationKind.Const;

  const version = project.createSourceFile('/src/version.ts');
  version.addVariableStatement({
    isExported: true,
    declarationKind: constant,
    declarations: [{ name: 'VERSION', initializer: "'0.1.0'" }],
    leadingTrivia: '/** The package version, kept in step with package.json by `pnpm version-packages`. */\n',
  });
  finish(version);

  const index = project.createSourceFile('/src/index.ts');
  index.addImportDeclarations([
    {
      moduleSpecifier: '@neurite/kernel',
      namedImports: [
        'defineNode',
        'definePlugin',
        'Module',
        { name: 'NodeDescription', isTypeOnly: true },
        'Parameter',
        { name: 'Runtime', isTypeOnly: true },
        { name: 'Tensor', isTypeOnly: true },
      ],
    },
    { moduleSpecifier: 'arktype', namedImports: ['type'] },
    { moduleSpecifier: './version.js', namedImports: ['VERSION'] },
  ]);
  index.insertStatements(
    0,
    `// ${names.packageName} — a neurite plugin. Its default export is the plugin factory.`,
  );
  index.addVariableStatement({
    isExported: true,
    declarationKind: constant,
    leadingTrivia: `/** Options of the \`${node}\` node type; the schema validates configs and applies the defaults. */\n`,
    declarations: [
      {
        name: options,
        initializer: (w) =>
          w
            .write('type(')
            .inlineBlock(() => {
              w.writeLine('/** Size of the last axis of the input. */');
              w.writeLine("features: 'number.integer > 0 = 4',");
              w.writeLine('/** Initial value of every gain. */');
              w.writeLine("init: 'number = 1',");
            })
            .write(')'),
      },
    ],
  });
  index.addModule({
    name: "'@neurite/kernel'",
    declarationKind: ModuleDeclarationKind.Module,
    hasDeclareKeyword: true,
    leadingTrivia: '// Configs written in TypeScript are checked against these options.\n',
    statements: [
      {
        kind: StructureKind.Interface,
        name: 'NodeOptions',
        properties: [{ name: `'${node}'`, type: `typeof ${options}.inferIn` }],
      },
    ],
  });
  index.addClass({
    isExported: true,
    name: layer,
    extends: 'Module',
    docs: ['y = x · gain over the last axis, with a learnt gain per feature.'],
    properties: [
      { name: 'options', isReadonly: true, type: `typeof ${options}.infer` },
      { name: 'gain', isReadonly: true, type: 'Parameter' },
    ],
    ctors: [
      {
        parameters: [
          { name: 'rt', type: 'Runtime' },
          { name: 'options', type: `typeof ${options}.inferIn` },
        ],
        statements: [
          'super();',
          `this.options = ${options}.assert(options);`,
          'this.gain = new Parameter(rt.full([this.options.features], this.options.init));',
        ],
      },
    ],
    methods: [
      {
        name: 'forward',
        parameters: [{ name: 'x', type: 'Tensor' }],
        returnType: 'Tensor',
        statements: ['return x.mul(this.gain);'],
      },
      {
        name: 'describe',
        hasOverrideKeyword: true,
        returnType: 'NodeDescription',
        docs: ['The node spec this module exports as (the graph form and NIR export read it).'],
        statements: [`return { type: '${node}', options: this.options };`],
      },
    ],
  });
  index.addVariableStatement({
    isExported: true,
    declarationKind: constant,
    declarations: [
      {
        name: `${camel(node)}Node`,
        initializer: (w) =>
          w
            .write('defineNode(')
            .inlineBlock(() => {
              w.writeLine(`name: '${node}',`);
              w.writeLine("description: 'multiplies its input by a learnt gain per feature (last axis)',");
              w.writeLine(`options: ${options},`);
              w.writeLine(
                '// What the conformance kit builds and runs: the defaults, and a [batch, features] input.',
              );
              w.writeLine('example: { input: (rt) => rt.randn([2, 4]) },');
              w.writeLine(`build: (options, ctx) => new ${layer}(ctx.runtime, options),`);
            })
            .write(')'),
      },
    ],
  });
  index.addExportAssignment({
    isExportEquals: false,
    expression: (w) =>
      w
        .write('definePlugin(')
        .inlineBlock(() => {
          w.writeLine(`name: '${names.packageName}',`);
          w.writeLine('version: VERSION,');
          w.writeLine("apiVersion: '^1.0.0',");
          w.writeLine(`description: ${quote(names.description)},`);
          w.write('setup(ctx) ')
            .inlineBlock(() => w.writeLine(`ctx.register('node', ${camel(node)}Node);`))
            .write(',');
        })
        .write(')'),
  });
  finish(index);

  const conformance = project.createSourceFile('/test/conformance.test.ts');
  conformance.addImportDeclarations([
    { moduleSpecifier: 'node:fs', namedImports: ['readFileSync'] },
    { moduleSpecifier: '@neurite/kernel/testing', namedImports: ['assertConformance'] },
    { moduleSpecifier: 'vitest', namedImports: ['describe', 'it'] },
    { moduleSpecifier: '../src/index.js', defaultImport: 'plugin' },
  ]);
  conformance.addVariableStatement({
    declarationKind: constant,
    declarations: [
      {
        name: 'packageJson',
        initializer: "JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'))",
      },
    ],
  });
  conformance.addStatements((w) =>
    w
      .write(`describe(${quote(names.packageName)}, () => `)
      .inlineBlock(() => {
        w.writeLine('// Manifest, package.json, and every registered entry built, run and round-tripped.');
        w.write("it('passes the neurite conformance kit', async () => ")
          .inlineBlock(() => w.writeLine('await assertConformance(plugin, { packageJson });'))
          .write(');');
      })
      .write(');'),
  );
  finish(conformance);

  const behaviour = project.createSourceFile(`/test/${node}.test.ts`);
  behaviour.addImportDeclarations([
    { moduleSpecifier: '@neurite/kernel', namedImports: ['buildModel', 'createRuntime'] },
    { moduleSpecifier: 'vitest', namedImports: ['expect', 'it'] },
    { moduleSpecifier: '../src/index.js', defaultImport: 'plugin' },
  ]);
  behaviour.addStatements((w) =>
    w
      .write("it('scales every feature by its gain', async () => ")
      .inlineBlock(() => {
        w.writeLine('const rt = createRuntime().use(plugin());');
        w.writeLine(`const model = buildModel(rt, { type: '${node}', features: 3, init: 2 });`);
        w.writeLine('const y = model.forward(rt.tensor([[1, -2, 3]]));');
        w.writeLine('expect(await y.toArray()).toEqual([[2, -4, 6]]);');
      })
      .write(');'),
  );
  finish(behaviour);
  return files;
}

/**
 * The two layout rules of the repository's formatter (biome, width 110) that ts-morph's printer does not
 * apply: a named import too long for one line lists one name per line, and one blank line follows the
 * imports.
 */
function asBiomeWrites(text: string): string {
  const wrapped = text.replace(
    /^import (type )?\{ (.+) \} from ('[^']+');$/gm,
    (line, typeOnly: string | undefined, names: string, from: string) =>
      line.length <= 110
        ? line
        : `import ${typeOnly ?? ''}{\n${names
            .split(', ')
            .map((n) => `  ${n},\n`)
            .join('')}} from ${from};`,
  );
  return wrapped.replace(/^(import [^;]*;\n)(?!import |\n)/m, '$1\n').replace(/\n{3,}/g, '\n\n');
}

/** A string literal as biome writes it: single quotes, unless the text holds one. */
const quote = (text: string) =>
  text.includes("'") ? JSON.stringify(text) : `'${text.replace(/\\/g, '\\\\')}'`;

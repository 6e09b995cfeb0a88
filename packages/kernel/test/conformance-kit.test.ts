import {
  type CommandDef,
  type DatasetDef,
  defineNode,
  defineOp,
  definePlugin,
  Module,
  type NodeDescription,
  Parameter,
  type PluginContext,
  type Tensor,
} from '@neurite/kernel';
import { assertConformance, ConformanceError, checkPlugin } from '@neurite/kernel/testing';
import { type } from 'arktype';
import { describe, expect, it } from 'vitest';

// The kit is tested on small plugins written to pass, and on copies of them with one defect each: every
// defect must be reported, under the entry that has it.

/** y = x³, with a cpu kernel and a backward written with ops. */
const cube = defineOp({
  name: 'test_cube',
  infer: ([x]) => [{ shape: x!.shape, dtype: x!.dtype }],
  grad: ({ inputs: [x], grads: [g] }) => [g!.mul(x!.square()).mul(3)],
  examples: (rt) => [{ inputs: [rt.randn([2, 3])], attrs: {} }],
});
const cubeKernel = ({ inputs: [x] }: { inputs: readonly { handle: unknown }[] }) => {
  const data = x!.handle as Float32Array | Float64Array;
  return [data.map((v) => v * v * v)];
};

const scaleOptions = type({ features: 'number.integer > 0 = 3' });
class Scale extends Module {
  readonly gain: Parameter;
  constructor(
    readonly options: typeof scaleOptions.infer,
    gain: Tensor,
  ) {
    super();
    this.gain = new Parameter(gain);
  }
  forward(x: Tensor): Tensor {
    return x.mul(this.gain);
  }
  override describe(): NodeDescription {
    return { type: 'test-scale', options: this.options };
  }
}
const scaleNode = defineNode({
  name: 'test-scale',
  description: 'multiplies by a learnt gain per feature',
  options: scaleOptions,
  example: { input: (rt) => rt.randn([2, 3]) },
  build: (o, ctx) => new Scale(o, ctx.runtime.randn([o.features], { rng: ctx.rng })),
});

const blobs: DatasetDef = {
  name: 'test-blobs',
  description: 'two classes of spikes',
  options: type({ size: 'number.integer > 0 = 6' }),
  example: { size: 4 },
  load: async (o) => {
    const source = {
      size: o.size,
      get: (i: number) => ({ input: Uint8Array.from([i % 2, 1, 0]), label: i % 2 }),
    };
    return {
      train: source,
      test: source,
      info: { inputShape: [3], spikes: true, classes: 2, timeMajor: false, description: 'toy' },
    };
  },
};

const hello: CommandDef = {
  name: 'test hello',
  summary: 'greets',
  options: [{ name: 'loud', type: 'boolean', description: 'shout' }],
  examples: ['neurite test hello --loud'],
  run: () => 0,
};

/** A plugin that registers the good parts, with `patch` changing one of them. */
function plugin(
  patch: (ctx: PluginContext) => void = () => {},
  manifest: { apiVersion?: string; description?: string } = {},
) {
  return definePlugin({
    name: 'test-plugin',
    version: '1.2.3',
    apiVersion: manifest.apiVersion ?? '^1.0.0',
    ...(manifest.description === ''
      ? {}
      : { description: manifest.description ?? 'a plugin for the kit’s tests' }),
    setup(ctx) {
      ctx.register('op', cube);
      ctx.kernel('test_cube', 'cpu', cubeKernel);
      ctx.register('node', scaleNode);
      ctx.register('dataset', blobs);
      ctx.register('command', hello);
      patch(ctx);
    },
  });
}

const problems = async (p: ReturnType<typeof plugin>, options = {}) =>
  (await checkPlugin(p, options)).problems.map((c) => `${c.status} ${c.kind} ${c.name}: ${c.detail}`);

describe('the conformance kit', () => {
  it('passes a plugin that keeps the contract, checking every entry', async () => {
    const report = await assertConformance(plugin(), {
      packageJson: {
        name: 'test-plugin',
        version: '1.2.3',
        type: 'module',
        keywords: ['neurite-plugin'],
        neurite: { plugin: true },
        peerDependencies: { '@neurite/kernel': '^0.1.0' },
        exports: { '.': { types: './dist/index.d.ts', default: './dist/index.js' } },
        files: ['dist'],
      },
    });
    expect(report.checks.filter((c) => c.status === 'passed').map((c) => `${c.kind} ${c.name}`)).toEqual([
      'manifest test-plugin',
      'package test-plugin',
      'manifest install',
      'op test_cube',
      'kernel 1 kernel(s)',
      'node test-scale',
      'dataset test-blobs',
      'command test hello',
    ]);
    expect(report.checks.find((c) => c.name === 'test_cube')!.detail).toMatch(/gradcheck on 1/);
  });

  it('finds a wrong gradient, a kernel that disagrees with infer, writes into its input or is not deterministic', async () => {
    const wrongGrad = {
      ...cube,
      name: 'test_bad_grad',
      grad: cube.grad && (({ inputs: [x], grads: [g] }) => [g!.mul(x!.square())]),
    };
    const found = await problems(
      plugin((ctx) => {
        ctx.register('op', wrongGrad as typeof cube);
        ctx.kernel('test_bad_grad', 'cpu', cubeKernel);
        ctx.register('op', { ...cube, name: 'test_short' });
        ctx.kernel('test_short', 'cpu', ({ inputs: [x] }) => [(x!.handle as Float32Array).slice(1)]);
        ctx.register('op', { ...cube, name: 'test_inplace' });
        ctx.kernel('test_inplace', 'cpu', ({ inputs: [x] }) => [(x!.handle as Float32Array).fill(1)]);
        let calls = 0;
        ctx.register('op', { ...cube, name: 'test_drift' });
        ctx.kernel('test_drift', 'cpu', ({ inputs: [x] }) => [
          (x!.handle as Float32Array).map((v) => v + calls++),
        ]);
      }),
    );
    expect(found).toEqual([
      expect.stringMatching(/^failed op test_bad_grad: example 0: gradcheck failed/),
      expect.stringMatching(
        /^failed op test_short: example 0: output 0 is float32 × 5, infer announced float32 × 6 \[2, 3\]/,
      ),
      expect.stringMatching(/^failed op test_inplace: example 0: the kernel wrote into input 0/),
      expect.stringMatching(/^failed op test_drift: example 0: output 0 differs between two runs/),
    ]);
  });

  it('reports entries it cannot check unless they are exempt with a reason, and stale exemptions', async () => {
    const bare = plugin((ctx) => {
      ctx.register('op', { name: 'test_bare', infer: ([x]) => [x!] });
      ctx.kernel('test_bare', 'cpu', ({ inputs: [x] }) => [x!.handle]);
      ctx.register(
        'node',
        defineNode({
          name: 'test-needs',
          description: 'needs options',
          options: type({ size: 'number' }),
          build: () => new Scale({ features: 1 }, null!),
        }),
      );
      ctx.register('dataset', { ...blobs, name: 'test-files', example: undefined });
    });
    expect(await problems(bare)).toEqual([
      expect.stringMatching(/^unchecked op test_bare: has no examples/),
      expect.stringMatching(
        /^unchecked node test-needs: does not build from its defaults \(size must be a number/,
      ),
      expect.stringMatching(/^unchecked dataset test-files: has no example options/),
    ]);
    const exempt = {
      op: { test_bare: 'an identity' },
      node: { 'test-needs': 'built by a test' },
      dataset: { 'test-files': 'reads files' },
    };
    const report = await checkPlugin(bare, { exempt });
    expect(report.ok).toBe(true);
    expect(report.checks.filter((c) => c.status === 'exempt').map((c) => c.detail)).toEqual([
      'an identity',
      'built by a test',
      'reads files',
    ]);
    expect(await problems(plugin(), { exempt: { op: { test_gone: 'renamed' } } })).toEqual([
      "failed op test_gone: is exempt, but the plugin registers no op 'test_gone'",
    ]);
  });

  it('finds a node type that does not round-trip through the graph form', async () => {
    class Forgetful extends Scale {
      override describe(): NodeDescription {
        return { type: 'test-forgetful', options: {} };
      }
    }
    const found = await problems(
      plugin((ctx) =>
        ctx.register(
          'node',
          defineNode({
            ...scaleNode,
            name: 'test-forgetful',
            options: scaleOptions,
            example: { options: { features: 2 } },
            build: (o, c) => new Forgetful(o, c.runtime.randn([o.features], { rng: c.rng })),
          }),
        ),
      ),
    );
    expect(found).toEqual([
      expect.stringMatching(
        /^failed node test-forgetful: rebuilding from its exported graph form fails: loadStateDict: gain has shape \[2\], expected \[3\]/,
      ),
    ]);
  });

  it('finds datasets that do not yield what they declare', async () => {
    const lying = (
      name: string,
      get: (i: number) => { input: Uint8Array | Float32Array; label: number },
    ): DatasetDef => ({
      ...blobs,
      name,
      load: async () => ({
        train: { size: 2, get },
        test: { size: 0, get },
        info: { inputShape: [3], spikes: true, classes: 2, timeMajor: false, description: 'x' },
      }),
    });
    const found = await problems(
      plugin((ctx) => {
        ctx.register(
          'dataset',
          lying('test-label', () => ({ input: Uint8Array.from([0, 1, 0]), label: 2 })),
        );
        ctx.register(
          'dataset',
          lying('test-not-spikes', () => ({ input: Uint8Array.from([0, 2, 0]), label: 1 })),
        );
        ctx.register(
          'dataset',
          lying('test-short', () => ({ input: new Float32Array(2), label: 0 })),
        );
      }),
    );
    expect(found).toEqual([
      expect.stringMatching(/label 2 is outside \[0, 2\)/),
      expect.stringMatching(/spike input holds 2 at 1/),
      expect.stringMatching(/input has 2 values, inputShape \[3\] needs 3/),
    ]);
  });

  it('finds commands whose help or parsing would break', async () => {
    const found = await problems(
      plugin((ctx) => {
        ctx.register('command', {
          ...hello,
          name: 'test shadow',
          options: [{ name: 'config', type: 'string', description: 'x' }],
          examples: [],
        });
        ctx.register('command', { ...hello, name: 'test camelCase', examples: [] });
        ctx.register('command', {
          ...hello,
          name: 'test silent',
          options: [{ name: 'n', type: 'number', description: '', default: 'two' }],
          examples: ['neurite other'],
        });
      }),
      { renderHelp: (c: CommandDef) => `Usage: neurite ${c.name}` },
    );
    expect(found).toEqual([
      expect.stringMatching(/^failed command test hello: its help does not mention --loud/),
      expect.stringMatching(/^failed command test shadow: option '--config' shadows a global option/),
      expect.stringMatching(/^failed command test camelCase: name 'test camelCase' must be kebab-case/),
      expect.stringMatching(/^failed command test silent: option '--n' needs a description/),
    ]);
  });

  it('checks the manifest and, when given, the package.json the CLI discovers', async () => {
    expect(await problems(plugin(undefined, { apiVersion: '^2.0.0' }))).toEqual([
      expect.stringMatching(
        /^failed manifest test-plugin: apiVersion '\^2.0.0' excludes this kernel's API 1.0.0/,
      ),
      expect.stringMatching(/^failed manifest install: plugin test-plugin: needs kernel API \^2.0.0/),
    ]);
    expect(await problems(plugin(undefined, { description: '' }))).toEqual([
      expect.stringMatching(/needs a description/),
    ]);
    const pkg = {
      name: 'test-plugin',
      version: '1.2.3',
      type: 'module',
      keywords: ['neurite-plugin'],
      neurite: { plugin: true },
    };
    expect(
      await problems(plugin(), { packageJson: { ...pkg, dependencies: { '@neurite/kernel': '^0.1.0' } } }),
    ).toEqual([expect.stringMatching(/@neurite\/kernel must be a peer dependency/)]);
    const exportsSource = {
      ...pkg,
      peerDependencies: { '@neurite/kernel': '*' },
      exports: { '.': { types: './src/index.ts', default: './dist/index.js' } },
    };
    expect(await problems(plugin(), { packageJson: exportsSource })).toEqual([
      expect.stringMatching(/exports\["\."\]\.types points at source/),
    ]);
  });

  it('throws one ConformanceError that lists every problem', async () => {
    const failing = plugin((ctx) => {
      ctx.register('op', { name: 'test_bare', infer: ([x]) => [x!] });
      ctx.kernel('test_bare', 'cpu', ({ inputs: [x] }) => [x!.handle]);
      ctx.register('command', { ...hello, name: 'test x', summary: '' });
    });
    const error = await assertConformance(failing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConformanceError);
    expect((error as Error).message.split('\n')).toEqual([
      expect.stringMatching(
        /^conformance of test-plugin 1.2.3: \d+ passed, 1 failed, 1 unchecked, 0 exempt$/,
      ),
      expect.stringMatching(/^ {2}\? op test_bare: has no examples/),
      expect.stringMatching(/^ {2}✗ command test x: needs a one-line summary/),
    ]);
  });
});

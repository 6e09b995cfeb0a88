import {
  buildModel,
  createRuntime,
  defineNode,
  definePlugin,
  fromModelGraph,
  KERNEL_API_VERSION,
  Linear,
  Module,
  type NodeDescription,
  PluginError,
  RegistryError,
  Sequential,
  satisfies,
  type Tensor,
  toModelGraph,
  ValidationError,
} from '@neurite/kernel';
import { type } from 'arktype';
import { describe, expect, it } from 'vitest';

class Scale extends Module {
  constructor(readonly factor: number) {
    super();
  }
  forward(x: Tensor) {
    return x.mul(this.factor);
  }
  override describe(): NodeDescription {
    return { type: 'scale', options: { factor: this.factor } };
  }
}

const scalePlugin = definePlugin({
  name: 'test-scale',
  version: '1.2.3',
  apiVersion: '^1.0.0',
  options: type({ defaultFactor: 'number = 2' }),
  setup(ctx, options) {
    ctx.register(
      'node',
      defineNode({
        name: 'scale',
        description: 'multiplies by a constant',
        options: type({ factor: type('number').default(options.defaultFactor) }),
        build: (o) => new Scale(o.factor),
      }),
    );
  },
});

describe('plugin contract', () => {
  it('installs a plugin, applies option defaults and lists its contributions', () => {
    const rt = createRuntime().use(scalePlugin());
    const record = rt.plugins().find((p) => p.name === 'test-scale')!;
    expect(record.version).toBe('1.2.3');
    expect(record.options).toEqual({ defaultFactor: 2 });
    expect(record.contributions).toEqual({ node: ['scale'] });
    expect(buildModel(rt, { type: 'scale' }).describe()).toEqual({ type: 'scale', options: { factor: 2 } });
  });

  it('refuses an incompatible apiVersion', () => {
    const future = definePlugin({ name: 'future', version: '1.0.0', apiVersion: '^2.0.0', setup() {} });
    expect(() => createRuntime().use(future())).toThrow(PluginError);
    expect(() => createRuntime().use(future())).toThrow(
      `needs kernel API ^2.0.0, but this kernel provides ${KERNEL_API_VERSION}`,
    );
  });

  it('refuses a duplicate plugin and a duplicate registration', () => {
    const rt = createRuntime().use(scalePlugin());
    expect(() => rt.use(scalePlugin())).toThrow(/already installed/);
    const clash = definePlugin({
      name: 'clash',
      version: '0.1.0',
      apiVersion: '^1.0.0',
      setup: (ctx) =>
        ctx.register('node', { ...rt.registry('node').require('scale'), build: () => new Scale(1) }),
    });
    expect(() => rt.use(clash())).toThrow(/node 'scale' is already registered by test-scale/);
    expect(rt.hasPlugin('clash')).toBe(false);
  });

  it('refuses invalid options with the path and what was found', () => {
    expect(() => createRuntime().use(scalePlugin({ defaultFactor: 'x' as unknown as number }))).toThrow(
      /plugin test-scale: invalid options: defaultFactor must be a number \(was a string\)/,
    );
  });

  it('refuses a malformed manifest and withdraws a plugin whose setup fails', () => {
    const rt = createRuntime();
    expect(() => rt.use({ manifest: { name: 'x' } as never, options: undefined })).toThrow(
      /invalid manifest/,
    );
    const failing = definePlugin({
      name: 'half',
      version: '0.1.0',
      apiVersion: '^1.0.0',
      setup(ctx) {
        ctx.register('preset', { name: 'p', description: '', config: {} });
        throw new Error('boom');
      },
    });
    expect(() => rt.use(failing())).toThrow(/setup failed: boom/);
    expect(rt.registry('preset').has('p')).toBe(false);
  });

  it('keeps registries per runtime', () => {
    const a = createRuntime().use(scalePlugin());
    const b = createRuntime();
    expect(a.registry('node').has('scale')).toBe(true);
    expect(b.registry('node').has('scale')).toBe(false);
    expect(() => b.registry('node').require('scale')).toThrow(RegistryError);
  });

  it('checks semver ranges', () => {
    expect(satisfies('1.4.2', '^1.0.0')).toBe(true);
    expect(satisfies('2.0.0', '^1.0.0')).toBe(false);
    expect(satisfies('0.3.1', '^0.3.0')).toBe(true);
    expect(satisfies('0.4.0', '^0.3.0')).toBe(false);
    expect(satisfies('1.2.9', '~1.2.3')).toBe(true);
    expect(satisfies('1.5.0', '>=1.2.0 <1.5.0')).toBe(false);
    expect(satisfies('3.0.0', '^1.0.0 || ^3.0.0')).toBe(true);
    expect(satisfies('1.9.0', '1.x')).toBe(true);
  });
});

describe('graph form', () => {
  const rt = createRuntime({ seed: 3 }).use(scalePlugin());
  const spec = {
    type: 'sequential',
    layers: [
      { type: 'linear', inFeatures: 4, outFeatures: 8 },
      { type: 'relu' },
      {
        type: 'graph',
        nodes: {
          in: { type: 'input' },
          a: { type: 'linear', inFeatures: 8, outFeatures: 3 },
          b: { type: 'scale', factor: 0.5 },
          out: { type: 'output' },
        },
        edges: [
          ['in', 'a'],
          ['a', 'b'],
          ['a', 'out'],
          ['b', 'out'],
        ],
      },
    ],
  };

  it('builds a model from JSON, runs it, exports it and rebuilds it with identical outputs', () => {
    const model = buildModel(rt, spec);
    const x = rt.randn([5, 4]);
    const y = model.forward(x);
    expect(y.shape).toEqual([5, 3]);
    const graph = toModelGraph(model);
    expect([...graph.state.keys()]).toEqual(['0.weight', '0.bias', '2.a.weight', '2.a.bias']);
    const other = createRuntime({ seed: 99 }).use(scalePlugin());
    const rebuilt = fromModelGraph(other, {
      spec: JSON.parse(JSON.stringify(graph.spec)),
      state: graph.state,
    });
    const x2 = other.fromArray(x.dataSync(), x.shape);
    expect(Array.from(rebuilt.forward(x2).dataSync())).toEqual(Array.from(y.dataSync()));
  });

  it('sums incoming edges as NIR does', () => {
    const model = buildModel(rt, spec.layers[2]!);
    const x = rt.randn([2, 8]);
    const a = (model as unknown as { node(n: string): Module }).node('a')!.forward(x);
    expect(Array.from(model.forward(x).dataSync())).toEqual(Array.from(a.mul(1.5).dataSync()));
  });

  it('exports hand-built modules too', () => {
    const model = new Sequential([new Linear(rt, { inFeatures: 2, outFeatures: 2 }), new Scale(3)]);
    expect(toModelGraph(model).spec).toEqual({
      type: 'sequential',
      layers: [
        { type: 'linear', inFeatures: 2, outFeatures: 2, bias: true },
        { type: 'scale', factor: 3 },
      ],
    });
  });

  it('reports every invalid node with its JSON path', () => {
    const bad = {
      type: 'sequential',
      layers: [
        { type: 'linear', inFeatures: 4, outFeatures: -1 },
        { type: 'lifx' },
        { type: 'linear', inFeatures: 'x' },
      ],
    };
    try {
      buildModel(rt, bad);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ValidationError);
      const paths = (e as ValidationError).issues.map((i) => i.path);
      expect(paths).toContain('model.layers.0.outFeatures');
      expect(paths).toContain('model.layers.1.type');
      expect(paths).toContain('model.layers.2.inFeatures');
      expect(paths).toContain('model.layers.2.outFeatures');
      expect((e as Error).message).toMatch(/unknown node type 'lifx'/);
    }
  });

  it('rejects cycles naming the nodes', () => {
    const cyclic = {
      type: 'graph',
      nodes: { in: { type: 'input' }, a: { type: 'relu' }, b: { type: 'relu' }, out: { type: 'output' } },
      edges: [
        ['in', 'a'],
        ['a', 'b'],
        ['b', 'a'],
        ['b', 'out'],
      ],
    };
    expect(() => buildModel(rt, cyclic)).toThrow(/cycle through a, b/);
  });
});

import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createRuntime } from '@neurite/kernel';
import neuronLif, { lifScan } from '@neurite/neuron-lif';
import { type Browser, chromium } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserCase } from './browser/entry.js';
import { expectClose } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
/**
 * Headless Chromium with WebGPU on SwiftShader (its bundled Vulkan on the CPU), so the page test runs
 * on machines without a GPU. The page is served from 127.0.0.1: WebGPU needs a secure context.
 */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu-sandbox',
  '--enable-unsafe-webgpu',
  '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
];

let browser: Browser;
let server: http.Server;
let url: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (scripts/system-deps.sh)`);
  const entry = fileURLToPath(new URL('./browser/entry.ts', import.meta.url));
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    resolve: { conditions: ['source', 'module', 'browser', 'import', 'default'] },
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      lib: { entry, formats: ['es'], fileName: 'bundle' },
      // The Node-only paths (Dawn, library probing, garbage collection) are never taken in a page.
      rollupOptions: { external: ['webgpu', 'node:fs', 'node:v8', 'node:vm'] },
    },
  });
  const chunks = (Array.isArray(output) ? output[0]! : output) as {
    output: { type: string; code?: string }[];
  };
  const bundle = chunks.output.find((c) => c.type === 'chunk')!.code!;
  server = http.createServer((req, res) => {
    if (req.url === '/bundle.js') {
      res.setHeader('content-type', 'text/javascript');
      res.end(bundle);
    } else {
      res.setHeader('content-type', 'text/html');
      res.end('<!doctype html><script type="module" src="/bundle.js"></script>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: FLAGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
});

describe('in Chromium (navigator.gpu)', () => {
  it('runs the kernels on the page and matches the cpu backend computed in Node', async () => {
    const rt = createRuntime({ seed: 21 });
    rt.use(neuronLif());
    const input: BrowserCase = {
      a: Array.from(await rt.randn([6, 7]).data()),
      b: Array.from(await rt.randn([5, 7]).data()),
      seed: 5,
    };
    const page = await browser.newPage();
    await page.goto(url);
    await page.waitForFunction(() => 'neuriteWebGPU' in globalThis);
    const got = (await page.evaluate(
      (c) => (globalThis as unknown as { neuriteWebGPU: (c: unknown) => Promise<unknown> }).neuriteWebGPU(c),
      input,
    )) as {
      backend: string;
      adapter: { backend: string; software: boolean };
      fellBack: number;
      results: Record<string, number[]>;
    };
    expect(got.backend).toBe('webgpu');
    expect(got.adapter.backend).toBe('browser');
    expect(got.fellBack).toBe(0);

    // The same computation on the cpu backend.
    const cpu = createRuntime({ seed: input.seed });
    cpu.use(neuronLif());
    const a = cpu.fromArray(new Float32Array(input.a), [6, 7]);
    const b = cpu.fromArray(new Float32Array(input.b), [5, 7]);
    const spikes = cpu.bernoulli(0.4, [6, 7]);
    const scan = lifScan(a.reshape([3, 2, 7]), { beta: cpu.full([1], 0.9), threshold: cpu.full([1], 0.5) });
    const expected = {
      matmul: a.matmul(b, { transB: true }),
      broadcast: a.add(b.slice([0], [1])).mul(a.sigmoid()),
      softmax: a.logSoftmax(-1),
      sum: a.sum(0),
      spikes: spikes.cast('float32'),
      spikeMatmul: spikes.matmul(b, { transB: true }),
      membrane: scan.membrane,
      scanSpikes: scan.spikes!.cast('float32'),
    };
    for (const [name, t] of Object.entries(expected)) {
      const want = await t.data();
      expect(got.results[name], name).toHaveLength(want.length);
      expectClose(new Float32Array(got.results[name]!), want, 1e-4, 1e-5);
    }
    expect(got.results.spikes).toEqual(Array.from(await expected.spikes.data()));
    await page.close();
  });
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { fixtures, lastJson, neurite, repoRoot, tempDir } from './cli.ts';

/** Debian's Chromium, never a downloaded one; flags keep it off the (closed) network. */
export async function launchChromium() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

describe('report.html in a real browser', () => {
  it('renders every plot with drawn content', async () => {
    const out = tempDir();
    const run = await neurite(['train', join(fixtures, 'toy.json'), '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { report } = lastJson<{ report: string }>(run);

    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(pathToFileURL(report).href);
      const plots = await page.$$eval('svg.plot', (svgs) =>
        svgs.map((svg) => {
          const box = svg.getBoundingClientRect();
          const series = [...svg.querySelectorAll('polyline.series')].map(
            (p) => (p.getAttribute('points') ?? '').trim().split(/\s+/).length,
          );
          return { kind: svg.getAttribute('class'), width: box.width, height: box.height, series };
        }),
      );
      expect(plots.length).toBeGreaterThanOrEqual(2);
      for (const p of plots) {
        expect(p.width).toBeGreaterThan(100);
        expect(p.height).toBeGreaterThan(100);
      }
      const curves = plots.filter((p) => p.kind === 'plot line-chart');
      expect(curves).toHaveLength(2);
      // Three epochs: every curve has three drawn points.
      for (const c of curves) expect(c.series).toEqual([3, 3]);
      const artifacts = join(repoRoot, 'test-results');
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'cli-report.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });

  it('draws a spike raster and a firing-rate histogram for every spiking layer', async () => {
    const out = tempDir();
    const run = await neurite(['train', join(fixtures, 'toy-snn.json'), '--out', out, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const { report } = lastJson<{ report: string }>(run);
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      await page.goto(pathToFileURL(report).href);
      const rasters = await page.$$eval('svg.raster path.spikes', (paths) =>
        paths.map((p) => ({
          marks: (p.getAttribute('d') ?? '').split('M').length - 1,
          box: p.getBoundingClientRect().width,
        })),
      );
      const histograms = await page.$$eval('svg.histogram g.bars', (groups) =>
        groups.map(
          (g) => [...g.querySelectorAll('rect')].filter((r) => Number(r.getAttribute('height')) > 0).length,
        ),
      );
      // Three layers emit spikes (the rate encoder and two LIF layers): a raster and a histogram each.
      expect(rasters).toHaveLength(3);
      expect(histograms).toHaveLength(3);
      for (const r of rasters) {
        expect(r.marks).toBeGreaterThan(0);
        expect(r.box).toBeGreaterThan(50);
      }
      for (const bars of histograms) expect(bars).toBeGreaterThan(0);
      const artifacts = join(repoRoot, 'test-results');
      mkdirSync(artifacts, { recursive: true });
      await page.screenshot({ path: join(artifacts, 'cli-report-snn.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});

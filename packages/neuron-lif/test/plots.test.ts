import { describe, expect, it } from 'vitest';
import { membraneSvg, rasterSvg } from '../src/plots/svg.js';
import { runtime } from './helpers.js';

describe('SVG plots', () => {
  it('a raster has one tick per spike of the chosen sample', async () => {
    const rt = runtime();
    const spikes = rt.tensor([[[1, 0, 1]], [[0, 0, 1]], [[1, 1, 1]]]).cast('spike');
    const svg = await rasterSvg(spikes, { title: 'a < b' });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    const path = /<path d="([^"]*)"/.exec(svg)![1]!;
    expect(path.match(/M/g)!.length).toBe(6);
    expect(svg).toContain('a &lt; b');
  });

  it('a membrane trace draws one line per neuron, the threshold and the spike marks', async () => {
    const rt = runtime();
    const membrane = rt.tensor([[[0.2, 0.1]], [[0.9, 0.3]], [[1.2, 0.4]]]);
    const spikes = rt.tensor([[[0, 0]], [[0, 0]], [[1, 0]]]).cast('spike');
    const svg = await membraneSvg(membrane, { threshold: 1, spikes, neurons: [0, 1] });
    expect(svg.match(/<polyline/g)!.length).toBe(2);
    expect(svg.match(/stroke-dasharray/g)!.length).toBe(1);
    expect(svg.match(/<circle/g)!.length).toBe(1);
    await expect(membraneSvg(membrane, { neurons: [5] })).rejects.toThrow(/outside/);
  });
});

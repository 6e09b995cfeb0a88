// Builds the spiking Free Spoken Digit set (all 2,000 recordings) and reports the time it takes, then
// re-loads it from the cache, and draws one digit's raster.
//
//   pnpm -F @neurite/datasets build
//   node packages/datasets/scripts/build-fsdd.mjs [--runs 3] [--workers 2] [--channels 700] [--keep DIR]
//
// Each run builds into a fresh temporary cache folder (so nothing is re-used), then a second call
// reads the cached SHD-layout file back. Prints one JSON line per run and a summary.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { plot } from '@neurite/kernel';
import { binSpikes } from '../dist/index.js';
import { buildFsddSpikes, resolveDataDir } from '../dist/node.js';

const args = {};
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i++) if (argv[i].startsWith('--')) args[argv[i].slice(2)] = argv[i + 1];
const runs = Number(args.runs ?? 3);
const workers = Number(args.workers ?? 2);
const channels = Number(args.channels ?? 700);
const here = dirname(fileURLToPath(import.meta.url));
const dir = resolveDataDir(args.dir, 'audio/fsdd', resolve(here, '../../..'));

const times = [];
let last;
for (let r = 0; r < runs; r++) {
  const cacheDir = args.keep ? resolve(args.keep) : mkdtempSync(join(tmpdir(), 'fsdd-build-'));
  if (args.keep) rmSync(cacheDir, { recursive: true, force: true });
  const start = performance.now();
  const built = await buildFsddSpikes({ dir, cacheDir, workers, cochlea: { channels } });
  const buildSeconds = (performance.now() - start) / 1000;
  const again = performance.now();
  const cached = await buildFsddSpikes({ dir, cacheDir, workers, cochlea: { channels } });
  const cacheSeconds = (performance.now() - again) / 1000;
  const spikes = built.set.times.reduce((a, t) => a + t.length, 0);
  const seconds = built.set.times.length ? built.files.length : 0;
  times.push(buildSeconds);
  last = built;
  console.log(
    JSON.stringify({
      run: r + 1,
      recordings: built.set.times.length,
      channels,
      workers,
      buildSeconds: +buildSeconds.toFixed(2),
      cachedLoadSeconds: +cacheSeconds.toFixed(2),
      cacheHit: cached.cached,
      spikes,
      meanSpikesPerRecording: Math.round(spikes / seconds),
      cacheFile: built.cacheFile,
    }),
  );
  if (!args.keep) rmSync(cacheDir, { recursive: true, force: true });
}
times.sort((a, b) => a - b);
console.log(
  JSON.stringify({
    summary: 'spiking FSDD build, seconds',
    median: +times[Math.floor(times.length / 2)].toFixed(2),
    min: +times[0].toFixed(2),
    max: +times[times.length - 1].toFixed(2),
    runs,
    machine: `${cpus()[0]?.model ?? 'cpu'}, ${availableParallelism()} usable cores, Node ${process.version}`,
  }),
);

// A raster of one recording: 1 ms bins, every channel.
const sample = args.sample ?? '3_jackson_0.wav';
const index = last.files.indexOf(sample);
const dt = 1;
const T = Math.ceil(((last.set.times[index].at(-1) ?? 0) * 1000) / dt) + 1;
const { data } = binSpikes(last.set.times[index], last.set.units[index], { dt: dt * 1000, T, channels }, 1e6);
const svg = plot.raster(data, T, channels, {
  dt,
  width: 900,
  height: 520,
  title: `Spiking FSDD: "${sample}" — ${last.set.times[index].length} spikes, ${channels}-channel cochlea`,
  xLabel: 'time (ms)',
  yLabel: 'channel (low → high frequency)',
});
const out = resolve(here, '../docs', `fsdd-raster-${sample.replace('.wav', '')}.svg`);
// A <title> element names the figure for screen readers (the plot helper draws the title as text only).
writeFileSync(
  out,
  svg.replace(/^(<svg[^>]*>)/, `$1<title>Spike raster of the spiking FSDD recording ${sample}</title>`),
);
console.log(JSON.stringify({ raster: out, bytes: svg.length }));

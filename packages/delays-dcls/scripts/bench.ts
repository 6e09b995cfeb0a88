/** Runs the `dcls1d` benchmark (what `pnpm bench` runs for this plugin) and prints its workloads. */
import { createRuntime } from '@neurite/kernel';
import dcls from '../src/index.js';

const rt = createRuntime({ seed: 0 }).use(dcls());
const quick = process.argv.includes('--quick');
const workloads = await rt
  .registry('benchmark')
  .require('dcls1d')
  .run({ quick, runtime: rt, log: (l) => console.error(l) });
for (const w of workloads)
  console.log(`${w.name}: ${w.neurite.medianMs.toFixed(0)} ms, ratio to dense conv1d ${w.ratio?.toFixed(2)}`);

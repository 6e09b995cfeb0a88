#!/usr/bin/env node
import { main } from '../dist/main.js';

const code = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
});
// Let pending writes flush; worker threads of backends are unref'd, so the loop ends by itself.
process.exitCode = code;

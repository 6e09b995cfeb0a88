#!/usr/bin/env node
// Prints "N passed, M failed" from a vitest JSON report. A suite that failed to load (no test ran in it)
// counts as one failure, so a broken import cannot hide behind a green total.
import { readFileSync } from 'node:fs';

const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const brokenSuites = report.testResults.filter(
  (s) => s.status === 'failed' && s.assertionResults.length === 0,
).length;
console.log(`${report.numPassedTests} passed, ${report.numFailedTests + brokenSuites} failed`);

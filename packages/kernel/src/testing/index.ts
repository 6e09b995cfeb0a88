// @neurite/kernel/testing — the conformance kit. It imports no test runner: `checkPlugin` returns a
// report, `assertConformance` throws a ConformanceError listing every problem, so it runs under any.

export { RESERVED_ALIASES, RESERVED_OPTIONS } from './check-commands.js';
export { assertConformance, type CheckedKind, type ConformanceOptions, checkPlugin } from './check-plugin.js';
export {
  type Check,
  type CheckStatus,
  ConformanceError,
  type ConformanceReport,
  formatReport,
} from './report.js';

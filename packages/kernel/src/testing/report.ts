import { NeuriteError } from '../errors.js';

/**
 * The outcome of one check. `unchecked` means the kit had nothing to run (an op without examples, a
 * dataset without example options): it fails the plugin unless the entry is listed in `exempt`.
 */
export type CheckStatus = 'passed' | 'failed' | 'unchecked' | 'exempt';

export interface Check {
  /** The registry kind (`op`, `node`, `dataset`, `command`, …) or `manifest`/`package`. */
  readonly kind: string;
  readonly name: string;
  readonly status: CheckStatus;
  /** What was checked, or what went wrong. */
  readonly detail: string;
}

export interface ConformanceReport {
  readonly plugin: string;
  readonly version: string;
  /** No check failed and nothing was left unchecked without an exemption. */
  readonly ok: boolean;
  readonly checks: readonly Check[];
  /** The failed and unchecked entries, in order. */
  readonly problems: readonly Check[];
  /** Contributions of kinds the kit has no check for (custom kinds, losses, backends, …), by kind. */
  readonly notChecked: Readonly<Record<string, readonly string[]>>;
}

export function buildReport(
  plugin: string,
  version: string,
  checks: readonly Check[],
  notChecked: Record<string, string[]>,
): ConformanceReport {
  const problems = checks.filter((c) => c.status === 'failed' || c.status === 'unchecked');
  return { plugin, version, ok: problems.length === 0, checks, problems, notChecked };
}

/** One line per problem, then a tally: what `assertConformance` throws. */
export function formatReport(report: ConformanceReport): string {
  const count = (s: CheckStatus) => report.checks.filter((c) => c.status === s).length;
  const lines = report.problems.map(
    (c) => `  ${c.status === 'failed' ? '✗' : '?'} ${c.kind} ${c.name}: ${c.detail}`,
  );
  const tally = `${count('passed')} passed, ${count('failed')} failed, ${count('unchecked')} unchecked, ${count('exempt')} exempt`;
  return [`conformance of ${report.plugin} ${report.version}: ${tally}`, ...lines].join('\n');
}

/** A plugin failed the conformance kit; the message lists every problem. */
export class ConformanceError extends NeuriteError {
  constructor(readonly report: ConformanceReport) {
    super(formatReport(report), {
      hint: 'add `examples` to ops, `example` to node types and datasets, or list an entry in `exempt` with the reason',
    });
  }
}

/** Runs one check, turning a thrown error into a failure that carries its message. */
export async function attempt(
  kind: string,
  name: string,
  run: () => Promise<string> | string,
): Promise<Check> {
  try {
    return { kind, name, status: 'passed', detail: await run() };
  } catch (error) {
    return { kind, name, status: 'failed', detail: messageOf(error) };
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A failed expectation inside a check (caught by `attempt`). */
export function expect(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

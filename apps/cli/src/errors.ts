import { FormatError, NeuriteError, RegistryError, ValidationError } from '@neurite/kernel';

/** The command line itself was wrong: unknown command or option, missing argument, bad value. */
export class UsageError extends NeuriteError {}

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

/**
 * Bad usage or bad input (exit 2) versus a failure while running (exit 1): invalid configs, unreadable
 * or corrupt files and unknown names are the user's input; everything else is a runtime failure.
 */
export function exitCodeFor(error: unknown): number {
  if (
    error instanceof UsageError ||
    error instanceof ValidationError ||
    error instanceof FormatError ||
    error instanceof RegistryError
  ) {
    return EXIT_USAGE;
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT' || code === 'EISDIR' || code === 'EACCES') return EXIT_USAGE;
  return EXIT_FAILURE;
}

/** One line saying what went wrong, a hint line where there is one, the stack only when verbose. */
export function formatError(error: unknown, verbose: boolean): string {
  const e = error as Error & { hint?: string };
  const message = (e?.message ?? String(error)).replace(/\s*\n\s*/g, '; ');
  const lines = [`neurite: ${message}`];
  if (e?.hint) lines.push(`hint: ${e.hint}`);
  else if (!verbose) lines.push('hint: run with --verbose for the stack trace');
  if (verbose && e?.stack) lines.push(e.stack);
  return `${lines.join('\n')}\n`;
}
